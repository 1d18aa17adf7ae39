// Conditional writes through the SDK: If-None-Match: * and If-Match on PutObject and
// CompleteMultipartUpload, decided atomically, so of concurrent conditional writers exactly one wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand,
  PutObjectCommand, S3ServiceException, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startS3, s3Error } from './harness.ts';

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

/** Settles every request, then splits them into the ETags of the successes and the S3 errors. */
async function settleAll(requests: Promise<{ ETag?: string }>[]): Promise<{ won: string[]; failed: S3ServiceException[] }> {
  const results = await Promise.allSettled(requests);
  const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.ETag!] : []));
  const failed = results.flatMap((r) => {
    if (r.status === 'fulfilled') return [];
    if (!(r.reason instanceof S3ServiceException)) throw r.reason;
    return [r.reason];
  });
  return { won, failed };
}

test('conditional writes: of 10 concurrent create-only PutObjects exactly one gets 200, the rest 412', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client({ maxAttempts: 1 });
  await h.provider.ensureBucket('locks');
  const bodies = Array.from({ length: 10 }, (_, i) => Buffer.alloc(256 * 1024, i + 1));
  const { won, failed } = await settleAll(bodies.map((Body) => s3.send(new PutObjectCommand({ Bucket: 'locks', Key: 'leader', Body, IfNoneMatch: '*' }))));
  assert.equal(won.length, 1, 'exactly one create succeeds');
  assert.equal(failed.length, 9);
  for (const err of failed) {
    assert.equal(err.$metadata.httpStatusCode, 412);
    assert.equal(err.name, 'PreconditionFailed');
    assert.equal(err.message, 'At least one of the pre-conditions you specified did not hold');
  }
  const got = await s3.send(new GetObjectCommand({ Bucket: 'locks', Key: 'leader' }));
  const bytes = Buffer.from(await got.Body!.transformToByteArray());
  assert.equal(got.ETag, won[0]);
  assert.equal(`"${md5(bytes)}"`, won[0], 'the stored body is the winner\'s');
  assert.equal(h.notifications.filter((n) => n.key === 'leader').length, 1, 'only the winner is announced');
});

test('conditional writes: If-Match replaces only the version named; of concurrent swaps one wins', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client({ maxAttempts: 1 });
  await h.provider.ensureBucket('docs');
  const v1 = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'state.json', Body: '{"n":1}' }));
  const v2 = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'state.json', Body: '{"n":2}', IfMatch: v1.ETag }));
  assert.equal(v2.ETag, `"${md5('{"n":2}')}"`);
  const stale = await s3Error(s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'state.json', Body: '{"n":3}', IfMatch: v1.ETag })));
  assert.equal(stale.$metadata.httpStatusCode, 412);
  assert.equal(stale.name, 'PreconditionFailed');
  const missing = await s3Error(s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'nothing', Body: 'x', IfMatch: v1.ETag })));
  assert.equal(missing.$metadata.httpStatusCode, 404);
  assert.equal(missing.name, 'NoSuchKey');

  const { won, failed } = await settleAll(Array.from({ length: 10 }, (_, i) =>
    s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'state.json', Body: Buffer.alloc(128 * 1024, i + 3), IfMatch: v2.ETag }))));
  assert.equal(won.length, 1, 'exactly one compare-and-swap succeeds');
  assert.deepEqual(failed.map((e) => e.$metadata.httpStatusCode), Array(9).fill(412));
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'state.json' }))).ETag, won[0]);
});

test('conditional writes: CompleteMultipartUpload honours If-None-Match and If-Match, keeping the upload on 412', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client({ maxAttempts: 1 });
  await h.provider.ensureBucket('docs');
  const old = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'big.bin', Body: 'old' }));
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'docs', Key: 'big.bin' }));
  const part = await s3.send(new UploadPartCommand({ Bucket: 'docs', Key: 'big.bin', UploadId, PartNumber: 1, Body: 'new' }));
  const complete = (cond: { IfNoneMatch?: string; IfMatch?: string }) => s3.send(new CompleteMultipartUploadCommand({
    Bucket: 'docs', Key: 'big.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] }, ...cond,
  }));
  const exists = await s3Error(complete({ IfNoneMatch: '*' }));
  assert.equal(exists.$metadata.httpStatusCode, 412);
  assert.equal(exists.name, 'PreconditionFailed');
  assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'docs' }))).Uploads?.length, 1, 'the upload survives a failed condition');
  const done = await complete({ IfMatch: old.ETag });
  assert.equal(done.$metadata.httpStatusCode, 200);
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'big.bin' }))).Body!.transformToString(), 'new');
});
