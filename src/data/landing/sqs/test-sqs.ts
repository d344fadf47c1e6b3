// Test-only (excluded from the build): a real SQS-compatible server (fauxqs, in process, on
// loopback) and the one call tests need beyond the landing source's own: SendMessage, to
// deliver the S3 notifications S3 itself would send.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';

export interface TestSqs {
  endpoint: string;
  server: FauxqsServer;
  /** Creates a queue (with a dead-letter queue after `deadLetterAfter` receives, if given). */
  createQueue(
    name: string,
    options?: { deadLetterAfter?: number; visibilityTimeoutSeconds?: number },
  ): { queueUrl: string; deadLetterQueueUrl?: string };
  send(queueUrl: string, body: string): Promise<void>;
  /** Messages waiting or in flight in a queue (not consuming them). */
  depth(name: string): number;
  stop(): Promise<void>;
}

export const TEST_SQS_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function startTestSqs(): Promise<TestSqs> {
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = new SQSClient({
    region: 'us-east-1',
    endpoint,
    credentials: TEST_SQS_CREDENTIALS,
  });
  return {
    endpoint,
    server,
    createQueue(name, options = {}) {
      const attributes: Record<string, string> = {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
      };
      let deadLetterQueueUrl: string | undefined;
      if (options.deadLetterAfter !== undefined) {
        const dlq = server.createQueue(`${name}-dlq`);
        deadLetterQueueUrl = dlq.queueUrl;
        attributes.RedrivePolicy = JSON.stringify({
          deadLetterTargetArn: dlq.queueArn,
          maxReceiveCount: String(options.deadLetterAfter),
        });
      }
      const { queueUrl } = server.createQueue(name, { attributes });
      return { queueUrl, deadLetterQueueUrl };
    },
    async send(queueUrl, body) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    },
    depth(name) {
      const q = server.inspectQueue(name);
      if (!q) throw new Error(`no queue ${name}`);
      return q.messages.ready.length + q.messages.delayed.length + q.messages.inflight.length;
    },
    async stop() {
      client.destroy();
      await server.stop();
    },
  };
}
