// Upload-processing services shaped like the public Serverless Framework examples (fixtures/
// upload-services) run under `gannet dev` unchanged: Lift storage buckets replicated with the AWS
// SDK v2, presigned browser uploads through an http route with the bucket's CORS rules, a
// suffix-filtered post-processor on a bucket named from variables, and boto3's presigned POST forms.
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startGannetDev } from '../helpers/gannet-process.ts';
import { eventually } from '../helpers/function-output.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/upload-services/${name}`, import.meta.url));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-uploads-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function s3Client(t: { after(fn: () => void): void }, endpoint: string, region = 'us-east-1'): S3Client {
  const s3 = new S3Client({ endpoint, region, forcePathStyle: true, credentials });
  t.after(() => s3.destroy());
  return s3;
}

async function readObject(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    return await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

test('replicator: Lift storage buckets, an existing-bucket s3 event and an SDK v2 copy with a wholly encoded source', async (t) => {
  const dev = await startGannetDev(t, fixture('replicator'), ['--no-watch', '--data-dir', tempDir(t)]);
  assert.match(dev.stderr(), /plugin serverless-lift is not loaded/);
  const s3 = s3Client(t, dev.awsUrl);
  const names = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!);
  const originals = names.find((n) => n.startsWith('replicator-e2e-dev-originalsbucket-'));
  const copies = names.find((n) => n.startsWith('replicator-e2e-dev-copiesbucket-'));
  assert.ok(originals && copies, `both storage buckets exist: ${names.join(', ')}`);

  const key = 'albums/2024/my cat+dog (1) ü.txt';
  await s3.send(new PutObjectCommand({ Bucket: originals, Key: key, Body: 'original bytes' }));
  assert.equal(await eventually('the copy', () => readObject(s3, copies, key)), 'original bytes');
  await dev.waitFor(`copied ${key}`);
});

test('signed-uploads: an http route hands out a presigned PUT URL; the browser preflight and upload pass the bucket CORS rules', async (t) => {
  const dev = await startGannetDev(t, fixture('signed-uploads'), ['--no-watch', '--data-dir', tempDir(t)]);
  assert.match(dev.stderr(), /plugin serverless-webpack is not loaded/);
  const origin = 'http://localhost:8080';

  const missing = await fetch(`${dev.url}/dev/upload-url`);
  assert.equal(missing.status, 400);
  const signed = await fetch(`${dev.url}/dev/upload-url`, { headers: { 'x-file-key': 'avatars/me 1.png', origin } });
  assert.equal(signed.status, 200);
  const { url } = await signed.json() as { url: string };
  assert.ok(url.startsWith(`${dev.awsUrl}/signed-uploads-e2e-files/avatars/me%201.png?`), url);
  assert.match(url, /X-Amz-Signature=[0-9a-f]{64}/);

  const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' } });
  assert.equal(preflight.status, 200);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.equal(preflight.headers.get('access-control-allow-methods'), 'PUT');
  const deletePreflight = await fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'DELETE' } });
  assert.equal(deletePreflight.status, 403, 'no rule allows DELETE');

  const body = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
  const put = await fetch(url, { method: 'PUT', headers: { origin }, body });
  assert.equal(put.status, 200, await put.text());
  assert.equal(put.headers.get('access-control-allow-origin'), '*');

  const s3 = s3Client(t, dev.awsUrl, 'eu-central-1');
  const got = await s3.send(new GetObjectCommand({ Bucket: 'signed-uploads-e2e-files', Key: 'avatars/me 1.png' }));
  assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);
});

test('postprocess: the bucket named from ${sls:stage} and ${aws:accountId} is created and .png uploads (only) are processed', async (t) => {
  const dev = await startGannetDev(t, fixture('postprocess'), ['--no-watch', '--data-dir', tempDir(t)]);
  const bucket = 'postprocess-e2e-dev-000000000000';
  const s3 = s3Client(t, dev.awsUrl);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/notes.txt', Body: 'not an image' }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/my image.png', Body: 'png!' }));
  await dev.waitFor('INFO\tnew png: uploads/my+image.png (4 bytes)');
  assert.doesNotMatch(dev.stdout(), /notes\.txt/);
});

function boto3Skip(): string | false {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import boto3'], { stdio: 'ignore' });
    return false;
  } catch {
    return '/usr/bin/python3 with boto3 not found; install it with `apt-get install -y python3-boto3` to run this test';
  }
}

test('form-uploads: boto3\'s presigned POST form takes a browser upload, which notifies s3:ObjectCreated:Post', { skip: boto3Skip() }, async (t) => {
  const dev = await startGannetDev(t, fixture('form-uploads'), ['--no-watch', '--data-dir', tempDir(t)], { GANNET_PYTHON: '/usr/bin/python3' });
  const res = await fetch(`${dev.url}/upload-form`);
  assert.equal(res.status, 200);
  const { url, fields } = await res.json() as { url: string; fields: Record<string, string> };
  assert.equal(url, `${dev.awsUrl}/form-uploads-e2e-inbox`);
  assert.ok(fields.policy && (fields['x-amz-signature'] ?? fields.signature), JSON.stringify(fields));

  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob(['hello from a form']), 'note 1.txt');
  const posted = await fetch(url, { method: 'POST', body: form });
  assert.equal(posted.status, 204, await posted.text());
  await dev.waitFor('received ObjectCreated:Post uploads/note 1.txt: hello from a form');

  const refused = new FormData();
  for (const [k, v] of Object.entries({ ...fields, key: 'elsewhere/x.txt' })) refused.append(k, v);
  refused.append('file', new Blob(['x']), 'x.txt');
  const denied = await fetch(url, { method: 'POST', body: refused });
  assert.equal(denied.status, 403);
});
