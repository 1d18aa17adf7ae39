// Bucket operations through the real SDK and raw HTTP: create, list, head, delete, location, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteBucketCommand, GetBucketLocationCommand, HeadBucketCommand, ListBucketsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { startS3, s3Error } from './harness.ts';

test('buckets: create, list, head, location, delete', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  const created = await s3.send(new CreateBucketCommand({ Bucket: 'alpha' }));
  assert.equal(created.Location, '/alpha');
  await s3.send(new CreateBucketCommand({ Bucket: 'beta', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));

  const listed = await s3.send(new ListBucketsCommand({}));
  assert.deepEqual(listed.Buckets?.map((b) => b.Name), ['alpha', 'beta']);
  assert.ok(listed.Buckets![0]!.CreationDate instanceof Date);
  assert.equal(listed.Owner?.ID?.length, 64);

  const head = await s3.send(new HeadBucketCommand({ Bucket: 'beta' }));
  assert.equal(head.BucketRegion, 'eu-west-1');
  assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: 'beta' }))).LocationConstraint, 'eu-west-1');
  // us-east-1 is reported as an empty constraint.
  assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: 'alpha' }))).LocationConstraint, undefined);

  await s3.send(new DeleteBucketCommand({ Bucket: 'alpha' }));
  assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name), ['beta']);
});

test('buckets: re-creating an own bucket is 200 in us-east-1 and 409 BucketAlreadyOwnedByYou elsewhere', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await s3.send(new CreateBucketCommand({ Bucket: 'legacy' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'legacy' }));

  await s3.send(new CreateBucketCommand({ Bucket: 'regional', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  const err = await s3Error(s3.send(new CreateBucketCommand({ Bucket: 'regional', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
  assert.equal(err.name, 'BucketAlreadyOwnedByYou');
  assert.equal(err.$metadata.httpStatusCode, 409);
});

test('buckets: ensureBucket is idempotent and validates names', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  await h.provider.ensureBucket('from-resources');
  await h.provider.ensureBucket('from-resources');
  assert.equal((await h.store.objects.getBucket('from-resources'))?.region, 'us-east-1');
  await assert.rejects(h.provider.ensureBucket('Bad_Name'), (e: Error & { awsCode?: string }) => e.awsCode === 'InvalidBucketName');
});

test('buckets: errors are S3 XML with request ids; HEAD errors have no body', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();

  const bad = await s3Error(s3.send(new CreateBucketCommand({ Bucket: 'Not_Valid' })));
  assert.equal(bad.name, 'InvalidBucketName');

  const res = await fetch(`${h.endpoint}/missing/some/key`);
  assert.equal(res.status, 404);
  assert.match(res.headers.get('x-amz-request-id') ?? '', /^[0-9A-F]{16}$/);
  assert.ok(res.headers.get('x-amz-id-2'));
  const body = await res.text();
  assert.match(body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><BucketName>missing<\/BucketName><RequestId>[0-9A-F]{16}<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/);
  assert.ok(body.includes(`<RequestId>${res.headers.get('x-amz-request-id')}</RequestId>`));

  const head = await fetch(`${h.endpoint}/missing`, { method: 'HEAD' });
  assert.equal(head.status, 404);
  assert.equal(await head.text(), '');
  const headErr = await s3Error(s3.send(new HeadBucketCommand({ Bucket: 'missing' })));
  assert.equal(headErr.name, 'NotFound');
});

test('buckets: a bucket with objects cannot be deleted (BucketNotEmpty)', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await s3.send(new CreateBucketCommand({ Bucket: 'full' }));
  await s3.send(new PutObjectCommand({ Bucket: 'full', Key: 'k', Body: 'x' }));
  const err = await s3Error(s3.send(new DeleteBucketCommand({ Bucket: 'full' })));
  assert.equal(err.name, 'BucketNotEmpty');
  assert.equal(err.$metadata.httpStatusCode, 409);
  const missing = await s3Error(s3.send(new DeleteBucketCommand({ Bucket: 'nope' })));
  assert.equal(missing.name, 'NoSuchBucket');
});

test('buckets: unsupported sub-resources answer NotImplemented, wrong methods MethodNotAllowed', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  await h.provider.ensureBucket('bbb');
  const policy = await fetch(`${h.endpoint}/bbb?policy`);
  assert.equal(policy.status, 501);
  assert.match(await policy.text(), /<Code>NotImplemented<\/Code>/);
  const post = await fetch(`${h.endpoint}/`, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.match(await post.text(), /<Code>MethodNotAllowed<\/Code>/);
});
