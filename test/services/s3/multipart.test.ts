// Multipart uploads through the SDK: the happy path with S3's multipart ETag, the listings, part copies,
// and the validation errors of CompleteMultipartUpload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand,
  ListMultipartUploadsCommand, ListPartsCommand, PutObjectCommand, UploadPartCommand,
  UploadPartCopyCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { startS3, s3Error } from './harness.ts';

const MiB = 1024 * 1024;

function filled(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) b[i] = (seed + i) & 0xff;
  return b;
}

async function upload(s3: S3Client, bucket: string, key: string, parts: Buffer[]) {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const etags: string[] = [];
  for (const [i, body] of parts.entries()) {
    etags.push((await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: body }))).ETag!);
  }
  return { uploadId: UploadId!, etags };
}

test('multipart: create, upload, list, complete; ETag is md5-of-md5s with the part count', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('mpu');
  const p1 = filled(5 * MiB, 1), p2 = filled(1234, 2);
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({
    Bucket: 'mpu', Key: 'big/file.bin', ContentType: 'application/x-test', Metadata: { origin: 'multipart' },
  }));
  assert.ok(UploadId);
  const e1 = (await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'big/file.bin', UploadId, PartNumber: 1, Body: p1 }))).ETag!;
  const e2 = (await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'big/file.bin', UploadId, PartNumber: 2, Body: p2 }))).ETag!;
  assert.equal(e1, `"${createHash('md5').update(p1).digest('hex')}"`);

  const parts = await s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'big/file.bin', UploadId }));
  assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size]), [[1, e1, p1.length], [2, e2, p2.length]]);
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu' }));
  assert.deepEqual(uploads.Uploads?.map((u) => [u.Key, u.UploadId]), [['big/file.bin', UploadId]]);
  assert.ok(uploads.Uploads![0]!.Initiated instanceof Date);

  const done = await s3.send(new CompleteMultipartUploadCommand({
    Bucket: 'mpu', Key: 'big/file.bin', UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1 }, { PartNumber: 2, ETag: e2 }] },
  }));
  const md5s = Buffer.concat([p1, p2].map((p) => createHash('md5').update(p).digest()));
  assert.equal(done.ETag, `"${createHash('md5').update(md5s).digest('hex')}-2"`);
  assert.equal(done.Bucket, 'mpu');
  assert.equal(done.Key, 'big/file.bin');
  assert.match(done.Location ?? '', /\/mpu\/big\/file\.bin$/);

  const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'big/file.bin' }));
  assert.equal(got.ContentType, 'application/x-test');
  assert.deepEqual(got.Metadata, { origin: 'multipart' });
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([p1, p2])));
  assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu' }))).Uploads, undefined);

  const n = h.notifications.at(-1)!;
  assert.equal(n.eventName, 'ObjectCreated:CompleteMultipartUpload');
  assert.equal(n.size, p1.length + p2.length);
  assert.equal(n.etag, done.ETag!.replace(/"/g, ''));
});

test('multipart: CompleteMultipartUpload validates order, etags and part sizes', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('mpu');
  const { uploadId, etags } = await upload(s3, 'mpu', 'k', [filled(5 * MiB, 3), filled(10, 4)]);
  const complete = (parts: { PartNumber: number; ETag: string }[]) =>
    s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mpu', Key: 'k', UploadId: uploadId, MultipartUpload: { Parts: parts } }));

  const order = await s3Error(complete([{ PartNumber: 2, ETag: etags[1]! }, { PartNumber: 1, ETag: etags[0]! }]));
  assert.equal(order.name, 'InvalidPartOrder');
  const wrong = await s3Error(complete([{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }]));
  assert.equal(wrong.name, 'InvalidPart');
  const missing = await s3Error(complete([{ PartNumber: 1, ETag: etags[0]! }, { PartNumber: 3, ETag: etags[1]! }]));
  assert.equal(missing.name, 'InvalidPart');

  const small = await upload(s3, 'mpu', 'small', [filled(10, 5), filled(10, 6)]);
  const tooSmall = await s3Error(s3.send(new CompleteMultipartUploadCommand({
    Bucket: 'mpu', Key: 'small', UploadId: small.uploadId,
    MultipartUpload: { Parts: small.etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
  })));
  assert.equal(tooSmall.name, 'EntityTooSmall');

  // A single small part is fine (the last part may be any size), and the upload is still usable after errors.
  const ok = await complete([{ PartNumber: 1, ETag: etags[0]! }]);
  assert.match(ok.ETag ?? '', /-1"$/);
  assert.equal(h.notifications.filter((n) => n.eventName === 'ObjectCreated:CompleteMultipartUpload').length, 1);
});

test('multipart: abort, unknown uploads and bad part numbers', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('mpu');
  const { uploadId } = await upload(s3, 'mpu', 'k', [filled(100, 7)]);
  await s3.send(new AbortMultipartUploadCommand({ Bucket: 'mpu', Key: 'k', UploadId: uploadId }));
  const gone = await s3Error(s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'k', UploadId: uploadId })));
  assert.equal(gone.name, 'NoSuchUpload');
  assert.equal(gone.$metadata.httpStatusCode, 404);
  const bogus = await s3Error(s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'k', UploadId: 'nope', PartNumber: 1, Body: 'x' })));
  assert.equal(bogus.name, 'NoSuchUpload');
  const other = await upload(s3, 'mpu', 'k2', []);
  const wrongKey = await s3Error(s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'k', UploadId: other.uploadId, PartNumber: 1, Body: 'x' })));
  assert.equal(wrongKey.name, 'NoSuchUpload');
  const badPart = await s3Error(s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'k2', UploadId: other.uploadId, PartNumber: 10001, Body: 'x' })));
  assert.equal(badPart.name, 'InvalidArgument');
});

test('multipart: UploadPartCopy copies a byte range of an existing object', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('mpu');
  const source = filled(6 * MiB, 9);
  await s3.send(new PutObjectCommand({ Bucket: 'mpu', Key: 'source obj', Body: source }));
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: 'assembled' }));
  const c1 = await s3.send(new UploadPartCopyCommand({
    Bucket: 'mpu', Key: 'assembled', UploadId, PartNumber: 1, CopySource: `mpu/${encodeURIComponent('source obj')}`,
    CopySourceRange: `bytes=0-${5 * MiB - 1}`,
  }));
  const c2 = await s3.send(new UploadPartCopyCommand({
    Bucket: 'mpu', Key: 'assembled', UploadId, PartNumber: 2, CopySource: `mpu/${encodeURIComponent('source obj')}`,
    CopySourceRange: `bytes=${5 * MiB}-${6 * MiB - 1}`,
  }));
  assert.equal(c1.CopyPartResult?.ETag, `"${createHash('md5').update(source.subarray(0, 5 * MiB)).digest('hex')}"`);
  await s3.send(new CompleteMultipartUploadCommand({
    Bucket: 'mpu', Key: 'assembled', UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: c1.CopyPartResult!.ETag! }, { PartNumber: 2, ETag: c2.CopyPartResult!.ETag! }] },
  }));
  const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'assembled' }));
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(source));

  const beyond = await s3Error(s3.send(new UploadPartCopyCommand({
    Bucket: 'mpu', Key: 'assembled', UploadId: (await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: 'assembled' }))).UploadId,
    PartNumber: 1, CopySource: 'mpu/source%20obj', CopySourceRange: `bytes=0-${7 * MiB}`,
  })));
  assert.equal(beyond.name, 'InvalidArgument');
});
