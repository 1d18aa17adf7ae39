// The AWS CLI v2 (Debian's 2.9) against Gannet's S3: `aws s3` high-level commands (cp, ls, sync, rm,
// multipart for large files) and `aws s3api` calls, with --endpoint-url.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli, awsCliJson, awsCliSkip } from '../../helpers/aws-cli.ts';
import { startS3 } from './harness.ts';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-s3-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function ok(args: string[], opts: Parameters<typeof awsCli>[1]): Promise<string> {
  const r = await awsCli(args, opts);
  assert.equal(r.code, 0, `aws ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

test('aws s3: mb, cp (small and multipart), ls, sync both ways, rm, rb', { skip: awsCliSkip }, async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const dir = tempDir(t);
  const cli = { endpoint: h.endpoint, cwd: dir };
  await ok(['s3', 'mb', 's3://cli-bucket'], cli);

  writeFileSync(join(dir, 'small.txt'), 'small file\n');
  const big = Buffer.alloc(20 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 512) big.writeUInt32LE(i, i);
  writeFileSync(join(dir, 'big.bin'), big);
  await ok(['s3', 'cp', 'small.txt', 's3://cli-bucket/docs/small file.txt'], cli);
  await ok(['s3', 'cp', 'big.bin', 's3://cli-bucket/big.bin'], cli); // ≥ 8 MB: the CLI uses multipart
  const bigHead = await awsCliJson(['s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'big.bin'], cli);
  assert.equal(bigHead.ContentLength, big.length);
  assert.match(bigHead.ETag, /-3"$/);
  assert.ok(h.notifications.some((n) => n.eventName === 'ObjectCreated:CompleteMultipartUpload' && n.key === 'big.bin'));

  const top = await ok(['s3', 'ls', 's3://cli-bucket/'], cli);
  assert.match(top, /PRE docs\//);
  assert.match(top, /20971520 big\.bin/);
  const docs = await ok(['s3', 'ls', 's3://cli-bucket/docs/'], cli);
  assert.match(docs, /11 small file\.txt/);
  const recursive = await ok(['s3', 'ls', '--recursive', 's3://cli-bucket'], cli);
  assert.match(recursive, /docs\/small file\.txt/);

  await ok(['s3', 'cp', 's3://cli-bucket/big.bin', 'big-copy.bin'], cli);
  assert.equal(createHash('sha256').update(readFileSync(join(dir, 'big-copy.bin'))).digest('hex'),
    createHash('sha256').update(big).digest('hex'));

  const tree = join(dir, 'site');
  mkdirSync(join(tree, 'css'), { recursive: true });
  writeFileSync(join(tree, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(tree, 'css', 'a b+c.css'), 'body{}');
  const synced = await ok(['s3', 'sync', 'site', 's3://cli-bucket/site'], cli);
  assert.match(synced, /upload: site\/css\/a b\+c\.css to s3:\/\/cli-bucket\/site\/css\/a b\+c\.css/);
  // A second sync finds nothing to do.
  assert.equal((await ok(['s3', 'sync', 'site', 's3://cli-bucket/site'], cli)).trim(), '');
  await ok(['s3', 'sync', 's3://cli-bucket/site', 'site-back'], cli);
  assert.equal(readFileSync(join(dir, 'site-back', 'css', 'a b+c.css'), 'utf8'), 'body{}');

  await ok(['s3', 'rm', 's3://cli-bucket/docs/small file.txt'], cli);
  await ok(['s3', 'rm', '--recursive', 's3://cli-bucket/'], cli);
  assert.equal((await ok(['s3', 'ls', '--recursive', 's3://cli-bucket'], cli)).trim(), '');
  await ok(['s3', 'rb', 's3://cli-bucket'], cli);
  assert.doesNotMatch(await ok(['s3', 'ls'], cli), /cli-bucket/);
});

test('aws s3api: objects, listings and a hand-driven multipart upload', { skip: awsCliSkip }, async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const dir = tempDir(t);
  const cli = { endpoint: h.endpoint, cwd: dir };
  await awsCliJson(['s3api', 'create-bucket', '--bucket', 'api-bucket'], cli);
  writeFileSync(join(dir, 'body.json'), '{"hello":"world"}');
  const put = await awsCliJson(['s3api', 'put-object', '--bucket', 'api-bucket', '--key', 'data/one.json', '--body', 'body.json',
    '--content-type', 'application/json', '--metadata', 'owner=cli'], cli);
  assert.equal(put.ETag, `"${createHash('md5').update('{"hello":"world"}').digest('hex')}"`);

  const head = await awsCliJson(['s3api', 'head-object', '--bucket', 'api-bucket', '--key', 'data/one.json'], cli);
  assert.equal(head.ContentType, 'application/json');
  assert.deepEqual(head.Metadata, { owner: 'cli' });
  const got = await awsCliJson(['s3api', 'get-object', '--bucket', 'api-bucket', '--key', 'data/one.json', '--range', 'bytes=1-7', 'out.json'], cli);
  assert.equal(got.ContentRange, 'bytes 1-7/17');
  assert.equal(readFileSync(join(dir, 'out.json'), 'utf8'), '"hello"');
  const missing = await awsCli(['s3api', 'get-object', '--bucket', 'api-bucket', '--key', 'nope', 'x'], cli);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /NoSuchKey/);

  const listed = await awsCliJson(['s3api', 'list-objects-v2', '--bucket', 'api-bucket', '--prefix', 'data/'], cli);
  assert.deepEqual(listed.Contents.map((c: { Key: string }) => c.Key), ['data/one.json']);

  const { UploadId } = await awsCliJson(['s3api', 'create-multipart-upload', '--bucket', 'api-bucket', '--key', 'mp.bin'], cli);
  writeFileSync(join(dir, 'part1'), Buffer.alloc(5 * 1024 * 1024, 1));
  writeFileSync(join(dir, 'part2'), 'tail');
  const p1 = await awsCliJson(['s3api', 'upload-part', '--bucket', 'api-bucket', '--key', 'mp.bin', '--upload-id', UploadId, '--part-number', '1', '--body', 'part1'], cli);
  const p2 = await awsCliJson(['s3api', 'upload-part', '--bucket', 'api-bucket', '--key', 'mp.bin', '--upload-id', UploadId, '--part-number', '2', '--body', 'part2'], cli);
  const parts = await awsCliJson(['s3api', 'list-parts', '--bucket', 'api-bucket', '--key', 'mp.bin', '--upload-id', UploadId], cli);
  assert.deepEqual(parts.Parts.map((p: { PartNumber: number }) => p.PartNumber), [1, 2]);
  writeFileSync(join(dir, 'parts.json'), JSON.stringify({ Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] }));
  const done = await awsCliJson(['s3api', 'complete-multipart-upload', '--bucket', 'api-bucket', '--key', 'mp.bin', '--upload-id', UploadId,
    '--multipart-upload', 'file://parts.json'], cli);
  assert.match(done.ETag, /-2"$/);
  const mpHead = await awsCliJson(['s3api', 'head-object', '--bucket', 'api-bucket', '--key', 'mp.bin'], cli);
  assert.equal(mpHead.ContentLength, 5 * 1024 * 1024 + 4);

  await awsCliJson(['s3api', 'copy-object', '--bucket', 'api-bucket', '--key', 'data/two.json', '--copy-source', 'api-bucket/data/one.json'], cli);
  const del = await awsCliJson(['s3api', 'delete-objects', '--bucket', 'api-bucket', '--delete', 'Objects=[{Key=data/one.json},{Key=data/two.json}]'], cli);
  assert.equal(del.Deleted.length, 2);
});

test('aws s3api: bucket notification configuration from a JSON file', { skip: awsCliSkip }, async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const dir = tempDir(t);
  const cli = { endpoint: h.endpoint, cwd: dir };
  await awsCliJson(['s3api', 'create-bucket', '--bucket', 'events-bucket'], cli);
  const config = {
    LambdaFunctionConfigurations: [{
      Id: 'thumbs', LambdaFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-thumb', Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }, { Name: 'suffix', Value: '.jpg' }] } },
    }],
    QueueConfigurations: [{ Id: 'gone', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:removed', Events: ['s3:ObjectRemoved:*'] }],
  };
  writeFileSync(join(dir, 'n.json'), JSON.stringify(config));
  await ok(['s3api', 'put-bucket-notification-configuration', '--bucket', 'events-bucket', '--notification-configuration', 'file://n.json'], cli);
  const got = await awsCliJson(['s3api', 'get-bucket-notification-configuration', '--bucket', 'events-bucket'], cli);
  assert.equal(got.LambdaFunctionConfigurations[0].LambdaFunctionArn, config.LambdaFunctionConfigurations[0]!.LambdaFunctionArn);
  assert.deepEqual(got.LambdaFunctionConfigurations[0].Filter.Key.FilterRules.map((r: { Value: string }) => r.Value), ['uploads/', '.jpg']);
  assert.equal(got.QueueConfigurations[0].Id, 'gone');
  const stored = (await h.store.objects.getBucket('events-bucket'))!.config.notification as { targets: unknown[] };
  assert.equal(stored.targets.length, 2);
});
