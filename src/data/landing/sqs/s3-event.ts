// S3 event notifications as SQS delivers them: a JSON body with `Records` (one per object
// event), or the `s3:TestEvent` S3 sends once when a notification is configured. Field names
// follow the S3 event message structure (version 2.x).
import { InvalidArgumentError } from '../../../core/index.js';

/** One object-created event, key decoded. */
export interface S3ObjectEvent {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  eventName: string;
}

export type S3Notification =
  { kind: 'test' } | { kind: 'records'; created: S3ObjectEvent[]; ignored: number };

interface RawRecord {
  eventSource?: unknown;
  eventName?: unknown;
  s3?: {
    bucket?: { name?: unknown };
    object?: { key?: unknown; size?: unknown; eTag?: unknown };
  };
}

/** S3 URL-encodes keys in events, with `+` for spaces. */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** Parses a message body; throws InvalidArgumentError when it is not an S3 notification. */
export function parseS3Notification(body: string): S3Notification {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidArgumentError('message body is not JSON');
  }
  if (json === null || typeof json !== 'object')
    throw new InvalidArgumentError('message body is not a JSON object');
  const message = json as { Event?: unknown; Records?: unknown };
  if (message.Event === 's3:TestEvent') return { kind: 'test' };
  if (!Array.isArray(message.Records))
    throw new InvalidArgumentError('message has no Records: not an S3 event notification');
  const created: S3ObjectEvent[] = [];
  let ignored = 0;
  for (const [i, raw] of (message.Records as RawRecord[]).entries()) {
    const name = typeof raw?.eventName === 'string' ? raw.eventName : '';
    if (raw?.eventSource !== 'aws:s3' || !name.startsWith('ObjectCreated:')) {
      ignored++;
      continue;
    }
    const bucket = raw.s3?.bucket?.name;
    const object = raw.s3?.object;
    if (typeof bucket !== 'string' || typeof object?.key !== 'string')
      throw new InvalidArgumentError(`Records[${i}] lacks s3.bucket.name or s3.object.key`);
    created.push({
      bucket,
      key: decodeEventKey(object.key),
      size: typeof object.size === 'number' ? object.size : Number(object.size ?? 0),
      // Multipart ETags carry a -<parts> suffix; either way it names the content.
      eTag: typeof object.eTag === 'string' ? object.eTag.replace(/"/g, '') : '',
      eventName: name,
    });
  }
  return { kind: 'records', created, ignored };
}

/** Builds the body S3 would send for created objects (tests and `gyre` tooling). */
export function s3NotificationBody(
  events: { bucket: string; key: string; size: number; eTag: string }[],
  region = 'us-east-1',
): string {
  return JSON.stringify({
    Records: events.map((e) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: region,
      eventTime: new Date().toISOString(),
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: e.bucket, arn: `arn:aws:s3:::${e.bucket}` },
        object: {
          key: encodeURIComponent(e.key).replace(/%20/g, '+').replace(/%2F/g, '/'),
          size: e.size,
          eTag: e.eTag,
        },
      },
    })),
  });
}
