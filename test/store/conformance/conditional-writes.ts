// Conditional writes (If-None-Match: *, If-Match): decided atomically with the publish, so of
// concurrent conditional writers on one or several handles only the ones the condition allows win.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { MakeStore } from '../conformance.ts';
import { chunked, freshStore, md5hex, patternBytes, readAll } from './helpers.ts';

const meta = () => ({ userMetadata: {} });
const body = (s: string) => Readable.from([Buffer.from(s)]);
const PRECONDITION_FAILED = { code: 'GANNET_PRECONDITION_FAILED', awsCode: 'PreconditionFailed', status: 412 };

export function conditionalWriteConformance(makeStore: MakeStore): void {
  describe('conditional writes', () => {
    it('creates with If-None-Match: * only while the key is free, and replaces with If-Match only the ETag named', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.objects.createBucket('b', 'us-east-1');
      const v1 = await store.objects.put('b', 'k', body('v1'), meta(), { ifNoneMatch: '*' });
      await assert.rejects(store.objects.put('b', 'k', body('again'), meta(), { ifNoneMatch: '*' }), PRECONDITION_FAILED);
      assert.deepEqual(await store.objects.head('b', 'k'), v1);
      assert.equal((await readAll((await store.objects.get('b', 'k'))!.body)).toString(), 'v1');

      const v2 = await store.objects.put('b', 'k', body('v2'), meta(), { ifMatch: v1.etag });
      await assert.rejects(store.objects.put('b', 'k', body('stale'), meta(), { ifMatch: v1.etag }), PRECONDITION_FAILED);
      assert.deepEqual(await store.objects.head('b', 'k'), v2);
      const v3 = await store.objects.put('b', 'k', body('v3'), meta(), { ifMatch: v2.etag.replace(/"/g, '') }); // quotes optional
      const v4 = await store.objects.put('b', 'k', body('v4'), meta(), { ifMatch: '*' });
      assert.equal(v3.etag, `"${md5hex('v3')}"`);
      assert.equal(v4.etag, `"${md5hex('v4')}"`);

      await assert.rejects(store.objects.put('b', 'new', body('x'), meta(), { ifMatch: v4.etag }),
        { code: 'GANNET_OBJECT_NOT_FOUND', awsCode: 'NoSuchKey', status: 404 });
      await assert.rejects(store.objects.put('b', 'new', body('x'), meta(), { ifMatch: '*' }), { awsCode: 'NoSuchKey' });
      assert.equal(await store.objects.head('b', 'new'), undefined);
      await assert.rejects(store.objects.put('ghost', 'k', body('x'), meta(), { ifNoneMatch: '*' }), { awsCode: 'NoSuchBucket' });
    });

    it('lets exactly one of concurrent create-only puts on two handles win', async (t) => {
      const fixture = await freshStore(t, makeStore);
      const other = await fixture.reopen();
      await fixture.store.objects.createBucket('b', 'us-east-1');
      const bodies = Array.from({ length: 10 }, (_, i) => patternBytes(100 + i, 300_000));
      const results = await Promise.allSettled(bodies.map((data, i) =>
        (i % 2 ? other : fixture.store).objects.put('b', 'lock', chunked(data), meta(), { ifNoneMatch: '*' })));
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      assert.equal(won.length, 1, 'exactly one create wins');
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, PRECONDITION_FAILED.code);
      assert.deepEqual(await other.objects.head('b', 'lock'), won[0]);
      const winner = bodies.find((d) => `"${md5hex(d)}"` === won[0]!.etag)!;
      assert.ok((await readAll((await fixture.store.objects.get('b', 'lock'))!.body)).equals(winner));
    });

    it('lets exactly one of concurrent If-Match puts replace the version they all read', async (t) => {
      const fixture = await freshStore(t, makeStore);
      const other = await fixture.reopen();
      await fixture.store.objects.createBucket('b', 'us-east-1');
      const read = await fixture.store.objects.put('b', 'counter', body('0'), meta());
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? other : fixture.store).objects.put('b', 'counter', chunked(patternBytes(200 + i, 200_000)), meta(), { ifMatch: read.etag })));
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      assert.equal(won.length, 1, 'exactly one compare-and-swap wins');
      assert.equal(results.filter((r) => r.status === 'rejected' && (r.reason as { status?: number }).status === 412).length, 9);
      assert.deepEqual(await fixture.store.objects.head('b', 'counter'), won[0]);
    });

    it('completes a multipart upload only when its condition holds, keeping the upload when it does not', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.objects.createBucket('b', 'us-east-1');
      const existing = await store.objects.put('b', 'k', body('old'), meta());
      const uploadId = await store.objects.createUpload('b', 'k', meta());
      const part = await store.objects.putPart(uploadId, 1, body('new'));
      const parts = [{ partNumber: 1, etag: part.etag }];
      await assert.rejects(store.objects.completeUpload(uploadId, parts, { ifNoneMatch: '*' }), PRECONDITION_FAILED);
      await assert.rejects(store.objects.completeUpload(uploadId, parts, { ifMatch: '"0123"' }), PRECONDITION_FAILED);
      assert.deepEqual(await store.objects.head('b', 'k'), existing);
      assert.deepEqual((await store.objects.listUploads('b')).map((u) => u.uploadId), [uploadId]);
      const done = await store.objects.completeUpload(uploadId, parts, { ifMatch: existing.etag });
      assert.equal((await readAll((await store.objects.get('b', 'k'))!.body)).toString(), 'new');
      assert.deepEqual(await store.objects.head('b', 'k'), done);
      assert.deepEqual(await store.objects.listUploads('b'), []);
    });
  });
}
