// Bucket sub-resources through the SDK: notification configuration (and its stored form), CORS
// (including preflights and actual browser requests), tagging and versioning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteBucketCorsCommand, DeleteBucketTaggingCommand, GetBucketCorsCommand, GetBucketNotificationConfigurationCommand,
  GetBucketTaggingCommand, GetBucketVersioningCommand, PutBucketCorsCommand, PutBucketNotificationConfigurationCommand,
  PutBucketTaggingCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { parseNotificationConfig, targetsFor, NOTIFICATION_CONFIG_KEY } from '../../../src/services/s3/index.ts';
import { rawRequest, startS3, s3Error } from './harness.ts';

const FN_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-thumb';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:removed';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:copies';

test('notification configuration: round trip, generated ids, and the stored form event sources read', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('notified');
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: 'notified',
    NotificationConfiguration: {
      LambdaFunctionConfigurations: [{
        Id: 'thumbs', LambdaFunctionArn: FN_ARN, Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }, { Name: 'suffix', Value: '.jpg' }] } },
      }],
      QueueConfigurations: [{ QueueArn: QUEUE_ARN, Events: ['s3:ObjectRemoved:*'] }],
      TopicConfigurations: [{
        Id: 'copies', TopicArn: TOPIC_ARN, Events: ['s3:ObjectCreated:Copy', 's3:ObjectCreated:CompleteMultipartUpload'],
        Filter: { Key: { FilterRules: [{ Name: 'Prefix' as 'prefix', Value: 'copies/' }] } },
      }],
    },
  }));
  const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notified' }));
  assert.deepEqual(got.LambdaFunctionConfigurations, [{
    Id: 'thumbs', LambdaFunctionArn: FN_ARN, Events: ['s3:ObjectCreated:*'],
    Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'uploads/' }, { Name: 'Suffix', Value: '.jpg' }] } },
  }]);
  assert.equal(got.QueueConfigurations?.[0]?.QueueArn, QUEUE_ARN);
  assert.ok(got.QueueConfigurations?.[0]?.Id, 'an Id is generated when omitted');
  assert.deepEqual(got.TopicConfigurations?.[0]?.Events, ['s3:ObjectCreated:Copy', 's3:ObjectCreated:CompleteMultipartUpload']);

  const stored = parseNotificationConfig((await h.store.objects.getBucket('notified'))!.config[NOTIFICATION_CONFIG_KEY]);
  assert.deepEqual(stored.targets.map((x) => [x.kind, x.arn, x.events, x.filter]), [
    ['lambda', FN_ARN, ['s3:ObjectCreated:*'], { prefix: 'uploads/', suffix: '.jpg' }],
    ['sqs', QUEUE_ARN, ['s3:ObjectRemoved:*'], {}],
    ['sns', TOPIC_ARN, ['s3:ObjectCreated:Copy', 's3:ObjectCreated:CompleteMultipartUpload'], { prefix: 'copies/' }],
  ]);
  assert.deepEqual(targetsFor(stored, 'ObjectCreated:Put', 'uploads/cat.jpg').map((x) => x.id), ['thumbs']);
  assert.deepEqual(targetsFor(stored, 'ObjectCreated:Put', 'other/cat.jpg'), []);
  assert.deepEqual(targetsFor(stored, 'ObjectRemoved:Delete', 'x').map((x) => x.kind), ['sqs']);
  assert.deepEqual(targetsFor(stored, 'ObjectCreated:Copy', 'copies/a.png').map((x) => x.kind), ['sns']);
  assert.deepEqual(targetsFor(stored, 'ObjectCreated:Put', 'copies/a.png'), []);

  // An empty configuration removes everything.
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'notified', NotificationConfiguration: {} }));
  const empty = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notified' }));
  assert.equal(empty.LambdaFunctionConfigurations, undefined);
  assert.deepEqual(parseNotificationConfig((await h.store.objects.getBucket('notified'))!.config[NOTIFICATION_CONFIG_KEY]).targets, []);
});

test('notification configuration: overlapping rules and unknown events are InvalidArgument', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('notified');
  const overlap = await s3Error(s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: 'notified',
    NotificationConfiguration: {
      LambdaFunctionConfigurations: [
        { LambdaFunctionArn: FN_ARN, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/' }] } } },
        { LambdaFunctionArn: FN_ARN, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/b/' }] } } },
      ],
    },
  })));
  assert.equal(overlap.name, 'InvalidArgument');
  assert.match(overlap.message, /overlapping/);

  // Same events but disjoint prefixes are fine.
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: 'notified',
    NotificationConfiguration: {
      LambdaFunctionConfigurations: [
        { LambdaFunctionArn: FN_ARN, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/' }] } } },
        { LambdaFunctionArn: FN_ARN, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'b/' }] } } },
      ],
    },
  }));
  const unknown = await s3Error(s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: 'notified', NotificationConfiguration: { QueueConfigurations: [{ QueueArn: QUEUE_ARN, Events: ['s3:ObjectMunched:*' as 's3:ObjectCreated:*'] }] },
  })));
  assert.equal(unknown.name, 'InvalidArgument');
  const malformed = await rawRequest(h.port, { method: 'PUT', path: '/notified?notification', body: '<NotificationConfiguration><oops' });
  assert.equal(malformed.status, 400);
  assert.match(malformed.text, /<Code>MalformedXML<\/Code>/);
});

test('CORS: configuration round trip, preflights, and headers on actual requests', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('web');
  const none = await s3Error(s3.send(new GetBucketCorsCommand({ Bucket: 'web' })));
  assert.equal(none.name, 'NoSuchCORSConfiguration');
  const noCors = await rawRequest(h.port, {
    method: 'OPTIONS', path: '/web/upload.bin', headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' },
  });
  assert.equal(noCors.status, 403);

  const rules = [{ AllowedOrigins: ['https://*.example'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type', 'x-amz-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 }];
  await s3.send(new PutBucketCorsCommand({ Bucket: 'web', CORSConfiguration: { CORSRules: rules } }));
  const got = await s3.send(new GetBucketCorsCommand({ Bucket: 'web' }));
  assert.deepEqual(got.CORSRules, rules);

  const ok = await rawRequest(h.port, {
    method: 'OPTIONS', path: '/web/upload.bin',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'Content-Type, X-Amz-Date' },
  });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example');
  assert.equal(ok.headers['access-control-allow-methods'], 'GET, PUT');
  assert.equal(ok.headers['access-control-allow-headers'], 'content-type, x-amz-date');
  assert.equal(ok.headers['access-control-max-age'], '600');
  const refused = await rawRequest(h.port, {
    method: 'OPTIONS', path: '/web/upload.bin', headers: { origin: 'https://evil.test', 'access-control-request-method': 'PUT' },
  });
  assert.equal(refused.status, 403);
  assert.match(refused.text, /<Code>CORSResponse<\/Code>/);
  const badMethod = await rawRequest(h.port, {
    method: 'OPTIONS', path: '/web/upload.bin', headers: { origin: 'https://app.example', 'access-control-request-method': 'DELETE' },
  });
  assert.equal(badMethod.status, 403);

  await s3.send(new PutObjectCommand({ Bucket: 'web', Key: 'page.html', Body: '<p>hi</p>' }));
  const actual = await rawRequest(h.port, { path: '/web/page.html', headers: { origin: 'https://www.example' } });
  assert.equal(actual.headers['access-control-allow-origin'], 'https://www.example');
  assert.equal(actual.headers['access-control-expose-headers'], 'ETag');
  const foreign = await rawRequest(h.port, { path: '/web/page.html', headers: { origin: 'https://evil.test' } });
  assert.equal(foreign.headers['access-control-allow-origin'], undefined);

  await s3.send(new DeleteBucketCorsCommand({ Bucket: 'web' }));
  assert.equal((await s3Error(s3.send(new GetBucketCorsCommand({ Bucket: 'web' })))).name, 'NoSuchCORSConfiguration');
});

test('bucket tagging and versioning', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('tagged');
  assert.equal((await s3Error(s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' })))).name, 'NoSuchTagSet');
  await s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged', Tagging: { TagSet: [{ Key: 'team', Value: 'media' }, { Key: 'env', Value: 'dev' }] } }));
  const tags = await s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' }));
  assert.deepEqual(tags.TagSet, [{ Key: 'team', Value: 'media' }, { Key: 'env', Value: 'dev' }]);
  await s3.send(new DeleteBucketTaggingCommand({ Bucket: 'tagged' }));
  assert.equal((await s3Error(s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' })))).name, 'NoSuchTagSet');

  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: 'tagged' }));
  assert.equal(versioning.Status, undefined);
});
