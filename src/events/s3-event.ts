// The one builder of S3 notification records (the `Records` event a function, queue or topic gets).
import type { S3Notification } from '../services/types.ts';

/** S3 form-encodes keys in events: space → `+`, reserved characters → %XX, `/` kept. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

export function s3EventRecord(n: S3Notification, o: { region: string; configurationId: string }) {
  const object: Record<string, unknown> = { key: encodeS3EventKey(n.key) };
  if (n.size !== undefined) object.size = n.size;
  if (n.etag !== undefined) object.eTag = n.etag;
  if (n.versionId !== undefined) object.versionId = n.versionId;
  object.sequencer = n.sequencer;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: o.region,
    eventTime: new Date(n.time).toISOString(),
    eventName: n.eventName,
    userIdentity: { principalId: 'AWS:000000000000' },
    requestParameters: { sourceIPAddress: n.sourceIp },
    responseElements: { 'x-amz-request-id': n.requestId, 'x-amz-id-2': n.hostId ?? Buffer.from(n.requestId).toString('base64') },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: o.configurationId,
      bucket: { name: n.bucket, ownerIdentity: { principalId: 'A000000000000' }, arn: `arn:aws:s3:::${n.bucket}` },
      object,
    },
  };
}

export function s3Event(n: S3Notification, o: { region: string; configurationId: string }): { Records: ReturnType<typeof s3EventRecord>[] } {
  return { Records: [s3EventRecord(n, o)] };
}

/** What S3 sends to a queue or topic when a notification configuration naming it is set. */
export function s3TestEvent(o: { bucket: string; requestId: string; hostId: string; time: number }) {
  return { Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date(o.time).toISOString(), Bucket: o.bucket, RequestId: o.requestId, HostId: o.hostId };
}
