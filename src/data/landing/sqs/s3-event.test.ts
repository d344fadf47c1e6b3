import { describe, expect, it } from 'vitest';
import type { LandingZone } from '../landing-store.js';
import { decodeEventKey, parseS3Notification, s3NotificationBody } from './s3-event.js';
import { zoneOfObject } from './sqs-landing-source.js';

describe('S3 event notifications', () => {
  it('reads created objects, decoding keys, and skips other events', () => {
    const body = JSON.parse(
      s3NotificationBody([{ bucket: 'b', key: 'in/day 1 (a).csv', size: 12, eTag: 'abc' }]),
    ) as { Records: Record<string, unknown>[] };
    body.Records.push({ eventSource: 'aws:s3', eventName: 'ObjectRemoved:Delete', s3: {} });
    expect(parseS3Notification(JSON.stringify(body))).toEqual({
      kind: 'records',
      created: [
        {
          bucket: 'b',
          key: 'in/day 1 (a).csv',
          size: 12,
          eTag: 'abc',
          eventName: 'ObjectCreated:Put',
        },
      ],
      ignored: 1,
    });
    expect(decodeEventKey('a+b%2Bc.csv')).toBe('a b+c.csv');
  });

  it('knows the test event and refuses what is not a notification', () => {
    expect(parseS3Notification('{"Service":"Amazon S3","Event":"s3:TestEvent"}')).toEqual({
      kind: 'test',
    });
    expect(() => parseS3Notification('nope')).toThrow('message body is not JSON');
    expect(() => parseS3Notification('{"Type":"Notification"}')).toThrow(/no Records/);
    expect(() =>
      parseS3Notification(
        '{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{}}]}',
      ),
    ).toThrow('Records[0] lacks s3.bucket.name or s3.object.key');
  });

  it('maps an object to the zone with the longest matching prefix of its bucket', () => {
    const zone = (name: string, uri: string): LandingZone => ({
      name,
      uri,
      datasetName: name,
      createdAt: 0,
    });
    const zones = [
      zone('all', 's3://b'),
      zone('sales', 's3://b/sales/'),
      zone('eu', 's3://b/sales/eu'),
      zone('other', 's3://c/sales'),
      zone('local', '/data/drop'),
    ];
    const at = (bucket: string, key: string) => {
      const m = zoneOfObject(zones, bucket, key);
      return m && [m.zone.name, m.path];
    };
    expect(at('b', 'sales/eu/x.csv')).toEqual(['eu', 'x.csv']);
    expect(at('b', 'sales/us/x.csv')).toEqual(['sales', 'us/x.csv']);
    expect(at('b', 'salesforce/x.csv')).toEqual(['all', 'salesforce/x.csv']);
    expect(at('c', 'x.csv')).toBeUndefined();
    expect(at('d', 'sales/x.csv')).toBeUndefined();
  });
});
