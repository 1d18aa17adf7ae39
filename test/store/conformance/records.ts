// RecordStore and KvStore conformance.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InvocationRecord } from '../../../src/invoke/types.ts';
import type { MakeStore } from '../conformance.ts';
import { freshStore } from './helpers.ts';

function record(i: number, over: Partial<InvocationRecord> = {}): InvocationRecord {
  return {
    requestId: `req-${i}`, functionName: i % 2 ? 'odd' : 'even', version: '$LATEST', trigger: 'http',
    startedAt: 1_000 * i, durationMs: 12.5, billedDurationMs: 13, memorySizeMb: 128, maxMemoryUsedMb: 60,
    outcome: 'ok', attempt: 1,
    logs: [`START RequestId: req-${i} Version: $LATEST`, `line ${i}`, `END RequestId: req-${i}`],
    ...over,
  };
}

export function recordConformance(makeStore: MakeStore): void {
  describe('invocation records', () => {
    it('appends records and returns them oldest first with increasing seq', async (t) => {
      const { store } = await freshStore(t, makeStore);
      for (let i = 0; i < 6; i++) await store.records.append(record(i));
      await store.records.append(record(6, { outcome: 'handled-error', errorType: 'Error', initDurationMs: 150.2 }));
      const all = await store.records.query({});
      assert.deepEqual(all.map((r) => r.requestId), ['req-0', 'req-1', 'req-2', 'req-3', 'req-4', 'req-5', 'req-6']);
      for (let i = 1; i < all.length; i++) assert.ok(all[i]!.seq > all[i - 1]!.seq);
      const { seq, ...last } = all[6]!;
      assert.deepEqual(last, record(6, { outcome: 'handled-error', errorType: 'Error', initDurationMs: 150.2 }));
    });

    it('filters by function, start time, seq and log text; limit keeps the newest unless following', async (t) => {
      const { store } = await freshStore(t, makeStore);
      for (let i = 0; i < 10; i++) await store.records.append(record(i));
      await store.records.append(record(10, { logs: ['START', 'user said "hello, world"\nand left', 'END'] }));
      const ids = (rs: { requestId: string }[]) => rs.map((r) => r.requestId);
      assert.deepEqual(ids(await store.records.query({ functionName: 'odd' })), ['req-1', 'req-3', 'req-5', 'req-7', 'req-9']);
      assert.deepEqual(ids(await store.records.query({ since: 8_000 })), ['req-8', 'req-9', 'req-10']);
      assert.deepEqual(ids(await store.records.query({ text: 'line 7' })), ['req-7']);
      assert.deepEqual(ids(await store.records.query({ text: '"hello, world"\nand' })), ['req-10']);
      assert.deepEqual(ids(await store.records.query({ text: 'no such text' })), []);
      assert.deepEqual(ids(await store.records.query({ limit: 3 })), ['req-8', 'req-9', 'req-10']);
      assert.deepEqual(ids(await store.records.query({ functionName: 'even', limit: 2 })), ['req-8', 'req-10']);

      const all = await store.records.query({});
      const after = all[4]!.seq;
      assert.deepEqual(ids(await store.records.query({ afterSeq: after })), ['req-5', 'req-6', 'req-7', 'req-8', 'req-9', 'req-10']);
      assert.deepEqual(ids(await store.records.query({ afterSeq: after, limit: 2 })), ['req-5', 'req-6']);
      assert.deepEqual(ids(await store.records.query({ afterSeq: all.at(-1)!.seq })), []);
      await store.records.append(record(11));
      assert.deepEqual(ids(await store.records.query({ afterSeq: all.at(-1)!.seq })), ['req-11']);
    });

    it('appends a batch in order, interleaved with single appends', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.records.append(record(0));
      await store.records.appendMany([record(1), record(2, { outcome: 'timeout' }), record(3)]);
      await store.records.appendMany([record(4)]);
      await store.records.appendMany([]);
      await store.records.append(record(5));
      const all = await store.records.query({});
      assert.deepEqual(all.map((r) => r.requestId), ['req-0', 'req-1', 'req-2', 'req-3', 'req-4', 'req-5']);
      for (let i = 1; i < all.length; i++) assert.ok(all[i]!.seq > all[i - 1]!.seq);
      const { seq, ...second } = all[2]!;
      assert.deepEqual(second, record(2, { outcome: 'timeout' }));
    });
  });

  describe('key/value state', () => {
    it('stores namespaced JSON values', async (t) => {
      const { store } = await freshStore(t, makeStore);
      assert.equal(await store.kv.get('topics', 'orders'), undefined);
      await store.kv.put('topics', 'orders', { arn: 'arn:aws:sns:us-east-1:0:orders', attrs: { DisplayName: 'x' } });
      await store.kv.put('topics', 'alerts', { arn: 'a' });
      await store.kv.put('schedules', 'orders', 42);
      assert.deepEqual(await store.kv.get('topics', 'orders'), { arn: 'arn:aws:sns:us-east-1:0:orders', attrs: { DisplayName: 'x' } });
      assert.equal(await store.kv.get('schedules', 'orders'), 42);
      assert.deepEqual(await store.kv.list('topics'), [{ key: 'alerts', value: { arn: 'a' } }, { key: 'orders', value: { arn: 'arn:aws:sns:us-east-1:0:orders', attrs: { DisplayName: 'x' } } }]);
      await store.kv.put('topics', 'alerts', [1, 'two']);
      assert.deepEqual(await store.kv.get('topics', 'alerts'), [1, 'two']);
      await store.kv.delete('topics', 'alerts');
      await store.kv.delete('topics', 'never-there');
      assert.deepEqual((await store.kv.list('topics')).map((e) => e.key), ['orders']);
      assert.deepEqual(await store.kv.list('empty'), []);
    });
  });
}
