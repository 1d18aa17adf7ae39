// Object operations through the real SDK: put/get/head/delete, metadata, ranges, conditionals,
// overrides, copy, batch delete, and the notifications each create/delete hands to the sink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, DeleteObjectTaggingCommand, GetBucketAclCommand, GetObjectAclCommand,
  GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand, PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { rawRequest, startS3, s3Error } from './harness.ts';

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

test('objects: put and get keep bytes, metadata and content headers; ETag is the MD5', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('docs');
  const key = 'dir/naïve file+plus (1).txt';
  const put = await s3.send(new PutObjectCommand({
    Bucket: 'docs', Key: key, Body: 'hello world', ContentType: 'text/plain; charset=utf-8',
    ContentDisposition: 'attachment; filename="a.txt"', CacheControl: 'max-age=60', ContentLanguage: 'en',
    Metadata: { owner: 'Ana', 'x-trace': 't1' },
  }));
  assert.equal(put.ETag, `"${md5('hello world')}"`);

  const got = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: key }));
  assert.equal(await got.Body!.transformToString(), 'hello world');
  assert.equal(got.ETag, put.ETag);
  assert.equal(got.ContentType, 'text/plain; charset=utf-8');
  assert.equal(got.ContentDisposition, 'attachment; filename="a.txt"');
  assert.equal(got.CacheControl, 'max-age=60');
  assert.equal(got.ContentLanguage, 'en');
  assert.equal(got.ContentLength, 11);
  assert.equal(got.AcceptRanges, 'bytes');
  assert.deepEqual(got.Metadata, { owner: 'Ana', 'x-trace': 't1' });
  assert.ok(got.LastModified instanceof Date);

  const head = await s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: key }));
  assert.equal(head.ContentLength, 11);
  assert.equal(head.ETag, put.ETag);

  // Without a Content-Type S3 stores binary/octet-stream.
  const raw = await rawRequest(h.port, { method: 'PUT', path: '/docs/untyped', body: 'x' });
  assert.equal(raw.status, 200);
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'untyped' }))).ContentType, 'binary/octet-stream');
});

test('objects: missing keys are NoSuchKey (GET, with the key) and 404 without body (HEAD)', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('docs');
  const err = await s3Error(s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'nope/x.txt' })));
  assert.equal(err.name, 'NoSuchKey');
  assert.equal(err.$metadata.httpStatusCode, 404);
  const raw = await rawRequest(h.port, { path: '/docs/nope/x.txt' });
  assert.match(raw.text, /<Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>nope\/x.txt<\/Key>/);
  const head = await s3Error(s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'nope' })));
  assert.equal(head.name, 'NotFound');
  const noBucket = await s3Error(s3.send(new GetObjectCommand({ Bucket: 'missing', Key: 'x' })));
  assert.equal(noBucket.name, 'NoSuchBucket');
});

test('objects: byte ranges answer 206 with Content-Range, suffix ranges, and 416 InvalidRange', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('docs');
  await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'abc', Body: '0123456789' }));
  const part = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'abc', Range: 'bytes=2-5' }));
  assert.equal(part.$metadata.httpStatusCode, 206);
  assert.equal(part.ContentRange, 'bytes 2-5/10');
  assert.equal(part.ContentLength, 4);
  assert.equal(await part.Body!.transformToString(), '2345');

  const suffix = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'abc', Range: 'bytes=-3' }));
  assert.equal(await suffix.Body!.transformToString(), '789');
  assert.equal(suffix.ContentRange, 'bytes 7-9/10');
  const open = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'abc', Range: 'bytes=8-' }));
  assert.equal(await open.Body!.transformToString(), '89');
  const past = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'abc', Range: 'bytes=5-100' }));
  assert.equal(past.ContentRange, 'bytes 5-9/10');

  const bad = await s3Error(s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'abc', Range: 'bytes=10-20' })));
  assert.equal(bad.name, 'InvalidRange');
  assert.equal(bad.$metadata.httpStatusCode, 416);
  const raw = await rawRequest(h.port, { path: '/docs/abc', headers: { range: 'bytes=50-' } });
  assert.equal(raw.headers['content-range'], 'bytes */10');
  assert.match(raw.text, /<RangeRequested>bytes=50-<\/RangeRequested><ActualObjectSize>10<\/ActualObjectSize>/);
});

test('objects: conditional GETs answer 304 and 412', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('docs');
  const { ETag } = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'c', Body: 'cond' }));
  const future = new Date(Date.now() + 3600_000);
  const past = new Date(Date.now() - 3600_000);

  const notModified = await s3Error(s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'c', IfNoneMatch: ETag })));
  assert.equal(notModified.$metadata.httpStatusCode, 304);
  const notModified2 = await s3Error(s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'c', IfModifiedSince: future })));
  assert.equal(notModified2.$metadata.httpStatusCode, 304);
  const failed = await s3Error(s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'c', IfMatch: '"0000"' })));
  assert.equal(failed.name, 'PreconditionFailed');
  assert.equal(failed.$metadata.httpStatusCode, 412);
  const failed2 = await s3Error(s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'c', IfUnmodifiedSince: past })));
  assert.equal(failed2.$metadata.httpStatusCode, 412);

  const ok = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'c', IfMatch: ETag, IfModifiedSince: past }));
  assert.equal(await ok.Body!.transformToString(), 'cond');
  // If-Match that holds wins over a failing If-Unmodified-Since (S3's documented rule).
  const both = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'c', IfMatch: ETag, IfUnmodifiedSince: past }));
  assert.equal(both.$metadata.httpStatusCode, 200);
  await both.Body!.transformToString();
});

test('objects: response-* query parameters override GET headers', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('docs');
  await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'o', Body: 'x', ContentType: 'text/plain' }));
  const got = await s3.send(new GetObjectCommand({
    Bucket: 'docs', Key: 'o', ResponseContentType: 'application/json', ResponseContentDisposition: 'inline',
    ResponseCacheControl: 'no-store',
  }));
  assert.equal(got.ContentType, 'application/json');
  assert.equal(got.ContentDisposition, 'inline');
  assert.equal(got.CacheControl, 'no-store');
  await got.Body!.transformToString();
});

test('objects: conditional PUT with If-None-Match: * refuses to overwrite', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('docs');
  await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'once', Body: 'first', IfNoneMatch: '*' }));
  const err = await s3Error(s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'once', Body: 'second', IfNoneMatch: '*' })));
  assert.equal(err.$metadata.httpStatusCode, 412);
  const got = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'once' }));
  assert.equal(await got.Body!.transformToString(), 'first');
});

test('objects: CopyObject takes a copy source encoded whole, separator included, as AWS SDK examples write it', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('src-bucket');
  await h.provider.ensureBucket('dst-bucket');
  const srcKey = 'photos/my cat+dog (1) é?.png';
  await s3.send(new PutObjectCommand({ Bucket: 'src-bucket', Key: srcKey, Body: 'png' }));
  await s3.send(new CopyObjectCommand({ Bucket: 'dst-bucket', Key: srcKey, CopySource: encodeURIComponent(`src-bucket/${srcKey}`) }));
  const got = await s3.send(new GetObjectCommand({ Bucket: 'dst-bucket', Key: srcKey }));
  assert.equal(await got.Body!.transformToString(), 'png');
});

test('objects: CopyObject copies or replaces metadata, handles encoded sources, refuses a bare self-copy', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('src-bucket');
  await h.provider.ensureBucket('dst-bucket');
  const srcKey = 'photos/my photo+1 é.jpg';
  const put = await s3.send(new PutObjectCommand({ Bucket: 'src-bucket', Key: srcKey, Body: 'jpegbytes', ContentType: 'image/jpeg', Metadata: { a: '1' } }));

  const copied = await s3.send(new CopyObjectCommand({
    Bucket: 'dst-bucket', Key: 'copy.jpg', CopySource: `src-bucket/${encodeURIComponent(srcKey)}`,
  }));
  assert.equal(copied.CopyObjectResult?.ETag, put.ETag);
  assert.ok(copied.CopyObjectResult?.LastModified instanceof Date);
  const c = await s3.send(new GetObjectCommand({ Bucket: 'dst-bucket', Key: 'copy.jpg' }));
  assert.equal(await c.Body!.transformToString(), 'jpegbytes');
  assert.equal(c.ContentType, 'image/jpeg');
  assert.deepEqual(c.Metadata, { a: '1' });

  await s3.send(new CopyObjectCommand({
    Bucket: 'src-bucket', Key: srcKey, CopySource: `/src-bucket/${encodeURIComponent(srcKey)}`,
    MetadataDirective: 'REPLACE', ContentType: 'image/png', Metadata: { b: '2' },
  }));
  const r = await s3.send(new HeadObjectCommand({ Bucket: 'src-bucket', Key: srcKey }));
  assert.equal(r.ContentType, 'image/png');
  assert.deepEqual(r.Metadata, { b: '2' });

  const self = await s3Error(s3.send(new CopyObjectCommand({ Bucket: 'src-bucket', Key: srcKey, CopySource: `src-bucket/${encodeURIComponent(srcKey)}` })));
  assert.equal(self.name, 'InvalidRequest');
  const missing = await s3Error(s3.send(new CopyObjectCommand({ Bucket: 'dst-bucket', Key: 'x', CopySource: 'src-bucket/none' })));
  assert.equal(missing.name, 'NoSuchKey');
  const cond = await s3Error(s3.send(new CopyObjectCommand({
    Bucket: 'dst-bucket', Key: 'x', CopySource: `src-bucket/${encodeURIComponent(srcKey)}`, CopySourceIfMatch: '"bad"',
  })));
  assert.equal(cond.$metadata.httpStatusCode, 412);

  assert.deepEqual(h.notifications.map((n) => [n.eventName, n.bucket, n.key]), [
    ['ObjectCreated:Put', 'src-bucket', srcKey],
    ['ObjectCreated:Copy', 'dst-bucket', 'copy.jpg'],
    ['ObjectCreated:Copy', 'src-bucket', srcKey],
  ]);
});

test('objects: DeleteObject and DeleteObjects (quiet and verbose) notify each removal', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('docs');
  for (const k of ['a', 'b', 'c', 'd']) await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: k, Body: k }));
  h.notifications.length = 0;

  const del = await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'a' }));
  assert.equal(del.$metadata.httpStatusCode, 204);
  await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'never-existed' }));

  const verbose = await s3.send(new DeleteObjectsCommand({ Bucket: 'docs', Delete: { Objects: [{ Key: 'b' }, { Key: 'zzz' }] } }));
  assert.deepEqual(verbose.Deleted?.map((d) => d.Key), ['b', 'zzz']);
  const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: 'docs', Delete: { Quiet: true, Objects: [{ Key: 'c' }, { Key: 'd' }] } }));
  assert.equal(quiet.Deleted, undefined);
  assert.equal(quiet.Errors, undefined);

  assert.deepEqual(h.notifications.map((n) => [n.eventName, n.key, n.size, n.etag]),
    [['ObjectRemoved:Delete', 'a', undefined, undefined], ['ObjectRemoved:Delete', 'b', undefined, undefined],
      ['ObjectRemoved:Delete', 'c', undefined, undefined], ['ObjectRemoved:Delete', 'd', undefined, undefined]]);
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'c' })));

  // S3 requires an integrity header on DeleteObjects.
  const raw = await rawRequest(h.port, { method: 'POST', path: '/docs?delete', body: '<Delete><Object><Key>x</Key></Object></Delete>' });
  assert.equal(raw.status, 400);
  assert.match(raw.text, /Content-MD5/);
});

test('objects: notifications carry size, unquoted etag, source ip, request id and increasing hex sequencers', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('docs');
  const put = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'k', Body: 'abc' }));
  await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'k', Body: 'abcd' }));
  await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'k' }));
  const [first, second, removed] = h.notifications;
  assert.equal(first!.eventName, 'ObjectCreated:Put');
  assert.equal(first!.size, 3);
  assert.equal(first!.etag, put.ETag!.replace(/"/g, ''));
  assert.equal(first!.sourceIp, '127.0.0.1');
  assert.equal(first!.requestId, put.$metadata.requestId);
  assert.equal(second!.size, 4);
  assert.equal(removed!.eventName, 'ObjectRemoved:Delete');
  const seqs = h.notifications.map((n) => n.sequencer);
  for (const s of seqs) assert.match(s, /^[0-9A-F]+$/);
  assert.ok(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!, `sequencers increase: ${seqs.join(' ')}`);
});

test('objects: ACL reads report the owner, partNumber=1 reads a single-part object', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('docs');
  await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'p', Body: 'whole' }));
  const bucketAcl = await s3.send(new GetBucketAclCommand({ Bucket: 'docs' }));
  assert.equal(bucketAcl.Grants?.[0]?.Permission, 'FULL_CONTROL');
  assert.equal(bucketAcl.Grants?.[0]?.Grantee?.Type, 'CanonicalUser');
  assert.equal(bucketAcl.Grants?.[0]?.Grantee?.ID, bucketAcl.Owner?.ID);
  const objectAcl = await s3.send(new GetObjectAclCommand({ Bucket: 'docs', Key: 'p' }));
  assert.equal(objectAcl.Grants?.length, 1);
  assert.equal((await s3Error(s3.send(new GetObjectAclCommand({ Bucket: 'docs', Key: 'none' })))).name, 'NoSuchKey');

  const part = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'p', PartNumber: 1 }));
  assert.equal(part.$metadata.httpStatusCode, 206);
  assert.equal(await part.Body!.transformToString(), 'whole');
  const beyond = await s3Error(s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'p', PartNumber: 2 })));
  assert.equal(beyond.$metadata.httpStatusCode, 416);
});

test('objects: tags from x-amz-tagging and PutObjectTagging survive with bytes, ETag and Last-Modified unchanged', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('docs');
  const put = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'tagged', Body: 'data', Tagging: 'team=media&stage=a%20b', Metadata: { m: '1' } }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'tagged' }));
  assert.equal(head.TagCount, 2);
  assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: 'docs', Key: 'tagged' }))).TagSet,
    [{ Key: 'team', Value: 'media' }, { Key: 'stage', Value: 'a b' }]);

  // Tagging changes metadata only: S3 keeps Last-Modified (compared in ms through the store).
  const stored = await h.store.objects.head('docs', 'tagged');
  while (Date.now() <= stored!.lastModified) await new Promise((r) => setTimeout(r, 1));
  await s3.send(new PutObjectTaggingCommand({ Bucket: 'docs', Key: 'tagged', Tagging: { TagSet: [{ Key: 'only', Value: 'one' }] } }));
  assert.equal((await h.store.objects.head('docs', 'tagged'))?.lastModified, stored!.lastModified);
  const got = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'tagged' }));
  assert.equal(await got.Body!.transformToString(), 'data');
  assert.equal(got.ETag, put.ETag);
  assert.deepEqual(got.Metadata, { m: '1' });
  assert.equal(got.TagCount, 1);

  await s3.send(new CopyObjectCommand({ Bucket: 'docs', Key: 'copied', CopySource: 'docs/tagged' }));
  assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: 'docs', Key: 'copied' }))).TagSet, [{ Key: 'only', Value: 'one' }]);
  await s3.send(new CopyObjectCommand({ Bucket: 'docs', Key: 'retagged', CopySource: 'docs/tagged', TaggingDirective: 'REPLACE', Tagging: 'x=y' }));
  assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: 'docs', Key: 'retagged' }))).TagSet, [{ Key: 'x', Value: 'y' }]);

  await s3.send(new DeleteObjectTaggingCommand({ Bucket: 'docs', Key: 'tagged' }));
  assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: 'docs', Key: 'tagged' }))).TagSet, []);
  assert.equal((await h.store.objects.head('docs', 'tagged'))?.lastModified, stored!.lastModified);
  assert.equal((await s3Error(s3.send(new PutObjectTaggingCommand({ Bucket: 'docs', Key: 'none', Tagging: { TagSet: [] } })))).name, 'NoSuchKey');
  assert.equal((await s3Error(s3.send(new DeleteObjectTaggingCommand({ Bucket: 'ghost', Key: 'tagged' })))).name, 'NoSuchBucket');
  assert.equal((await s3Error(s3.send(new GetObjectTaggingCommand({ Bucket: 'docs', Key: 'none' })))).name, 'NoSuchKey');
  const tooMany = await s3Error(s3.send(new PutObjectTaggingCommand({
    Bucket: 'docs', Key: 'tagged', Tagging: { TagSet: Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) },
  })));
  assert.equal(tooMany.$metadata.httpStatusCode, 400);
});
