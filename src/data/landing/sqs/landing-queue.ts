// The few SQS calls the landing source makes, behind an interface so the AWS SDK stays in
// aws-sqs-queue.ts and loads only when a queue is configured.

/** A received message; `receiveCount` is SQS's ApproximateReceiveCount (1 on first delivery). */
export interface QueueMessage {
  body: string;
  receiptHandle: string;
  receiveCount: number;
  messageId: string;
}

export interface LandingQueue {
  /** Long-polls for up to `max` messages, hiding them for `visibilityTimeoutSeconds`. */
  receive(
    options: { max: number; waitTimeSeconds: number; visibilityTimeoutSeconds: number },
    signal?: AbortSignal,
  ): Promise<QueueMessage[]>;
  delete(receiptHandle: string): Promise<void>;
  /** Hides a message for `seconds` more from now (0 makes it visible again at once). */
  setVisibility(receiptHandle: string, seconds: number): Promise<void>;
  close(): void;
}

export interface SqsQueueOptions {
  queueUrl: string;
  region: string;
  /** An SQS-compatible endpoint (tests, local emulators); the queue URL's host otherwise. */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** Opens an SQS queue; the AWS SDK is imported on first use. */
export function openSqsQueue(options: SqsQueueOptions): LandingQueue {
  let queue: Promise<LandingQueue> | undefined;
  const get = () =>
    (queue ??= import('./aws-sqs-queue.js').then((m) => m.createAwsSqsQueue(options)));
  return {
    receive: async (o, signal) => (await get()).receive(o, signal),
    delete: async (handle) => (await get()).delete(handle),
    setVisibility: async (handle, seconds) => (await get()).setVisibility(handle, seconds),
    close: () => void queue?.then((q) => q.close()),
  };
}
