// QueueStore conformance: queue configs, send/claim/ack/release/move, visibility, counts, retention.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MakeStore } from '../conformance.ts';
import { FakeClock } from '../fake-clock.ts';
import { createQueue, freshStore, queueConfig } from './helpers.ts';

export function queueConformance(makeStore: MakeStore): void {
  describe('queues', () => {
    it('creates, reads, lists, updates and removes queue configs', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await store.queues.create(queueConfig('orders', { attributes: { VisibilityTimeout: '30' }, tags: { team: 'a' } }));
      await store.queues.create(queueConfig('orders-dlq'));
      await store.queues.create(queueConfig('jobs.fifo', { internal: true }));
      await assert.rejects(store.queues.create(queueConfig('orders')), { code: 'GANNET_QUEUE_EXISTS', awsCode: 'QueueNameExists' });

      assert.deepEqual(await store.queues.get('orders'), queueConfig('orders', { attributes: { VisibilityTimeout: '30' }, tags: { team: 'a' } }));
      assert.equal((await store.queues.get('jobs.fifo'))?.fifo, true);
      assert.equal((await store.queues.get('jobs.fifo'))?.internal, true);
      assert.equal(await store.queues.get('nope'), undefined);
      assert.deepEqual((await store.queues.list()).map((q) => q.name), ['jobs.fifo', 'orders', 'orders-dlq']);
      assert.deepEqual((await store.queues.list('orders')).map((q) => q.name), ['orders', 'orders-dlq']);

      await store.queues.update('orders', { attributes: { DelaySeconds: '5' } });
      assert.deepEqual((await store.queues.get('orders'))?.attributes, { DelaySeconds: '5' });
      assert.deepEqual((await store.queues.get('orders'))?.tags, { team: 'a' });
      await store.queues.update('orders', { tags: {} });
      assert.deepEqual((await store.queues.get('orders'))?.tags, {});
      await assert.rejects(store.queues.update('nope', { tags: {} }), { code: 'GANNET_QUEUE_NOT_FOUND' });

      await store.queues.send('orders', [{ body: 'x' }]);
      await store.queues.remove('orders');
      assert.equal(await store.queues.get('orders'), undefined);
      await assert.rejects(store.queues.remove('orders'), { code: 'GANNET_QUEUE_NOT_FOUND' });
      // A queue created again under the same name starts empty.
      await createQueue(store, 'orders');
      assert.deepEqual(await store.queues.counts('orders'), { visible: 0, inFlight: 0, delayed: 0 });
    });

    it('rejects sends and claims on a missing queue with QueueDoesNotExist', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await assert.rejects(store.queues.send('ghost', [{ body: 'x' }]), { code: 'GANNET_QUEUE_NOT_FOUND', awsCode: 'QueueDoesNotExist', status: 400 });
      await assert.rejects(store.queues.claim('ghost', 1, 1000), { awsCode: 'QueueDoesNotExist' });
    });

    it('stores messages as sent and claims them oldest first, counting receives', async (t) => {
      const clock = new FakeClock();
      const { store } = await freshStore(t, makeStore, clock);
      await createQueue(store, 'q');
      const sent = await store.queues.send('q', [
        { body: 'one', attributes: { kind: { DataType: 'String', StringValue: 'a' } }, systemAttributes: { AWSTraceHeader: 'Root=1' } },
        { body: 'two' },
        { body: 'three' },
      ]);
      assert.equal(sent.length, 3);
      assert.equal(new Set(sent.map((m) => m.id)).size, 3);
      assert.equal(sent[0]!.sentAt, clock.now());
      assert.equal(sent[0]!.receiveCount, 0);
      assert.equal(sent[0]!.sequenceNumber, undefined);

      await clock.advance(10);
      const first = await store.queues.claim('q', 2, 30_000);
      assert.deepEqual(first.map((m) => m.body), ['one', 'two']);
      assert.deepEqual(first[0]!.attributes, { kind: { DataType: 'String', StringValue: 'a' } });
      assert.deepEqual(first[0]!.systemAttributes, { AWSTraceHeader: 'Root=1' });
      assert.equal(first[0]!.id, sent[0]!.id);
      assert.equal(first[0]!.receiveCount, 1);
      assert.equal(first[0]!.firstReceivedAt, clock.now());
      assert.notEqual(first[0]!.receipt, first[1]!.receipt);
      assert.deepEqual(await store.queues.counts('q'), { visible: 1, inFlight: 2, delayed: 0 });

      const rest = await store.queues.claim('q', 10, 30_000);
      assert.deepEqual(rest.map((m) => m.body), ['three']);
      assert.deepEqual(await store.queues.claim('q', 10, 30_000), []);
      assert.deepEqual(await store.queues.claim('q', 0, 30_000), []);
    });

    it('hides a claimed message for the visibility timeout, then hands it out again with a new receipt', async (t) => {
      const clock = new FakeClock();
      const { store } = await freshStore(t, makeStore, clock);
      await createQueue(store, 'q');
      await store.queues.send('q', [{ body: 'm' }]);
      const [a] = await store.queues.claim('q', 1, 30_000);
      const firstReceivedAt = a!.firstReceivedAt;
      await clock.advance(29_999);
      assert.deepEqual(await store.queues.claim('q', 1, 30_000), []);
      await clock.advance(1);
      const [b] = await store.queues.claim('q', 1, 30_000);
      assert.equal(b!.id, a!.id);
      assert.equal(b!.receiveCount, 2);
      assert.equal(b!.firstReceivedAt, firstReceivedAt);
      assert.notEqual(b!.receipt, a!.receipt);

      // The first receipt went stale when the message was received again: ignored, as SQS does.
      assert.equal(await store.queues.ack('q', [a!.receipt]), 0);
      assert.deepEqual(await store.queues.counts('q'), { visible: 0, inFlight: 1, delayed: 0 });
      assert.equal(await store.queues.release('q', a!.receipt, 0), false);
      assert.equal(await store.queues.ack('q', [b!.receipt]), 1);
      assert.equal(await store.queues.ack('q', [b!.receipt]), 0);
      assert.deepEqual(await store.queues.counts('q'), { visible: 0, inFlight: 0, delayed: 0 });
    });

    it('acks many receipts at once and ignores unknown ones', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await createQueue(store, 'q');
      await store.queues.send('q', Array.from({ length: 5 }, (_, i) => ({ body: `m${i}` })));
      const claimed = await store.queues.claim('q', 5, 30_000);
      assert.equal(await store.queues.ack('q', [...claimed.slice(0, 3).map((m) => m.receipt), 'not-a-receipt']), 3);
      assert.equal(await store.queues.ack('other', [claimed[3]!.receipt]), 0, 'a receipt only acks on its own queue');
      assert.deepEqual(await store.queues.counts('q'), { visible: 0, inFlight: 2, delayed: 0 });
    });

    it('delays messages by delayMs, or by the queue DelaySeconds when not given', async (t) => {
      const clock = new FakeClock();
      const { store } = await freshStore(t, makeStore, clock);
      await createQueue(store, 'q', { attributes: { DelaySeconds: '10' } });
      await store.queues.send('q', [{ body: 'queue-delay' }, { body: 'own-delay', delayMs: 2_000 }, { body: 'no-delay', delayMs: 0 }]);
      assert.deepEqual(await store.queues.counts('q'), { visible: 1, inFlight: 0, delayed: 2 });
      assert.deepEqual((await store.queues.claim('q', 10, 60_000)).map((m) => m.body), ['no-delay']);
      await clock.advance(2_000);
      assert.deepEqual((await store.queues.claim('q', 10, 60_000)).map((m) => m.body), ['own-delay']);
      await clock.advance(8_000);
      assert.deepEqual((await store.queues.claim('q', 10, 60_000)).map((m) => m.body), ['queue-delay']);
    });

    it('releases a claimed message now or after a delay; a stale receipt is refused', async (t) => {
      const clock = new FakeClock();
      const { store } = await freshStore(t, makeStore, clock);
      await createQueue(store, 'q');
      await store.queues.send('q', [{ body: 'a' }, { body: 'b' }]);
      const [a, b] = await store.queues.claim('q', 2, 30_000);
      assert.equal(await store.queues.release('q', a!.receipt, 0), true);
      assert.equal(await store.queues.release('q', b!.receipt, 60_000), true);
      assert.deepEqual(await store.queues.counts('q'), { visible: 1, inFlight: 1, delayed: 0 });
      const [again] = await store.queues.claim('q', 10, 1_000_000);
      assert.equal(again!.body, 'a');
      assert.equal(again!.receiveCount, 2);
      await clock.advance(59_999);
      assert.deepEqual(await store.queues.claim('q', 10, 1_000_000), []);
      await clock.advance(1);
      assert.deepEqual((await store.queues.claim('q', 10, 30_000)).map((m) => [m.body, m.receiveCount]), [['b', 2]]);
      assert.equal(await store.queues.release('q', 'no-such-receipt', 0), false);
      assert.equal(await store.queues.release('q', a!.receipt, 0), false, 'receipt went stale when re-claimed');
    });

    it('moves a claimed message to another queue, keeping id, body, attributes and receive count', async (t) => {
      const clock = new FakeClock();
      const { store } = await freshStore(t, makeStore, clock);
      await createQueue(store, 'work');
      await createQueue(store, 'dlq');
      const [sent] = await store.queues.send('work', [{ body: 'poison', attributes: { a: { DataType: 'String', StringValue: '1' } }, systemAttributes: { AWSTraceHeader: 't' } }]);
      await store.queues.claim('work', 1, 0);
      await clock.advance(5);
      const [m] = await store.queues.claim('work', 1, 30_000);
      assert.equal(await store.queues.move('work', m!.receipt, 'dlq', { systemAttributes: { DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:000000000000:work' } }), true);
      assert.deepEqual(await store.queues.counts('work'), { visible: 0, inFlight: 0, delayed: 0 });
      assert.deepEqual(await store.queues.counts('dlq'), { visible: 1, inFlight: 0, delayed: 0 });
      const [moved] = await store.queues.claim('dlq', 1, 30_000);
      assert.equal(moved!.id, sent!.id);
      assert.equal(moved!.body, 'poison');
      assert.equal(moved!.sentAt, sent!.sentAt);
      assert.equal(moved!.receiveCount, 3);
      assert.deepEqual(moved!.attributes, { a: { DataType: 'String', StringValue: '1' } });
      assert.deepEqual(moved!.systemAttributes, { AWSTraceHeader: 't', DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:000000000000:work' });
      assert.equal(await store.queues.move('work', m!.receipt, 'dlq'), false, 'stale receipt');
      await assert.rejects(store.queues.move('dlq', moved!.receipt, 'ghost'), { code: 'GANNET_QUEUE_NOT_FOUND' });
      assert.deepEqual(await store.queues.counts('dlq'), { visible: 0, inFlight: 1, delayed: 0 }, 'a failed move changes nothing');
    });

    it('purges every message, in flight or not', async (t) => {
      const { store } = await freshStore(t, makeStore);
      await createQueue(store, 'q');
      await store.queues.send('q', [{ body: 'a' }, { body: 'b' }, { body: 'c', delayMs: 60_000 }]);
      const [a] = await store.queues.claim('q', 1, 30_000);
      await store.queues.purge('q');
      assert.deepEqual(await store.queues.counts('q'), { visible: 0, inFlight: 0, delayed: 0 });
      assert.equal(await store.queues.ack('q', [a!.receipt]), 0);
      await assert.rejects(store.queues.purge('ghost'), { code: 'GANNET_QUEUE_NOT_FOUND' });
    });

    it('expires messages older than the retention period, in flight or not', async (t) => {
      const clock = new FakeClock();
      const { store } = await freshStore(t, makeStore, clock);
      await createQueue(store, 'q');
      await store.queues.send('q', [{ body: 'old-1' }, { body: 'old-2' }]);
      await store.queues.claim('q', 1, 3_600_000);
      await clock.advance(60_000);
      await store.queues.send('q', [{ body: 'new' }]);
      await clock.advance(1);
      assert.equal(await store.queues.expire('q', 60_000), 2);
      assert.deepEqual((await store.queues.claim('q', 10, 30_000)).map((m) => m.body), ['new']);
      assert.equal(await store.queues.expire('q', 60_000), 0);
    });
  });
}
