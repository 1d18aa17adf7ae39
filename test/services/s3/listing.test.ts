// ListObjectsV2 and ListObjects v1 through the SDK and raw HTTP: prefixes, delimiters, paging, encoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { ListObjectsCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { rawRequest, startS3 } from './harness.ts';

const KEYS = [
  'a.txt', 'photos/2023/jan.jpg', 'photos/2023/feb.jpg', 'photos/2024/mar.jpg', 'photos/cover.jpg',
  'videos/x.mp4', 'videos/y.mp4', 'z/é ü+.txt', 'zz',
];

async function seed(s3: S3Client, bucket: string, keys = KEYS): Promise<void> {
  for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k }));
}

test('ListObjectsV2: sorted keys, prefix, delimiter with CommonPrefixes, KeyCount', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('list');
  await seed(s3, 'list');

  const all = await s3.send(new ListObjectsV2Command({ Bucket: 'list' }));
  assert.deepEqual(all.Contents?.map((c) => c.Key), [...KEYS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  assert.equal(all.KeyCount, KEYS.length);
  assert.equal(all.IsTruncated, false);
  assert.equal(all.Contents![0]!.Size, 5);
  assert.equal(all.Contents![0]!.StorageClass, 'STANDARD');
  assert.equal(all.Contents![0]!.Owner, undefined);

  const top = await s3.send(new ListObjectsV2Command({ Bucket: 'list', Delimiter: '/' }));
  assert.deepEqual(top.Contents?.map((c) => c.Key), ['a.txt', 'zz']);
  assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['photos/', 'videos/', 'z/']);
  assert.equal(top.KeyCount, 5);

  const photos = await s3.send(new ListObjectsV2Command({ Bucket: 'list', Prefix: 'photos/', Delimiter: '/', FetchOwner: true }));
  assert.deepEqual(photos.Contents?.map((c) => c.Key), ['photos/cover.jpg']);
  assert.deepEqual(photos.CommonPrefixes?.map((p) => p.Prefix), ['photos/2023/', 'photos/2024/']);
  assert.equal(photos.Prefix, 'photos/');
  assert.equal(photos.Delimiter, '/');
  assert.ok(photos.Contents![0]!.Owner?.ID);

  const none = await s3.send(new ListObjectsV2Command({ Bucket: 'list', Prefix: 'nothing/' }));
  assert.equal(none.KeyCount, 0);
  assert.equal(none.Contents, undefined);
});

test('ListObjectsV2: paging with max-keys and continuation tokens visits every entry once', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('list');
  await seed(s3, 'list');
  for (const delimiter of [undefined, '/']) {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'list', MaxKeys: 2, Delimiter: delimiter, ContinuationToken: token }));
      pages++;
      assert.ok((page.KeyCount ?? 0) <= 2);
      seen.push(...(page.Contents ?? []).map((c) => c.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      assert.equal(page.NextContinuationToken !== undefined, page.IsTruncated);
      token = page.NextContinuationToken;
    } while (token);
    const expected = delimiter ? 5 : KEYS.length;
    assert.equal(new Set(seen).size, expected, `delimiter ${delimiter}: ${seen.join(',')}`);
    assert.equal(seen.length, expected);
    assert.equal(pages, Math.ceil(expected / 2));
  }
  const after = await s3.send(new ListObjectsV2Command({ Bucket: 'list', StartAfter: 'photos/cover.jpg' }));
  assert.equal(after.Contents![0]!.Key, 'videos/x.mp4');
  assert.equal(after.StartAfter, 'photos/cover.jpg');
  // A start-after inside a common prefix does not repeat that prefix.
  const inside = await s3.send(new ListObjectsV2Command({ Bucket: 'list', Delimiter: '/', StartAfter: 'photos/2023/jan.jpg' }));
  assert.deepEqual(inside.CommonPrefixes?.map((p) => p.Prefix), ['videos/', 'z/']);

  const bad = await rawRequest(h.port, { path: '/list?list-type=2&continuation-token=%%%' });
  assert.equal(bad.status, 400);
  const badMax = await rawRequest(h.port, { path: '/list?list-type=2&max-keys=abc' });
  assert.match(badMax.text, /<Code>InvalidArgument<\/Code>/);
});

test('ListObjectsV2: encoding-type=url encodes keys and prefixes on the wire', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('list');
  await seed(s3, 'list', ['z/é ü+.txt', 'top level+', 'dir with space/x']);
  const raw = await rawRequest(h.port, { path: '/list?list-type=2&encoding-type=url&delimiter=%2F&prefix=' });
  assert.equal(raw.status, 200);
  assert.match(raw.text, /<EncodingType>url<\/EncodingType>/);
  assert.match(raw.text, /<Key>top%20level%2B<\/Key>/);
  assert.match(raw.text, /<CommonPrefixes><Prefix>dir%20with%20space\/<\/Prefix><\/CommonPrefixes>/);
  const nested = await rawRequest(h.port, { path: '/list?list-type=2&encoding-type=url&prefix=z%2F' });
  assert.match(nested.text, /<Key>z\/%C3%A9%20%C3%BC%2B.txt<\/Key>/);
  assert.match(nested.text, /<Prefix>z\/<\/Prefix>/);
  // Without encoding-type the key is sent as is (XML-escaped).
  const plain = await rawRequest(h.port, { path: '/list?list-type=2&prefix=top' });
  assert.match(plain.text, /<Key>top level\+<\/Key>/);
  assert.match(plain.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
});

test('ListObjects v1: marker paging, NextMarker only with a delimiter, owners always present', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('list');
  await seed(s3, 'list');
  const first = await s3.send(new ListObjectsCommand({ Bucket: 'list', MaxKeys: 3 }));
  assert.equal(first.IsTruncated, true);
  assert.equal(first.NextMarker, undefined);
  assert.ok(first.Contents![0]!.Owner?.ID);
  const second = await s3.send(new ListObjectsCommand({ Bucket: 'list', MaxKeys: 3, Marker: first.Contents![2]!.Key }));
  assert.equal(second.Marker, first.Contents![2]!.Key);
  assert.notEqual(second.Contents![0]!.Key, first.Contents![2]!.Key);

  const d1 = await s3.send(new ListObjectsCommand({ Bucket: 'list', Delimiter: '/', MaxKeys: 2 }));
  assert.deepEqual(d1.Contents?.map((c) => c.Key), ['a.txt']);
  assert.deepEqual(d1.CommonPrefixes?.map((p) => p.Prefix), ['photos/']);
  assert.equal(d1.NextMarker, 'photos/');
  const d2 = await s3.send(new ListObjectsCommand({ Bucket: 'list', Delimiter: '/', MaxKeys: 2, Marker: d1.NextMarker }));
  assert.deepEqual(d2.CommonPrefixes?.map((p) => p.Prefix), ['videos/', 'z/']);
  assert.equal(d2.NextMarker, 'z/');
  const d3 = await s3.send(new ListObjectsCommand({ Bucket: 'list', Delimiter: '/', MaxKeys: 2, Marker: d2.NextMarker }));
  assert.deepEqual(d3.Contents?.map((c) => c.Key), ['zz']);
  assert.equal(d3.IsTruncated, false);
});

test('listing: a missing bucket is NoSuchBucket; many keys page through the store correctly', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  const missing = await rawRequest(h.port, { path: '/nobucket?list-type=2' });
  assert.equal(missing.status, 404);
  assert.match(missing.text, /NoSuchBucket/);

  await h.provider.ensureBucket('big');
  const keys: string[] = [];
  for (let d = 0; d < 3; d++) for (let i = 0; i < 400; i++) keys.push(`d${d}/f${String(i).padStart(4, '0')}`);
  // Seeded through the store: the listing, not 2,100 uploads, is under test here.
  await Promise.all(keys.map((k) => h.store.objects.put('big', k, Readable.from([Buffer.from(k)]), { userMetadata: {} })));
  const rolled = await s3.send(new ListObjectsV2Command({ Bucket: 'big', Delimiter: '/' }));
  assert.deepEqual(rolled.CommonPrefixes?.map((p) => p.Prefix), ['d0/', 'd1/', 'd2/']);
  const page1 = await s3.send(new ListObjectsV2Command({ Bucket: 'big' }));
  assert.equal(page1.KeyCount, 1000);
  assert.equal(page1.IsTruncated, true);
  assert.equal(page1.Contents![999]!.Key, 'd2/f0199');
  const page2 = await s3.send(new ListObjectsV2Command({ Bucket: 'big', ContinuationToken: page1.NextContinuationToken }));
  assert.equal(page2.KeyCount, 200);
  assert.equal(page2.Contents![0]!.Key, 'd2/f0200');
  assert.equal(page2.IsTruncated, false);
});

test('ListObjectVersions: every object is its one null version; paging by key marker', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('list');
  await seed(s3, 'list');
  const all = await s3.send(new ListObjectVersionsCommand({ Bucket: 'list', Prefix: 'photos/', Delimiter: '/' }));
  assert.deepEqual(all.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest]), [['photos/cover.jpg', 'null', true]]);
  assert.deepEqual(all.CommonPrefixes?.map((p) => p.Prefix), ['photos/2023/', 'photos/2024/']);
  const first = await s3.send(new ListObjectVersionsCommand({ Bucket: 'list', MaxKeys: 4 }));
  assert.equal(first.IsTruncated, true);
  const rest = await s3.send(new ListObjectVersionsCommand({ Bucket: 'list', KeyMarker: first.NextKeyMarker, VersionIdMarker: first.NextVersionIdMarker }));
  assert.equal(first.Versions!.length + rest.Versions!.length, KEYS.length);
  assert.equal(rest.IsTruncated, false);
});
