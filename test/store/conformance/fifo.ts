// FIFO queue conformance: sequence numbers, deduplication, per-group order and in-flight groups.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MakeStore } from '../conformance.ts';
import { FakeClock } from '../fake-clock.ts';
import { createQueue, freshStore } from './helpers.ts';

const FIVE_MINUTES = 5 * 60_000;

export function fifoConformance(makeStore: MakeStore): void {
  describe('FIFO queues', () => {
    it('gives increasing 128-bit sequence numbers', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await createQueue(store, 'q.fifo');
      const sent = await store.queues.send('q.fifo', Array.from({ length: 5 }, (_, i) => ({ body: `m${i}`, groupId: i % 2 ? 'a' : 'b', dedupId: `d${i}` })));
      const seqs = sent.map((m) => BigInt(m.sequenceNumber!));
      for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `sequence numbers increase: ${sent.map((m) => m.sequenceNumber)}`);
      assert.ok(seqs.every((s) => s < 2n ** 128n));
      const claimed = await store.queues.claim('q.fifo', 10, 30_000);
      assert.deepEqual(claimed.map((m) => m.sequenceNumber).sort(), sent.map((m) => m.sequenceNumber).sort());
      assert.deepEqual(claimed.map((m) => [m.groupId, m.dedupId]).sort(), sent.map((m) => [m.groupId, m.dedupId]).sort());
    });

    it('drops a duplicate dedupId within 5 minutes and returns the original message', async (t) => {
      const clock = new FakeClock();
      const { store } = await freshStore(t, makeStore, clock);
      await createQueue(store, 'q.fifo');
      const [original] = await store.queues.send('q.fifo', [{ body: 'pay 5', groupId: 'g', dedupId: 'order-1' }]);
      await clock.advance(60_000);
      const [dup, other] = await store.queues.send('q.fifo', [{ body: 'pay 5', groupId: 'g', dedupId: 'order-1' }, { body: 'pay 6', groupId: 'g', dedupId: 'order-2' }]);
      assert.equal(dup!.id, original!.id);
      assert.equal(dup!.sequenceNumber, original!.sequenceNumber);
      assert.notEqual(other!.id, original!.id);
      assert.deepEqual(await store.queues.counts('q.fifo'), { visible: 2, inFlight: 0, delayed: 0 });

      // Still a duplicate after the original was consumed.
      const [m] = await store.queues.claim('q.fifo', 1, 30_000);
      await store.queues.ack('q.fifo', [m!.receipt]);
      assert.equal((await store.queues.send('q.fifo', [{ body: 'pay 5', groupId: 'g', dedupId: 'order-1' }]))[0]!.id, original!.id);
      assert.deepEqual(await store.queues.counts('q.fifo'), { visible: 1, inFlight: 0, delayed: 0 });

      // Five minutes after the original, the same id is a new message.
      await clock.advance(FIVE_MINUTES - 60_000);
      const [fresh] = await store.queues.send('q.fifo', [{ body: 'pay 5', groupId: 'g', dedupId: 'order-1' }]);
      assert.notEqual(fresh!.id, original!.id);
      assert.deepEqual(await store.queues.counts('q.fifo'), { visible: 2, inFlight: 0, delayed: 0 });
    });

    it('drops duplicates inside one batch', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await createQueue(store, 'q.fifo');
      const sent = await store.queues.send('q.fifo', [{ body: 'a', groupId: 'g', dedupId: 'x' }, { body: 'a', groupId: 'g', dedupId: 'x' }]);
      assert.equal(sent[0]!.id, sent[1]!.id);
      assert.deepEqual(await store.queues.counts('q.fifo'), { visible: 1, inFlight: 0, delayed: 0 });
    });

    it('deduplicates by body with ContentBasedDeduplication, and per group with DeduplicationScope=messageGroup', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await createQueue(store, 'content.fifo', { attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } });
      const a = await store.queues.send('content.fifo', [{ body: 'same', groupId: 'g' }, { body: 'same', groupId: 'g' }, { body: 'different', groupId: 'g' }]);
      assert.equal(a[0]!.id, a[1]!.id);
      assert.notEqual(a[0]!.id, a[2]!.id);

      await createQueue(store, 'scoped.fifo', { attributes: { FifoQueue: 'true', DeduplicationScope: 'messageGroup' } });
      const b = await store.queues.send('scoped.fifo', [{ body: 'x', groupId: 'g1', dedupId: 'd' }, { body: 'x', groupId: 'g2', dedupId: 'd' }, { body: 'x', groupId: 'g1', dedupId: 'd' }]);
      assert.notEqual(b[0]!.id, b[1]!.id);
      assert.equal(b[0]!.id, b[2]!.id);
      assert.deepEqual(await store.queues.counts('scoped.fifo'), { visible: 2, inFlight: 0, delayed: 0 });
    });

    it('keeps group order and never hands out a message whose group has one in flight', async (t) => {
      const clock = new FakeClock();
      const { store } = await freshStore(t, makeStore, clock);
      await createQueue(store, 'q.fifo');
      await store.queues.send('q.fifo', [
        { body: 'a1', groupId: 'a', dedupId: '1' }, { body: 'b1', groupId: 'b', dedupId: '2' },
        { body: 'a2', groupId: 'a', dedupId: '3' }, { body: 'a3', groupId: 'a', dedupId: '4' },
        { body: 'b2', groupId: 'b', dedupId: '5' },
      ]);
      const bodies = async (max: number, vis = 30_000) => (await store.queues.claim('q.fifo', max, vis)).map((m) => m.body);

      const [a1] = await store.queues.claim('q.fifo', 1, 30_000);
      assert.equal(a1!.body, 'a1');
      assert.deepEqual(await bodies(1), ['b1'], 'group a is blocked by a1 in flight');
      assert.deepEqual(await bodies(10), [], 'both groups are in flight');

      await store.queues.ack('q.fifo', [a1!.receipt]);
      const batch = await store.queues.claim('q.fifo', 10, 10_000);
      assert.deepEqual(batch.map((m) => m.body), ['a2', 'a3'], 'a batch returns a group\'s messages in order');

      // A released message comes back before the rest of its group, and blocks it while hidden.
      assert.equal(await store.queues.release('q.fifo', batch[0]!.receipt, 5_000), true);
      assert.equal(await store.queues.ack('q.fifo', [batch[1]!.receipt]), 1);
      assert.deepEqual(await bodies(10), []);
      await clock.advance(5_000);
      const [again] = await store.queues.claim('q.fifo', 10, 30_000);
      assert.deepEqual([again!.body, again!.receiveCount], ['a2', 2]);

      // When b1's visibility runs out it is delivered again, still before b2.
      await clock.advance(25_000);
      assert.deepEqual(await bodies(1), ['b1']);
    });

    it('delivers a whole backlog in per-group order across many claims', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await createQueue(store, 'q.fifo');
      const groups = ['g0', 'g1', 'g2'];
      const msgs = Array.from({ length: 30 }, (_, i) => ({ body: `${groups[i % 3]}-${i}`, groupId: groups[i % 3]!, dedupId: `d${i}` }));
      await store.queues.send('q.fifo', msgs);
      const seen = new Map<string, number[]>();
      for (let round = 0; round < 100; round++) {
        const got = await store.queues.claim('q.fifo', 4, 30_000);
        if (got.length === 0 && [...seen.values()].flat().length === 30) break;
        for (const m of got) seen.set(m.groupId!, [...(seen.get(m.groupId!) ?? []), Number(m.body.split('-')[1])]);
        await store.queues.ack('q.fifo', got.map((m) => m.receipt));
      }
      for (const g of groups) {
        const order = seen.get(g)!;
        assert.deepEqual(order, [...order].sort((x, y) => x - y), `group ${g} in order`);
        assert.equal(order.length, 10);
      }
    });
  });
}
