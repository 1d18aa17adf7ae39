// Path-style and virtual-host-style addressing, decided from the Host header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { bucketFromHost, parseS3Address, virtualHostBases } from '../../../src/services/s3/addressing.ts';
import { rawRequest, startS3 } from './harness.ts';

test('addressing: which Host names carry the bucket', () => {
  const bases = virtualHostBases(['files.example.com']);
  const cases: [string, string | undefined][] = [
    ['127.0.0.1:4566', undefined], ['localhost:4566', undefined], ['localhost', undefined], ['[::1]:4566', undefined],
    ['s3.localhost:4566', undefined], ['s3.localhost.localstack.cloud:4566', undefined], ['gannet.internal:4566', undefined],
    ['s3.amazonaws.com', undefined], ['s3.eu-west-1.amazonaws.com', undefined],
    ['photos.localhost:4566', 'photos'], ['photos.s3.localhost:4566', 'photos'], ['my.dotted.bucket.localhost', 'my.dotted.bucket'],
    ['photos.s3.localhost.localstack.cloud:4566', 'photos'], ['photos.localhost.localstack.cloud', 'photos'],
    ['photos.s3.amazonaws.com', 'photos'], ['photos.s3.us-east-1.amazonaws.com', 'photos'], ['photos.s3-eu-west-1.amazonaws.com', 'photos'],
    ['photos.s3.dualstack.us-east-1.amazonaws.com', 'photos'], ['PHOTOS.LOCALHOST:4566', 'photos'],
    ['photos.files.example.com:8080', 'photos'], ['files.example.com', undefined],
    ['s3.eu-west-1.localhost:4566', undefined], ['photos.s3.eu-west-1.localhost:4566', 'photos'], ['photos.s3-eu-west-1.localhost', 'photos'],
    ['s3-bucket.localhost', 's3-bucket'], ['my.s3.stuff.localhost', 'my.s3.stuff'],
  ];
  for (const [host, bucket] of cases) assert.equal(bucketFromHost(host, bases), bucket, host);

  const path = parseS3Address('/b/dir/a%20b%2Bc.txt?list-type=2', 'localhost:4566', bases);
  assert.deepEqual([path.bucket, path.key, path.style, path.query.get('list-type')], ['b', 'dir/a b+c.txt', 'path', '2']);
  // `+` is a literal plus in a path, not a space.
  assert.equal(parseS3Address('/b/a+b', 'localhost', bases).key, 'a+b');
  assert.equal(parseS3Address('/b/', 'localhost', bases).key, undefined);
  assert.equal(parseS3Address('/', 'localhost', bases).bucket, undefined);
  const vh = parseS3Address('/dir/x.txt', 'b.localhost:4566', bases);
  assert.deepEqual([vh.bucket, vh.key, vh.style], ['b', 'dir/x.txt', 'virtual-host']);
  assert.equal(parseS3Address('/', 'b.localhost:4566', bases).key, undefined);
  assert.throws(() => parseS3Address('/b/%E0%A4%A', 'localhost', bases), /Couldn't parse the specified URI/);
});

test('addressing: the SDK in virtual-host style (Host <bucket>.localhost) works end to end', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const hosts: string[] = [];
  const s3 = h.virtualHostClient();
  s3.middlewareStack.add((next) => async (args) => {
    hosts.push(String((args.request as { hostname?: string }).hostname));
    return next(args);
  }, { step: 'finalizeRequest' });
  await s3.send(new CreateBucketCommand({ Bucket: 'vhost' }));
  await s3.send(new PutObjectCommand({ Bucket: 'vhost', Key: 'dir/a b.txt', Body: 'virtual' }));
  const got = await s3.send(new GetObjectCommand({ Bucket: 'vhost', Key: 'dir/a b.txt' }));
  assert.equal(await got.Body!.transformToString(), 'virtual');
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'vhost' }));
  assert.deepEqual(listed.Contents?.map((c) => c.Key), ['dir/a b.txt']);
  await s3.send(new DeleteObjectCommand({ Bucket: 'vhost', Key: 'dir/a b.txt' }));
  assert.ok(hosts.length >= 5 && hosts.every((x) => x === 'vhost.localhost'), `hosts: ${hosts.join(',')}`);
});

test('addressing: raw requests by Host name reach the same object; plain hosts are path style', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  await h.provider.ensureBucket('raw-bucket');
  const put = await rawRequest(h.port, { method: 'PUT', path: '/k.txt', headers: { host: `raw-bucket.s3.localhost:${h.port}` }, body: 'by host' });
  assert.equal(put.status, 200, put.text);
  for (const host of [`raw-bucket.localhost:${h.port}`, 'raw-bucket.s3.us-east-1.amazonaws.com', 'raw-bucket.s3.amazonaws.com']) {
    const r = await rawRequest(h.port, { path: '/k.txt', headers: { host } });
    assert.equal(r.text, 'by host', host);
  }
  for (const host of [`127.0.0.1:${h.port}`, `localhost:${h.port}`, `s3.localhost:${h.port}`]) {
    const r = await rawRequest(h.port, { path: '/raw-bucket/k.txt', headers: { host } });
    assert.equal(r.text, 'by host', host);
  }
  const listing = await rawRequest(h.port, { path: '/?list-type=2', headers: { host: `raw-bucket.localhost:${h.port}` } });
  assert.match(listing.text, /<Name>raw-bucket<\/Name>.*<Key>k.txt<\/Key>/s);
  const buckets = await rawRequest(h.port, { path: '/', headers: { host: `localhost:${h.port}` } });
  assert.match(buckets.text, /<ListAllMyBucketsResult[^>]*><Owner>.*<Name>raw-bucket<\/Name>/s);
});
