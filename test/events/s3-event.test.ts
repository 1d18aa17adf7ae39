import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeS3EventKey, s3Event, s3TestEvent } from '../../src/events/s3-event.ts';
import { targetsFor } from '../../src/services/s3/notification-config.ts';

test('keys are form-encoded as S3 does in events', () => {
  assert.equal(encodeS3EventKey('uploads/my photo(1).jpg'), 'uploads/my+photo%281%29.jpg');
  assert.equal(encodeS3EventKey('a+b=c&d.work'), 'a%2Bb%3Dc%26d.work');
  assert.equal(encodeS3EventKey('ünï/x'), '%C3%BCn%C3%AF/x');
});

test('an S3 record has the fields of a real notification', () => {
  const ev = s3Event({ eventName: 'ObjectCreated:Put', bucket: 'b', key: 'k 1', size: 3, etag: 'abc', sequencer: '0A',
    sourceIp: '127.0.0.1', requestId: 'R1', time: Date.parse('2026-01-01T00:00:00.5Z') }, { region: 'us-east-1', configurationId: 'c' });
  const r = ev.Records[0]!;
  assert.deepEqual(Object.keys(r), ['eventVersion', 'eventSource', 'awsRegion', 'eventTime', 'eventName', 'userIdentity',
    'requestParameters', 'responseElements', 's3']);
  assert.equal(r.eventVersion, '2.1');
  assert.equal(r.eventTime, '2026-01-01T00:00:00.500Z');
  assert.deepEqual(r.s3.object, { key: 'k+1', size: 3, eTag: 'abc', sequencer: '0A' });
  assert.equal(r.s3.bucket.arn, 'arn:aws:s3:::b');
  assert.deepEqual(r.responseElements, { 'x-amz-request-id': 'R1', 'x-amz-id-2': Buffer.from('R1').toString('base64') });
  const answered = s3Event({ eventName: 'ObjectCreated:Put', bucket: 'b', key: 'k', sequencer: '0C', sourceIp: '127.0.0.1',
    requestId: 'R2', hostId: 'H2/base64+id=', time: 0 }, { region: 'us-east-1', configurationId: 'c' });
  assert.equal(answered.Records[0]!.responseElements['x-amz-id-2'], 'H2/base64+id=', 'the x-amz-id-2 the request was answered with');
  const removed = s3Event({ eventName: 'ObjectRemoved:Delete', bucket: 'b', key: 'k', sequencer: '0B', sourceIp: '::1', requestId: 'R', time: 0 },
    { region: 'us-east-1', configurationId: 'c' });
  assert.deepEqual(Object.keys(removed.Records[0]!.s3.object), ['key', 'sequencer']);
});

test('event names and key filters match as S3 matches them', () => {
  const cfg = { version: 1 as const, eventBridge: false, targets: [
    { id: 'w', kind: 'lambda' as const, arn: 'a', events: ['s3:ObjectCreated:*'], filter: { prefix: 'in/', suffix: '.work' } },
    { id: 'd', kind: 'sqs' as const, arn: 'q', events: ['s3:ObjectRemoved:Delete'], filter: {} }] };
  const ids = (event: string, key: string) => targetsFor(cfg, event, key).map((t) => t.id);
  assert.deepEqual(ids('ObjectCreated:Put', 'in/1_plus_1.work'), ['w']);
  assert.deepEqual(ids('ObjectCreated:CompleteMultipartUpload', 'in/x.work'), ['w']);
  assert.deepEqual(ids('ObjectCreated:Put', 'in/1_plus_1'), []);
  assert.deepEqual(ids('ObjectCreated:Put', 'out/x.work'), []);
  assert.deepEqual(ids('ObjectRemoved:Delete', 'in/x.work'), ['d']);
});

test('the test event S3 sends to queues and topics has its fields in S3\'s order', () => {
  const e = s3TestEvent({ bucket: 'b', requestId: 'R', hostId: 'H', time: Date.parse('2026-01-01T00:00:00Z') });
  assert.deepEqual(e, { Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-01-01T00:00:00.000Z', Bucket: 'b', RequestId: 'R', HostId: 'H' });
  assert.deepEqual(Object.keys(e), ['Service', 'Event', 'Time', 'Bucket', 'RequestId', 'HostId']);
});
