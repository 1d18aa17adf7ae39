// Presigned URLs from @aws-sdk/s3-request-presigner: GET and PUT work with a plain HTTP client;
// an expired URL is refused with S3's AccessDenied "Request has expired".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startS3 } from './harness.ts';

test('presigned GET and PUT URLs work with plain fetch', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('shared');
  await s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'report 2024.pdf', Body: 'pdf bytes', ContentType: 'application/pdf' }));

  const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'shared', Key: 'report 2024.pdf', ResponseContentDisposition: 'attachment' }), { expiresIn: 300 });
  assert.match(getUrl, /X-Amz-Signature=/);
  const got = await fetch(getUrl);
  assert.equal(got.status, 200);
  assert.equal(await got.text(), 'pdf bytes');
  assert.equal(got.headers.get('content-type'), 'application/pdf');
  assert.equal(got.headers.get('content-disposition'), 'attachment');

  const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'shared', Key: 'upload.txt', ContentType: 'text/plain' }), { expiresIn: 300 });
  const put = await fetch(putUrl, { method: 'PUT', body: 'uploaded by a browser', headers: { 'content-type': 'text/plain' } });
  assert.equal(put.status, 200, await put.clone().text());
  assert.ok(put.headers.get('etag'));
  const back = await s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'upload.txt' }));
  assert.equal(await back.Body!.transformToString(), 'uploaded by a browser');
  assert.equal(back.ContentType, 'text/plain');
  assert.equal(h.notifications.at(-1)?.key, 'upload.txt');

  // Virtual-host style presigned URLs address the bucket by Host.
  const vh = h.virtualHostClient();
  const vhUrl = await getSignedUrl(vh, new GetObjectCommand({ Bucket: 'shared', Key: 'upload.txt' }), { expiresIn: 60 });
  assert.ok(new URL(vhUrl).hostname.startsWith('shared.localhost'));
});

test('an expired presigned URL is AccessDenied "Request has expired"', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('shared');
  await s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'k', Body: 'secret' }));
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'shared', Key: 'k' }), {
    expiresIn: 60, signingDate: new Date(Date.now() - 2 * 3600_000),
  });
  const res = await fetch(url);
  assert.equal(res.status, 403);
  const body = await res.text();
  assert.match(body, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message><X-Amz-Expires>60<\/X-Amz-Expires><Expires>[^<]+<\/Expires><ServerTime>[^<]+<\/ServerTime>/);
  const put = await fetch(await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'shared', Key: 'k' }), {
    expiresIn: 1, signingDate: new Date(Date.now() - 60_000),
  }), { method: 'PUT', body: 'overwrite' });
  assert.equal(put.status, 403);
  const kept = await s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'k' }));
  assert.equal(await kept.Body!.transformToString(), 'secret');
});
