// Multipart upload conformance: parts, S3's multipart ETag, validation errors, atomic completion.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { MakeStore } from '../conformance.ts';
import { chunked, freshStore, md5hex, patternBytes, readAll } from './helpers.ts';

const MiB = 1024 * 1024;
const meta = { contentType: 'application/zip', userMetadata: { purpose: 'backup' } };

/** S3's multipart ETag, computed here independently: MD5 over the parts' binary MD5s, "-N". */
function expectedMultipartEtag(parts: Buffer[]): string {
  const concatenated = Buffer.concat(parts.map((p) => createHash('md5').update(p).digest()));
  return `"${createHash('md5').update(concatenated).digest('hex')}-${parts.length}"`;
}

export function multipartConformance(makeStore: MakeStore): void {
  describe('multipart uploads', () => {
    it('completes an upload into one object with S3\'s multipart ETag', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.objects.createBucket('b', 'us-east-1');
      await store.objects.put('b', 'backup.zip', Readable.from([Buffer.from('old')]), { userMetadata: {} });
      const uploadId = await store.objects.createUpload('b', 'backup.zip', meta);
      const upload = await store.objects.getUpload(uploadId);
      assert.deepEqual({ bucket: upload?.bucket, key: upload?.key, meta: upload?.meta }, { bucket: 'b', key: 'backup.zip', meta });
      assert.deepEqual((await store.objects.listUploads('b')).map((u) => [u.uploadId, u.key]), [[uploadId, 'backup.zip']]);

      const parts = [patternBytes(1, 5 * MiB), patternBytes(2, 5 * MiB + 7), patternBytes(3, 1234)];
      // Uploaded out of order, and part 2 twice: the second upload replaces the first.
      const p3 = await store.objects.putPart(uploadId, 3, chunked(parts[2]!));
      await store.objects.putPart(uploadId, 2, Readable.from([Buffer.from('wrong')]));
      const p2 = await store.objects.putPart(uploadId, 2, chunked(parts[1]!));
      const p1 = await store.objects.putPart(uploadId, 1, chunked(parts[0]!));
      assert.equal(p1.etag, `"${md5hex(parts[0]!)}"`);
      assert.deepEqual(p3, { etag: `"${md5hex(parts[2]!)}"`, size: 1234 });
      assert.deepEqual((await store.objects.listParts(uploadId)).map((p) => [p.partNumber, p.etag, p.size]),
        [[1, p1.etag, parts[0]!.length], [2, p2.etag, parts[1]!.length], [3, p3.etag, 1234]]);

      const done = await store.objects.completeUpload(uploadId, [
        { partNumber: 1, etag: p1.etag }, { partNumber: 2, etag: p2.etag.replaceAll('"', '') }, { partNumber: 3, etag: p3.etag },
      ]);
      assert.equal(done.etag, expectedMultipartEtag(parts));
      assert.equal(done.size, parts.reduce((n, p) => n + p.length, 0));
      assert.equal(done.contentType, 'application/zip');
      assert.deepEqual(done.userMetadata, { purpose: 'backup' });
      const got = await store.objects.get('b', 'backup.zip');
      assert.deepEqual(got?.object, done);
      assert.equal(md5hex(await readAll(got!.body)), md5hex(Buffer.concat(parts)));
      assert.equal(await store.objects.getUpload(uploadId), undefined);
      assert.deepEqual(await store.objects.listUploads('b'), []);
      await assert.rejects(store.objects.completeUpload(uploadId, [{ partNumber: 1, etag: p1.etag }]), { awsCode: 'NoSuchUpload', status: 404 });
    });

    it('may complete with a subset of the uploaded parts; a single part may be small', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.objects.createBucket('b', 'us-east-1');
      const uploadId = await store.objects.createUpload('b', 'k', { userMetadata: {} });
      const a = await store.objects.putPart(uploadId, 1, Readable.from([Buffer.from('tiny')]));
      await store.objects.putPart(uploadId, 2, Readable.from([Buffer.from('unused')]));
      const done = await store.objects.completeUpload(uploadId, [{ partNumber: 1, etag: a.etag }]);
      assert.equal(done.etag, expectedMultipartEtag([Buffer.from('tiny')]));
      assert.equal((await readAll((await store.objects.get('b', 'k'))!.body)).toString(), 'tiny');
    });

    it('rejects bad part lists with InvalidPartOrder, InvalidPart, EntityTooSmall, and unknown uploads with NoSuchUpload', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.objects.createBucket('b', 'us-east-1');
      const uploadId = await store.objects.createUpload('b', 'k', { userMetadata: {} });
      const p1 = await store.objects.putPart(uploadId, 1, Readable.from([Buffer.from('small one')]));
      const p2 = await store.objects.putPart(uploadId, 2, Readable.from([Buffer.from('small two')]));
      const complete = (parts: { partNumber: number; etag: string }[]) => store.objects.completeUpload(uploadId, parts);

      await assert.rejects(complete([{ partNumber: 2, etag: p2.etag }, { partNumber: 1, etag: p1.etag }]), { awsCode: 'InvalidPartOrder', status: 400 });
      await assert.rejects(complete([{ partNumber: 1, etag: p1.etag }, { partNumber: 1, etag: p1.etag }]), { awsCode: 'InvalidPartOrder' });
      await assert.rejects(complete([{ partNumber: 1, etag: p1.etag }, { partNumber: 3, etag: p2.etag }]), { awsCode: 'InvalidPart', status: 400 });
      await assert.rejects(complete([{ partNumber: 1, etag: p2.etag }]), { awsCode: 'InvalidPart' });
      await assert.rejects(complete([{ partNumber: 1, etag: p1.etag }, { partNumber: 2, etag: p2.etag }]), { awsCode: 'EntityTooSmall', status: 400 });
      await assert.rejects(complete([]), { status: 400 });
      await assert.rejects(store.objects.putPart(uploadId, 0, Readable.from([Buffer.from('x')])), { status: 400 });
      await assert.rejects(store.objects.putPart(uploadId, 10_001, Readable.from([Buffer.from('x')])), { status: 400 });
      assert.equal(await store.objects.head('b', 'k'), undefined, 'failed completions publish nothing');
      assert.equal((await store.objects.listParts(uploadId)).length, 2, 'and keep the upload');

      await assert.rejects(store.objects.putPart('no-such-upload', 1, Readable.from([Buffer.from('x')])), { code: 'GANNET_UPLOAD_NOT_FOUND', awsCode: 'NoSuchUpload', status: 404 });
      await assert.rejects(store.objects.listParts('no-such-upload'), { awsCode: 'NoSuchUpload' });
      await assert.rejects(store.objects.abortUpload('no-such-upload'), { awsCode: 'NoSuchUpload' });
      await assert.rejects(store.objects.completeUpload('no-such-upload', [{ partNumber: 1, etag: p1.etag }]), { awsCode: 'NoSuchUpload' });
      await assert.rejects(store.objects.createUpload('ghost', 'k', { userMetadata: {} }), { awsCode: 'NoSuchBucket' });
    });

    it('aborts an upload, dropping its parts', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.objects.createBucket('b', 'us-east-1');
      const uploadId = await store.objects.createUpload('b', 'k', { userMetadata: {} });
      await store.objects.putPart(uploadId, 1, Readable.from([Buffer.from('x')]));
      await store.objects.abortUpload(uploadId);
      assert.equal(await store.objects.getUpload(uploadId), undefined);
      await assert.rejects(store.objects.listParts(uploadId), { awsCode: 'NoSuchUpload' });
      await assert.rejects(store.objects.putPart(uploadId, 2, Readable.from([Buffer.from('x')])), { awsCode: 'NoSuchUpload' });
      assert.equal(await store.objects.head('b', 'k'), undefined);
    });
  });
}
