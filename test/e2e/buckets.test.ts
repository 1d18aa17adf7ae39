// Buckets through `gannet dev`, as a user drives them: uploads with the AWS CLI and the SDK trigger
// exactly the functions whose rules match, with the event S3 delivers; objects round-trip byte for
// byte; deletes, copies and multipart uploads notify; notification configurations from `resources:`
// and from the S3 API deliver to functions, queues and topics; bucket values reach the environment
// and a bucket's CorsConfiguration is applied.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateBucketCommand, DeleteObjectCommand, GetBucketCorsCommand, GetBucketNotificationConfigurationCommand, GetObjectCommand, HeadBucketCommand,
  PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startGannetDev, type GannetDev } from '../helpers/gannet-process.ts';
import { awsCli, awsCliJson, awsCliSkip } from '../helpers/aws-cli.ts';
import { assertSameShape } from '../helpers/event-shape.ts';
import { eventually, printed } from '../helpers/function-output.ts';

const dir = fileURLToPath(new URL('./fixtures/buckets', import.meta.url));
const realEvent = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/aws-events/s3-event.json', import.meta.url)), 'utf8'));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const UPLOADS = 'buckets-e2e-uploads';
const PHOTOS = 'buckets-e2e-photos';
const functionArn = (fn: string) => `arn:aws:lambda:us-east-1:000000000000:function:buckets-e2e-dev-${fn}`;
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:buckets-e2e-${name}`;

type S3Record = {
  eventVersion: string; eventSource: string; awsRegion: string; eventTime: string; eventName: string;
  userIdentity: { principalId: string }; requestParameters: { sourceIPAddress: string };
  responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
  s3: { s3SchemaVersion: string; configurationId: string; bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer: string } };
};
type Recorded = { fn: string; event: { Records: S3Record[] } };

/** The real example without `versionId`: S3 only sends it for versioned buckets. */
function realUnversioned(): S3Record {
  const r = structuredClone(realEvent.Records[0]);
  delete r.s3.object.versionId;
  return r;
}

/** S3 event keys are form-encoded: what a handler does to get the key back. */
const decodeKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

describe('buckets under gannet dev', { concurrency: true }, () => {
  let dev: GannetDev;
  let s3: S3Client;
  let sqs: SQSClient;
  let dataDir: string;
  const cli = (args: string[]) => awsCli(args, { endpoint: dev.awsUrl, cwd: dataDir });
  const records = (fn: string) => printed<Recorded>(dev.stdout(), 'RECORDED').filter((r) => r.fn === `buckets-e2e-dev-${fn}`).flatMap((r) => {
    assert.equal(r.event.Records.length, 1, 'S3 sends one record per event');
    return r.event.Records;
  });
  const recordFor = (fn: string, bucket: string, key: string, eventPrefix = 'ObjectCreated:') => eventually(`${fn} to get ${eventPrefix}* for ${key}`,
    () => records(fn).find((r) => r.s3.bucket.name === bucket && decodeKey(r.s3.object.key) === key && r.eventName.startsWith(eventPrefix)));
  const receiveAll = async (queue: string, until: (bodies: Message[]) => boolean): Promise<Message[]> => {
    const got: Message[] = [];
    await eventually(`messages on ${queue}`, async () => {
      const r = await sqs.send(new ReceiveMessageCommand({
        QueueUrl: `${dev.awsUrl}/000000000000/buckets-e2e-${queue}`, MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
      }));
      got.push(...(r.Messages ?? []));
      return until(got);
    });
    return got;
  };
  const file = (name: string, body: Buffer) => { const p = join(dataDir, name); writeFileSync(p, body); return p; };
  const getObject = async (bucket: string, key: string) => {
    const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await r.Body!.transformToByteArray());
  };
  /** Waits until no function run is in flight; with the uploads that preceded it, a negative check is then meaningful. */
  const settled = async () => {
    const count = (re: RegExp) => [...dev.stdout().matchAll(re)].length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await eventually('every started invocation to end', () => count(/^START RequestId/gm) === count(/^REPORT RequestId/gm));
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gannet-buckets-'));
    dev = await startGannetDev(undefined, dir, ['--no-watch', '--no-schedules', '--data-dir', join(dataDir, 'store')]);
    s3 = new S3Client({ endpoint: dev.awsUrl, region: 'us-east-1', forcePathStyle: true, credentials });
    sqs = new SQSClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
  });
  after(async () => {
    s3?.destroy();
    sqs?.destroy();
    await dev?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('an upload with the AWS CLI triggers the function whose rules match, and no other', { skip: awsCliSkip }, async () => {
    // One matching key per function, and near misses that match one rule of a function but not the other.
    const tree: Record<string, Buffer> = {
      'images/cat.png': randomBytes(2048), 'docs/a.txt': Buffer.from('words'),
      'images/cat.jpg': Buffer.from('1'), 'thumbs/images/cat.png': Buffer.from('2'), 'docs/readme.md': Buffer.from('3'),
      'images/notes.txt': Buffer.from('4'), 'docs/images/x.png': Buffer.from('5'),
    };
    const local = join(dataDir, 'tree');
    for (const [key, body] of Object.entries(tree)) {
      mkdirSync(dirname(join(local, key)), { recursive: true });
      writeFileSync(join(local, key), body);
    }
    const up = await cli(['s3', 'cp', '--recursive', local, `s3://${UPLOADS}/`]);
    assert.equal(up.code, 0, up.stderr);

    const record = await recordFor('images', UPLOADS, 'images/cat.png');
    assert.equal(record.eventName, 'ObjectCreated:Put');
    assert.equal(record.s3.object.size, tree['images/cat.png']!.length);
    assert.equal(record.s3.object.eTag, md5(tree['images/cat.png']!));
    await recordFor('documents', UPLOADS, 'docs/a.txt');
    await settled();
    const keysSeen = (fn: string) => records(fn).map((r) => decodeKey(r.s3.object.key)).filter((k) => k in tree);
    assert.deepEqual(keysSeen('images'), ['images/cat.png'], 'images ran only for its own key');
    assert.deepEqual(keysSeen('documents'), ['docs/a.txt'], 'documents ran only for its own key');
  });

  test('the S3 event a handler receives matches a real one field by field', async () => {
    const key = 'images/my photo+1 (ü)&co.png';
    const body = Buffer.from('not really a png');
    const put = await s3.send(new PutObjectCommand({ Bucket: UPLOADS, Key: key, Body: body }));
    const record = await recordFor('images', UPLOADS, key);

    assertSameShape(record, realUnversioned());
    assert.equal(record.eventVersion, '2.1');
    assert.equal(record.eventSource, 'aws:s3');
    assert.equal(record.awsRegion, 'us-east-1');
    assert.equal(record.eventName, 'ObjectCreated:Put');
    assert.match(record.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(record.s3.s3SchemaVersion, '1.0');
    assert.equal(record.s3.bucket.name, UPLOADS);
    assert.equal(record.s3.bucket.arn, `arn:aws:s3:::${UPLOADS}`);
    assert.equal(record.s3.object.key, 'images/my+photo%2B1+%28%C3%BC%29%26co.png', 'form-encoded: + for spaces, %XX for the rest');
    assert.equal(record.s3.object.size, body.length);
    assert.equal(record.s3.object.eTag, md5(body), 'eTag without quotes');
    assert.equal(`"${record.s3.object.eTag}"`, put.ETag);
    assert.match(record.s3.object.sequencer, /^[0-9A-F]+$/);
    assert.match(record.requestParameters.sourceIPAddress, /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    assert.equal(record.responseElements['x-amz-request-id'], put.$metadata.requestId, 'the request id the upload was answered with');
    assert.equal(record.responseElements['x-amz-id-2'], put.$metadata.extendedRequestId, 'the host id the upload was answered with');
  });

  test('deleting objects sends ObjectRemoved events without size or eTag, sequenced after the creation', { skip: awsCliSkip }, async () => {
    const key = 'images/gone soon.png';
    await s3.send(new PutObjectCommand({ Bucket: UPLOADS, Key: key, Body: randomBytes(10) }));
    const created = await recordFor('images', UPLOADS, key);
    const rm = await cli(['s3', 'rm', `s3://${UPLOADS}/${key}`]);
    assert.equal(rm.code, 0, rm.stderr);
    const removed = await recordFor('removals', UPLOADS, key, 'ObjectRemoved:');
    assert.equal(removed.eventName, 'ObjectRemoved:Delete');
    assert.deepEqual(Object.keys(removed.s3.object).sort(), ['key', 'sequencer']);
    assertSameShape({ ...removed, s3: { ...removed.s3, object: { ...removed.s3.object, size: 0, eTag: '' } } }, realUnversioned());
    // S3's rule for comparing sequencers of one key: pad the shorter with zeros, compare as text.
    const width = Math.max(created.s3.object.sequencer.length, removed.s3.object.sequencer.length);
    assert.ok(removed.s3.object.sequencer.padStart(width, '0') > created.s3.object.sequencer.padStart(width, '0'), 'the removal is sequenced after the creation');

    // A batch delete (`aws s3 rm --recursive` uses DeleteObjects) notifies once per object.
    for (const k of ['batch/one', 'batch/two']) await s3.send(new PutObjectCommand({ Bucket: UPLOADS, Key: k, Body: k }));
    const rmr = await cli(['s3', 'rm', '--recursive', `s3://${UPLOADS}/batch/`]);
    assert.equal(rmr.code, 0, rmr.stderr);
    await recordFor('removals', UPLOADS, 'batch/one', 'ObjectRemoved:');
    await recordFor('removals', UPLOADS, 'batch/two', 'ObjectRemoved:');
  });

  test('a multipart upload and a copy notify as CompleteMultipartUpload and Copy', { skip: awsCliSkip }, async () => {
    const big = randomBytes(9 * 1024 * 1024); // the CLI uploads files of 8 MB or more in parts
    assert.equal((await cli(['s3', 'cp', file('big.png', big), `s3://${UPLOADS}/images/big.png`])).code, 0);
    const multipart = await recordFor('images', UPLOADS, 'images/big.png');
    assert.equal(multipart.eventName, 'ObjectCreated:CompleteMultipartUpload');
    assert.equal(multipart.s3.object.size, big.length);
    assert.match(multipart.s3.object.eTag!, /^[0-9a-f]{32}-2$/, 'a multipart ETag, without quotes');

    const cp = await cli(['s3', 'cp', `s3://${UPLOADS}/images/big.png`, `s3://${UPLOADS}/images/copy.png`]);
    assert.equal(cp.code, 0, cp.stderr);
    const copied = await recordFor('images', UPLOADS, 'images/copy.png');
    assert.match(copied.eventName, /^ObjectCreated:(Copy|CompleteMultipartUpload)$/);
    assert.equal(copied.s3.object.size, big.length);
  });

  test('objects round-trip byte for byte between the AWS CLI and the SDK', { skip: awsCliSkip }, async () => {
    const bucket = (await lambdaEnv(dev)).SCRATCH_REF!;
    const all = Buffer.alloc(256 * 4);
    for (let i = 0; i < all.length; i++) all[i] = i % 256;
    const cases: Record<string, Buffer> = {
      'binary/every byte.bin': all,
      'empty': Buffer.alloc(0),
      'big/twelve megabytes.bin': randomBytes(12 * 1024 * 1024), // uploaded in parts by the CLI
      'names/with spaces and + plus.txt': Buffer.from('plus'),
      'names/ünïcödé/日本語 ✓.txt': Buffer.from('unicode'),
      "names/odd chars !$&'()*,;=@[]~%.txt": Buffer.from('odd'),
    };
    const up = join(dataDir, 'up');
    for (const [key, body] of Object.entries(cases)) {
      mkdirSync(dirname(join(up, key)), { recursive: true });
      writeFileSync(join(up, key), body);
    }
    const put = await cli(['s3', 'cp', '--recursive', up, `s3://${bucket}/`]);
    assert.equal(put.code, 0, put.stderr);
    for (const [key, body] of Object.entries(cases)) {
      assert.equal(sha256(await getObject(bucket, key)), sha256(body), `${key} read back with the SDK`);
    }
    const listed = await awsCliJson<{ Contents: { Key: string; Size: number }[] }>(['s3api', 'list-objects-v2', '--bucket', bucket], { endpoint: dev.awsUrl });
    assert.deepEqual(listed.Contents.map((o) => [o.Key, o.Size]).sort(), Object.entries(cases).map(([k, b]) => [k, b.length]).sort());

    // Written with the SDK, read back with the CLI (whose listing asks for URL-encoded keys).
    for (const [key, body] of Object.entries(cases)) {
      if (body.length < 1024 * 1024) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `sdk/${key}`, Body: body }));
    }
    const down = join(dataDir, 'down');
    const get = await cli(['s3', 'cp', '--recursive', `s3://${bucket}/`, down]);
    assert.equal(get.code, 0, get.stderr);
    for (const [key, body] of Object.entries(cases)) {
      assert.equal(sha256(readFileSync(join(down, key))), sha256(body), `${key} read back with the CLI`);
      if (body.length < 1024 * 1024) assert.equal(sha256(readFileSync(join(down, 'sdk', key))), sha256(body), `sdk/${key} read back with the CLI`);
    }
  });

  test("a bucket's NotificationConfiguration in resources delivers to its function (with Filter rules) and its queue", async () => {
    await s3.send(new PutObjectCommand({ Bucket: PHOTOS, Key: 'raw/holiday.jpg', Body: 'jpg' }));
    await s3.send(new PutObjectCommand({ Bucket: PHOTOS, Key: 'raw/holiday.png', Body: 'png' }));
    await s3.send(new PutObjectCommand({ Bucket: PHOTOS, Key: 'done/holiday.jpg', Body: 'jpg' }));
    const record = await recordFor('photos', PHOTOS, 'raw/holiday.jpg');
    assertSameShape(record, realUnversioned());
    assert.equal(record.s3.bucket.name, PHOTOS);

    await s3.send(new PutObjectCommand({ Bucket: PHOTOS, Key: 'raw/old.jpg', Body: 'old' }));
    await recordFor('photos', PHOTOS, 'raw/old.jpg');
    await s3.send(new DeleteObjectCommand({ Bucket: PHOTOS, Key: 'raw/old.jpg' }));
    const messages = await receiveAll('photo-events', (got) => got.some((m) => m.Body?.includes('raw/old.jpg')));
    const event = JSON.parse(messages.find((m) => m.Body?.includes('raw/old.jpg'))!.Body!) as { Records: S3Record[] };
    assert.equal(event.Records[0]!.eventName, 'ObjectRemoved:Delete');
    assert.equal(event.Records[0]!.s3.object.key, 'raw/old.jpg');

    await settled();
    assert.deepEqual(records('photos').map((r) => r.s3.object.key).sort(), ['raw/holiday.jpg', 'raw/old.jpg']);
  });

  test('PutBucketNotificationConfiguration through the API delivers to a function, a queue and a topic', async () => {
    const bucket = 'buckets-e2e-api';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [{ Id: 'csv-to-fn', LambdaFunctionArn: functionArn('configured'), Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.csv' }] } } }],
        QueueConfigurations: [{ Id: 'logs-to-queue', QueueArn: queueArn('api-events'), Events: ['s3:ObjectCreated:Put'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'logs/' }, { Name: 'suffix', Value: '.log' }] } } }],
        TopicConfigurations: [{ Id: 'removals-to-topic', TopicArn: 'arn:aws:sns:us-east-1:000000000000:buckets-e2e-api-topic', Events: ['s3:ObjectRemoved:*'] }],
      },
    }));
    const stored = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    assert.equal(stored.LambdaFunctionConfigurations?.[0]?.LambdaFunctionArn, functionArn('configured'));

    // S3 first sends the queue and the topic of a new configuration its s3:TestEvent.
    const tests = await receiveAll('api-events', (got) => got.some((m) => m.Body?.includes('s3:TestEvent')));
    const testEvent = JSON.parse(tests.find((m) => m.Body?.includes('s3:TestEvent'))!.Body!) as Record<string, string>;
    assert.deepEqual(Object.keys(testEvent), ['Service', 'Event', 'Time', 'Bucket', 'RequestId', 'HostId']);
    assert.deepEqual([testEvent.Service, testEvent.Event, testEvent.Bucket], ['Amazon S3', 's3:TestEvent', bucket]);
    const viaTopic = await receiveAll('topic-events', (got) => got.some((m) => m.Body?.includes('s3:TestEvent')));
    assert.equal((JSON.parse(JSON.parse(viaTopic.find((m) => m.Body?.includes('s3:TestEvent'))!.Body!).Message) as { Event: string }).Event, 's3:TestEvent');

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'report.csv', Body: 'a,b' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'logs/today.log', Body: 'log' }));
    const record = await recordFor('configured', bucket, 'report.csv');
    assert.equal(record.s3.configurationId, 'csv-to-fn');
    assertSameShape(record, realUnversioned());

    const queued = await receiveAll('api-events', (got) => got.some((m) => m.Body?.includes('logs/today.log')));
    const queuedEvent = JSON.parse(queued.find((m) => m.Body?.includes('logs/today.log'))!.Body!) as { Records: S3Record[] };
    assert.equal(queuedEvent.Records[0]!.s3.configurationId, 'logs-to-queue');
    assertSameShape(queuedEvent.Records[0], realUnversioned());

    const { $metadata } = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'to-delete', Body: 'x' }));
    assert.equal($metadata.httpStatusCode, 200);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'to-delete' }));
    const enveloped = await receiveAll('topic-events', (got) => got.some((m) => m.Body?.includes('to-delete')));
    const envelope = JSON.parse(enveloped.find((m) => m.Body?.includes('to-delete'))!.Body!) as { Type: string; Subject: string; Message: string; TopicArn: string };
    assert.equal(envelope.Type, 'Notification');
    assert.equal(envelope.TopicArn, 'arn:aws:sns:us-east-1:000000000000:buckets-e2e-api-topic');
    assert.equal(envelope.Subject, 'Amazon S3 Notification');
    const removed = (JSON.parse(envelope.Message) as { Records: S3Record[] }).Records[0]!;
    assert.equal(removed.eventName, 'ObjectRemoved:Delete');
    assert.equal(removed.s3.configurationId, 'removals-to-topic');
  });

  test('GetBucketNotificationConfiguration lists what serverless.yml declares, as AWS shows it after a deploy', { skip: awsCliSkip }, async () => {
    type Listed = { LambdaFunctionConfigurations?: { Id: string; LambdaFunctionArn: string; Events: string[]; Filter?: { Key: { FilterRules: { Name: string; Value: string }[] } } }[];
      QueueConfigurations?: { QueueArn: string; Events: string[] }[] };
    const uploads = await awsCliJson<Listed>(['s3api', 'get-bucket-notification-configuration', '--bucket', UPLOADS], { endpoint: dev.awsUrl });
    const byArn = Object.fromEntries((uploads.LambdaFunctionConfigurations ?? []).map((c) => [c.LambdaFunctionArn, c]));
    assert.deepEqual(Object.keys(byArn).sort(), [functionArn('documents'), functionArn('images'), functionArn('removals')]);
    assert.deepEqual(byArn[functionArn('images')]!.Events, ['s3:ObjectCreated:*']);
    assert.deepEqual(byArn[functionArn('images')]!.Filter?.Key.FilterRules.map((r) => [r.Name.toLowerCase(), r.Value]), [['prefix', 'images/'], ['suffix', '.png']]);
    assert.deepEqual(byArn[functionArn('removals')]!.Events, ['s3:ObjectRemoved:*']);

    const photos = await awsCliJson<Listed>(['s3api', 'get-bucket-notification-configuration', '--bucket', PHOTOS], { endpoint: dev.awsUrl });
    assert.deepEqual(photos.LambdaFunctionConfigurations?.map((c) => c.LambdaFunctionArn), [functionArn('photos')]);
    assert.deepEqual(photos.QueueConfigurations?.map((c) => [c.QueueArn, c.Events]), [[queueArn('photo-events'), ['s3:ObjectRemoved:*']]]);
  });

  test('AWS::S3::Bucket Ref and GetAtt values reach the environment; every declared bucket exists', async () => {
    const env = await lambdaEnv(dev);
    assert.equal(env.PHOTOS_REF, PHOTOS);
    assert.equal(env.PHOTOS_ARN, `arn:aws:s3:::${PHOTOS}`);
    assert.equal(env.PHOTOS_DOMAIN, `${PHOTOS}.s3.amazonaws.com`);
    assert.equal(env.PHOTOS_REGIONAL_DOMAIN, `${PHOTOS}.s3.us-east-1.amazonaws.com`);
    assert.equal(env.OBJECTS_ARN, `arn:aws:s3:::${PHOTOS}/*`);
    assert.equal(env.UPLOADS_REF, UPLOADS);
    assert.match(env.SCRATCH_REF!, /^buckets-e2e-dev-scratchbucket-[a-z0-9]{12}$/, 'a generated name, lower case');
    for (const bucket of [PHOTOS, UPLOADS, env.SCRATCH_REF!]) {
      const head = await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      assert.equal(head.$metadata.httpStatusCode, 200, bucket);
    }
  });

  test("a bucket's CorsConfiguration from resources is applied", async () => {
    const cors = await s3.send(new GetBucketCorsCommand({ Bucket: PHOTOS }));
    assert.deepEqual(cors.CORSRules, [{
      ID: 'web-uploads', AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'],
      ExposeHeaders: ['ETag'], MaxAgeSeconds: 600,
    }]);
    const preflight = (origin: string) => fetch(`${dev.awsUrl}/${PHOTOS}/raw/upload.jpg`, {
      method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    const allowed = await preflight('https://app.example.com');
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /PUT/);
    assert.equal(allowed.headers.get('access-control-max-age'), '600');
    const refused = await preflight('https://evil.example.com');
    assert.equal(refused.status, 403);
  });
});

async function lambdaEnv(dev: GannetDev): Promise<Record<string, string>> {
  const lambda = new LambdaClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
  try {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'buckets-e2e-dev-env' }));
    return JSON.parse(Buffer.from(out.Payload!).toString('utf8')) as Record<string, string>;
  } finally {
    lambda.destroy();
  }
}
