// ObjectStore conformance: buckets, streaming put/get, ranges, listing order, atomic replacement.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { MakeStore } from '../conformance.ts';
import { chunked, freshStore, md5hex, patternBytes, readAll } from './helpers.ts';
import { FakeClock } from '../fake-clock.ts';

const meta = (over: Record<string, unknown> = {}) => ({ userMetadata: {}, ...over });

export function objectConformance(makeStore: MakeStore): void {
  describe('objects', () => {
    it('creates, reads, configures and deletes buckets', async (t) => {
      const { store } = await freshStore(t, makeStore);
      assert.equal(await store.objects.createBucket('photos', 'eu-west-1'), true);
      assert.equal(await store.objects.createBucket('photos', 'eu-west-1'), false);
      await store.objects.createBucket('archive', 'us-east-1');
      const photos = await store.objects.getBucket('photos');
      assert.equal(photos?.region, 'eu-west-1');
      assert.deepEqual(photos?.config, {});
      assert.deepEqual((await store.objects.listBuckets()).map((b) => b.name), ['archive', 'photos']);

      const notification = { LambdaFunctionConfigurations: [{ LambdaFunctionArn: 'arn:fn', Events: ['s3:ObjectCreated:*'] }] };
      await store.objects.setBucketConfig('photos', 'notification', notification);
      await store.objects.setBucketConfig('photos', 'tags', { team: 'a' });
      assert.deepEqual((await store.objects.getBucket('photos'))?.config, { notification, tags: { team: 'a' } });
      await store.objects.setBucketConfig('photos', 'tags', null);
      assert.deepEqual((await store.objects.getBucket('photos'))?.config, { notification });
      await assert.rejects(store.objects.setBucketConfig('ghost', 'cors', []), { awsCode: 'NoSuchBucket', status: 404 });

      await store.objects.put('photos', 'a.jpg', Readable.from([Buffer.from('x')]), meta());
      await assert.rejects(store.objects.deleteBucket('photos'), { code: 'GANNET_BUCKET_NOT_EMPTY', awsCode: 'BucketNotEmpty', status: 409 });
      await store.objects.delete('photos', 'a.jpg');
      await store.objects.createUpload('photos', 'big', meta());
      await store.objects.deleteBucket('photos');
      assert.equal(await store.objects.getBucket('photos'), undefined);
      await assert.rejects(store.objects.deleteBucket('photos'), { awsCode: 'NoSuchBucket' });
      // A bucket created again under the same name starts empty and unconfigured.
      await store.objects.createBucket('photos', 'eu-west-1');
      assert.deepEqual((await store.objects.getBucket('photos'))?.config, {});
      assert.deepEqual(await store.objects.listUploads('photos'), []);
    });

    it('writes into a bucket that another handle deleted and re-created', async (t) => {
      const fixture = await freshStore(t, makeStore);
      const other = await fixture.reopen();
      await fixture.store.objects.createBucket('b', 'us-east-1');
      await fixture.store.objects.put('b', 'k', Readable.from([Buffer.from('v1')]), meta());
      await other.objects.delete('b', 'k');
      await other.objects.deleteBucket('b');
      await other.objects.createBucket('b', 'us-east-1');
      await fixture.store.objects.put('b', 'k', Readable.from([Buffer.from('v2')]), meta());
      assert.equal((await readAll((await other.objects.get('b', 'k'))!.body)).toString(), 'v2');
    });

    it('streams a body in and out, with the MD5 ETag and metadata', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.objects.createBucket('b', 'us-east-1');
      const data = patternBytes(1, 3 * 1024 * 1024 + 123);
      const m = { contentType: 'image/png', cacheControl: 'max-age=60', userMetadata: { owner: 'me' }, checksums: { CRC32: 'AAAAAA==' } };
      const put = await store.objects.put('b', 'dir/file.png', chunked(data), m);
      assert.equal(put.etag, `"${md5hex(data)}"`);
      assert.equal(put.size, data.length);
      assert.equal(put.bucket, 'b');
      assert.equal(put.key, 'dir/file.png');
      assert.deepEqual(await store.objects.head('b', 'dir/file.png'), put);
      const got = await store.objects.get('b', 'dir/file.png');
      assert.deepEqual(got?.object, put);
      assert.equal(got?.object.contentType, 'image/png');
      assert.deepEqual(got?.object.userMetadata, { owner: 'me' });
      assert.ok((await readAll(got!.body)).equals(data));

      const empty = await store.objects.put('b', 'empty', Readable.from([]), meta());
      assert.equal(empty.etag, '"d41d8cd98f00b204e9800998ecf8427e"');
      assert.equal((await readAll((await store.objects.get('b', 'empty'))!.body)).length, 0);

      const given = await store.objects.put('b', 'copied', Readable.from([Buffer.from('abc')]), meta(), { etag: 'abc123-2' });
      assert.equal(given.etag, '"abc123-2"');

      assert.equal(await store.objects.head('b', 'missing'), undefined);
      assert.equal(await store.objects.get('b', 'missing'), undefined);
      await assert.rejects(store.objects.put('ghost', 'k', Readable.from([Buffer.from('x')]), meta()), { awsCode: 'NoSuchBucket', status: 404 });
    });

    it('reads inclusive byte ranges, clamping the end, and refuses unsatisfiable ones', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.objects.createBucket('b', 'us-east-1');
      const data = patternBytes(2, 200_000);
      await store.objects.put('b', 'k', chunked(data), meta());
      const range = async (start: number, end: number) => readAll((await store.objects.get('b', 'k', { start, end }))!.body);
      assert.ok((await range(0, 99)).equals(data.subarray(0, 100)));
      assert.ok((await range(150_000, 150_000)).equals(data.subarray(150_000, 150_001)));
      assert.ok((await range(199_990, 500_000)).equals(data.subarray(199_990)));
      const got = await store.objects.get('b', 'k', { start: 10, end: 19 });
      assert.equal(got?.object.size, data.length, 'the object describes the whole object');
      await readAll(got!.body);
      await assert.rejects(store.objects.get('b', 'k', { start: 200_000, end: 200_010 }), { awsCode: 'InvalidRange', status: 416 });
    });

    it('lists keys in UTF-8 byte order with prefix, startAfter, maxKeys and truncation', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.objects.createBucket('b', 'us-east-1');
      // UTF-16 order (JavaScript's default sort) differs from UTF-8 byte order for the last two.
      const keys = ['b', 'a', 'a/b', 'a-b', 'A', 'é', 'éa', 'z/1', 'z/2', 'z/10', '\u{1F600}', '\uFF5A', 'a b', 'a+b'];
      for (const k of keys) await store.objects.put('b', k, Readable.from([Buffer.from(k)]), meta());
      const byteOrder = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      assert.notDeepEqual(byteOrder, [...keys].sort(), 'the fixture distinguishes the two orders');

      const all = await store.objects.list('b', { maxKeys: 1000 });
      assert.deepEqual(all.objects.map((o) => o.key), byteOrder);
      assert.equal(all.truncated, false);
      assert.equal(all.objects.find((o) => o.key === 'é')?.size, Buffer.byteLength('é'));

      assert.deepEqual((await store.objects.list('b', { prefix: 'z/', maxKeys: 1000 })).objects.map((o) => o.key), ['z/1', 'z/10', 'z/2']);
      assert.deepEqual((await store.objects.list('b', { prefix: 'é', maxKeys: 1000 })).objects.map((o) => o.key), ['é', 'éa']);
      assert.deepEqual((await store.objects.list('b', { prefix: 'a', maxKeys: 1000 })).objects.map((o) => o.key), ['a', 'a b', 'a+b', 'a-b', 'a/b']);
      assert.deepEqual((await store.objects.list('b', { prefix: 'nothing', maxKeys: 1000 })).objects, []);

      // Paging with maxKeys + startAfter walks the whole bucket in order.
      const paged: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.objects.list('b', { maxKeys: 4, ...(after !== undefined ? { startAfter: after } : {}) });
        paged.push(...page.objects.map((o) => o.key));
        assert.ok(page.objects.length <= 4);
        if (!page.truncated) break;
        after = page.objects.at(-1)!.key;
      }
      assert.deepEqual(paged, byteOrder);
      // startAfter below the prefix changes nothing; above it (in byte order) it skips the prefix's keys.
      assert.deepEqual((await store.objects.list('b', { prefix: 'z/', startAfter: 'a', maxKeys: 10 })).objects.map((o) => o.key), ['z/1', 'z/10', 'z/2']);
      assert.deepEqual((await store.objects.list('b', { prefix: '\uFF5A', startAfter: '\u{1F600}', maxKeys: 10 })).objects, []);
      assert.deepEqual((await store.objects.list('b', { prefix: '\u{1F600}', startAfter: '\uFF5A', maxKeys: 10 })).objects.map((o) => o.key), ['\u{1F600}']);
      assert.deepEqual((await store.objects.list('b', { prefix: 'z/1', startAfter: 'z/1', maxKeys: 10 })).objects.map((o) => o.key), ['z/10']);
      const exact = await store.objects.list('b', { prefix: 'z/', maxKeys: 3 });
      assert.equal(exact.truncated, false, 'not truncated when exactly maxKeys remain');
      assert.deepEqual((await store.objects.list('b', { prefix: 'z/', startAfter: 'z/1', maxKeys: 1 })), { objects: [exact.objects[1]], truncated: true });
    });

    it('deletes objects, reporting whether one existed', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.objects.createBucket('b', 'us-east-1');
      await store.objects.put('b', 'k', Readable.from([Buffer.from('x')]), meta());
      assert.equal(await store.objects.delete('b', 'k'), true);
      assert.equal(await store.objects.delete('b', 'k'), false);
      assert.equal(await store.objects.get('b', 'k'), undefined);
      assert.deepEqual((await store.objects.list('b', { maxKeys: 10 })).objects, []);
      await assert.rejects(store.objects.delete('ghost', 'k'), { awsCode: 'NoSuchBucket' });
    });

    it('replaces an object atomically; a put whose source fails halfway leaves the old one intact', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.objects.createBucket('b', 'us-east-1');
      const v1 = patternBytes(10, 1_000_000);
      const put1 = await store.objects.put('b', 'k', chunked(v1), meta({ userMetadata: { v: '1' } }));

      const failing = Readable.from((async function* () {
        yield patternBytes(11, 400_000);
        await new Promise((r) => setImmediate(r));
        throw new Error('client went away');
      })());
      await assert.rejects(store.objects.put('b', 'k', failing, meta({ userMetadata: { v: '2' } })), /client went away/);
      assert.deepEqual(await store.objects.head('b', 'k'), put1);
      assert.ok((await readAll((await store.objects.get('b', 'k'))!.body)).equals(v1));
      assert.deepEqual((await store.objects.list('b', { maxKeys: 10 })).objects, [put1]);

      const failingNew = Readable.from((async function* () { yield Buffer.from('partial'); throw new Error('boom'); })());
      await assert.rejects(store.objects.put('b', 'new', failingNew, meta()), /boom/);
      assert.equal(await store.objects.head('b', 'new'), undefined);

      const v2 = patternBytes(12, 500_000);
      const put2 = await store.objects.put('b', 'k', chunked(v2), meta({ userMetadata: { v: '2' } }));
      assert.equal(put2.etag, `"${md5hex(v2)}"`);
      assert.deepEqual((await store.objects.head('b', 'k'))?.userMetadata, { v: '2' });
      assert.ok((await readAll((await store.objects.get('b', 'k'))!.body)).equals(v2));
    });

    it('changes metadata in place, keeping body, size, ETag and lastModified', async (t) => {
      const clock = new FakeClock();
      const fixture = await freshStore(t, makeStore, clock);
      const { store } = fixture;
      await store.objects.createBucket('b', 'us-east-1');
      const put = await store.objects.put('b', 'k', Readable.from([Buffer.from('data')]), meta({ userMetadata: { m: '1' }, tags: { a: '1' } }));
      const reading = await store.objects.get('b', 'k');
      await clock.advance(60_000);
      const tagged = await store.objects.setMeta('b', 'k', { tags: { only: 'one' } });
      assert.deepEqual(tagged, { ...put, tags: { only: 'one' } });
      assert.deepEqual(await (await fixture.reopen(clock)).objects.head('b', 'k'), tagged);
      const untagged = await store.objects.setMeta('b', 'k', { tags: undefined });
      assert.deepEqual(untagged, { bucket: 'b', key: 'k', size: 4, etag: put.etag, lastModified: put.lastModified, userMetadata: { m: '1' } });
      assert.equal((await readAll(reading!.body)).toString(), 'data', 'a reader of the body is unaffected');
      assert.equal((await readAll((await store.objects.get('b', 'k'))!.body)).toString(), 'data');
      assert.equal(await store.objects.setMeta('b', 'missing', { tags: { x: 'y' } }), undefined);
      assert.equal(await store.objects.head('b', 'missing'), undefined);
      await assert.rejects(store.objects.setMeta('ghost', 'k', { tags: {} }), { awsCode: 'NoSuchBucket' });
    });

    it('lets a reader that opened an object finish it while a writer replaces it', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.objects.createBucket('b', 'us-east-1');
      const v1 = patternBytes(20, 2_000_000);
      await store.objects.put('b', 'k', chunked(v1), meta());
      const reading = await store.objects.get('b', 'k');
      const v2 = patternBytes(21, 10);
      await store.objects.put('b', 'k', Readable.from([v2]), meta());
      assert.ok((await readAll(reading!.body)).equals(v1));
      assert.ok((await readAll((await store.objects.get('b', 'k'))!.body)).equals(v2));
    });
  });
}
