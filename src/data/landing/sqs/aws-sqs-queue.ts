import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { LandingQueue, QueueMessage, SqsQueueOptions } from './landing-queue.js';

/** LandingQueue over @aws-sdk/client-sqs (credentials: the options, else the default chain). */
export function createAwsSqsQueue(options: SqsQueueOptions): LandingQueue {
  const client = new SQSClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.accessKeyId && options.secretAccessKey
      ? {
          credentials: {
            accessKeyId: options.accessKeyId,
            secretAccessKey: options.secretAccessKey,
          },
        }
      : {}),
  });
  const QueueUrl = options.queueUrl;
  return {
    async receive(o, signal) {
      const out = await client.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: o.max,
          WaitTimeSeconds: o.waitTimeSeconds,
          VisibilityTimeout: o.visibilityTimeoutSeconds,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
        { abortSignal: signal },
      );
      return (out.Messages ?? []).map((m): QueueMessage => ({
        body: m.Body ?? '',
        receiptHandle: m.ReceiptHandle ?? '',
        messageId: m.MessageId ?? '',
        receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
      }));
    },
    async delete(ReceiptHandle) {
      await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle }));
    },
    async setVisibility(ReceiptHandle, VisibilityTimeout) {
      await client.send(
        new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout }),
      );
    },
    close() {
      client.destroy();
    },
  };
}
