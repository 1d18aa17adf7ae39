// Browser-based uploads (POST Object) with the SDK's presigned POST and plain HTML-form fields:
// the file streams to the object, the policy's conditions hold, S3's answers and errors come back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { startS3, type S3Harness } from './harness.ts';

async function harness(t: { after(fn: () => Promise<void>): void }): Promise<S3Harness> {
  const h = await startS3();
  t.after(() => h.close());
  await h.provider.ensureBucket('forms');
  return h;
}

/** Posts `fields` then the file, in that order, as a browser submits a form. */
function post(url: string, fields: Record<string, string>, file: Buffer, filename = 'upload.bin', after: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([file]), filename);
  for (const [k, v] of Object.entries(after)) form.append(k, v);
  return fetch(url, { method: 'POST', body: form });
}

const policyOf = (doc: unknown) => Buffer.from(JSON.stringify(doc)).toString('base64');

test('post object: an SDK presigned POST uploads the file under ${filename}, answers 201 with PostResponse, notifies ObjectCreated:Post', async (t) => {
  const h = await harness(t);
  const { url, fields } = await createPresignedPost(h.client(), {
    Bucket: 'forms', Key: 'uploads/${filename}', Expires: 60,
    Conditions: [['content-length-range', 1, 1024 * 1024], ['starts-with', '$Content-Type', 'image/']],
    Fields: { 'Content-Type': 'image/png', success_action_status: '201' },
  });
  const png = randomBytes(4000);
  const res = await post(url, fields, png, 'cat 1.png');
  const text = await res.text();
  assert.equal(res.status, 201, text);
  const etag = `"${createHash('md5').update(png).digest('hex')}"`;
  assert.equal(res.headers.get('etag'), etag);
  assert.match(text, /<PostResponse[^>]*><Location>http:\/\/127\.0\.0\.1:\d+\/forms\/uploads%2Fcat%201\.png<\/Location><Bucket>forms<\/Bucket><Key>uploads\/cat 1\.png<\/Key><ETag>&quot;[0-9a-f]{32}&quot;<\/ETag><\/PostResponse>/);

  const got = await h.client().send(new GetObjectCommand({ Bucket: 'forms', Key: 'uploads/cat 1.png' }));
  assert.equal(got.ContentType, 'image/png');
  assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), png);
  assert.deepEqual(h.notifications.map((n) => [n.eventName, n.key, n.size, n.etag]), [['ObjectCreated:Post', 'uploads/cat 1.png', png.length, etag.slice(1, -1)]]);
});

test('post object: a plain form without policy answers 204, keeps x-amz-meta-* fields, ignores fields after the file; redirects when asked', async (t) => {
  const h = await harness(t);
  const body = randomBytes(8 * 1024 * 1024 + 7);
  const res = await post(`${h.endpoint}/forms`, { key: 'big/${filename}', 'x-amz-meta-owner': 'ada', 'Cache-Control': 'max-age=60' }, body, 'blob.bin',
    { key: 'ignored', 'x-amz-meta-late': 'ignored' });
  assert.equal(res.status, 204, await res.text());
  const head = await h.client().send(new HeadObjectCommand({ Bucket: 'forms', Key: 'big/blob.bin' }));
  assert.deepEqual(head.Metadata, { owner: 'ada' });
  assert.equal(head.CacheControl, 'max-age=60');
  const got = await h.client().send(new GetObjectCommand({ Bucket: 'forms', Key: 'big/blob.bin' }));
  assert.equal(createHash('sha256').update(await got.Body!.transformToByteArray()).digest('hex'), createHash('sha256').update(body).digest('hex'));

  const redirected = await fetch(`${h.endpoint}/forms`, { method: 'POST', redirect: 'manual', body: (() => {
    const f = new FormData();
    f.append('key', 'r.txt');
    f.append('success_action_redirect', 'https://app.example.com/done?x=1');
    f.append('file', new Blob(['r']), 'r.txt');
    return f;
  })() });
  assert.equal(redirected.status, 303);
  const location = new URL(redirected.headers.get('location')!);
  assert.equal(location.origin + location.pathname, 'https://app.example.com/done');
  assert.deepEqual([location.searchParams.get('x'), location.searchParams.get('bucket'), location.searchParams.get('key'), location.searchParams.get('etag')],
    ['1', 'forms', 'r.txt', `"${createHash('md5').update('r').digest('hex')}"`]);
});

test('post object: the policy is enforced with S3\'s errors, and a refused upload stores nothing', async (t) => {
  const h = await harness(t);
  const future = new Date(Date.now() + 60_000).toISOString();
  const policy = (conditions: unknown[], expiration = future) => policyOf({ expiration, conditions });
  const errorOf = async (res: Response) => ({ status: res.status, text: (await res.text()).replaceAll('&quot;', '"').replaceAll('&apos;', "'") });
  const base = [{ bucket: 'forms' }, ['starts-with', '$key', 'in/']];

  const tooBig = await errorOf(await post(`${h.endpoint}/forms`, { key: 'in/a', policy: policy([...base, ['content-length-range', 0, 10]]) }, randomBytes(11)));
  assert.equal(tooBig.status, 400);
  assert.match(tooBig.text, /<Code>EntityTooLarge<\/Code>/);
  const tooSmall = await errorOf(await post(`${h.endpoint}/forms`, { key: 'in/b', policy: policy([...base, ['content-length-range', 5, 10]]) }, randomBytes(4)));
  assert.match(tooSmall.text, /<Code>EntityTooSmall<\/Code>/);
  const wrongKey = await errorOf(await post(`${h.endpoint}/forms`, { key: 'out/c', policy: policy(base) }, Buffer.from('c')));
  assert.equal(wrongKey.status, 403);
  assert.match(wrongKey.text, /<Code>AccessDenied<\/Code><Message>Invalid according to Policy: Policy Condition failed: \["starts-with","\$key","in\/"\]<\/Message>/);
  const extra = await errorOf(await post(`${h.endpoint}/forms`, { key: 'in/d', 'x-amz-meta-sneaky': '1', 'x-ignore-me': '1', policy: policy(base) }, Buffer.from('d')));
  assert.match(extra.text, /Invalid according to Policy: Extra input fields: x-amz-meta-sneaky</);
  const expired = await errorOf(await post(`${h.endpoint}/forms`, { key: 'in/e', policy: policy(base, '2020-01-01T00:00:00Z') }, Buffer.from('e')));
  assert.match(expired.text, /Invalid according to Policy: Policy expired\./);
  const otherBucket = await errorOf(await post(`${h.endpoint}/forms`, { key: 'in/f', policy: policy([{ bucket: 'elsewhere' }, ['starts-with', '$key', '']]) }, Buffer.from('f')));
  assert.match(otherBucket.text, /Policy Condition failed: \{"bucket":"elsewhere"\}/);

  const noKey = await errorOf(await post(`${h.endpoint}/forms`, {}, Buffer.from('g')));
  assert.equal(noKey.status, 400);
  assert.match(noKey.text, /Bucket POST must contain a field named 'key'/);
  const notForm = await errorOf(await fetch(`${h.endpoint}/forms`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }));
  assert.equal(notForm.status, 412);
  const missingBucket = await errorOf(await post(`${h.endpoint}/nope`, { key: 'k' }, Buffer.from('h')));
  assert.match(missingBucket.text, /<Code>NoSuchBucket<\/Code>/);

  const listed = await h.store.objects.list('forms', { maxKeys: 1000 });
  assert.deepEqual(listed.objects.map((o) => o.key), [], 'nothing refused was stored');
  assert.deepEqual(h.notifications, []);
});
