// QueueStore.waitForMessage conformance: a long poll returns as soon as a message may be claimable.
// Waits use a fake clock, so a wait that resolves was woken by the store, not by its timeout.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MakeStore } from '../conformance.ts';
import { FakeClock } from '../fake-clock.ts';
import { createQueue, freshStore, stateOf, within } from './helpers.ts';

const LONG = 20_000;

export function waitConformance(makeStore: MakeStore): void {
  describe('queue long polling', () => {
    it('returns at once when a message is already visible', async (t) => {
      const { store } = await freshStore(t, makeStore, new FakeClock());
      await createQueue(store, 'q');
      await store.queues.send('q', [{ body: 'x' }]);
      assert.equal(await stateOf(store.queues.waitForMessage('q', LONG)), 'resolved');
    });

    it('wakes on a send to its queue, not on a send to another queue', async (t) => {
      const { store } = await freshStore(t, makeStore, new FakeClock());
      await createQueue(store, 'q');
      await createQueue(store, 'other');
      const waiting = store.queues.waitForMessage('q', LONG);
      assert.equal(await stateOf(waiting), 'pending');
      await store.queues.send('other', [{ body: 'x' }]);
      assert.equal(await stateOf(waiting), 'pending');
      await store.queues.send('q', [{ body: 'y' }]);
      assert.equal(await stateOf(waiting), 'resolved');
    });

    it('wakes when a claimed message is released with no delay', async (t) => {
      const { store } = await freshStore(t, makeStore, new FakeClock());
      await createQueue(store, 'q');
      await store.queues.send('q', [{ body: 'x' }]);
      const [m] = await store.queues.claim('q', 1, 30_000);
      const waiting = store.queues.waitForMessage('q', LONG);
      assert.equal(await stateOf(waiting), 'pending');
      await store.queues.release('q', m!.receipt, 0);
      assert.equal(await stateOf(waiting), 'resolved');
    });

    it('wakes when a delayed message becomes visible', async (t) => {
      const clock = new FakeClock();
      const { store } = await freshStore(t, makeStore, clock);
      await createQueue(store, 'q');
      await store.queues.send('q', [{ body: 'later', delayMs: 5_000 }]);
      const waiting = store.queues.waitForMessage('q', LONG);
      await clock.advance(4_999);
      assert.equal(await stateOf(waiting), 'pending');
      await clock.advance(1);
      assert.equal(await stateOf(waiting), 'resolved');
      assert.equal((await store.queues.claim('q', 1, 1_000)).length, 1);
    });

    it('wakes when a delayed message is sent while waiting', async (t) => {
      const clock = new FakeClock();
      const { store } = await freshStore(t, makeStore, clock);
      await createQueue(store, 'q');
      const waiting = store.queues.waitForMessage('q', LONG);
      await store.queues.send('q', [{ body: 'later', delayMs: 3_000 }]);
      await clock.advance(2_999);
      assert.equal(await stateOf(waiting), 'pending');
      await clock.advance(1);
      assert.equal(await stateOf(waiting), 'resolved');
    });

    it('wakes when an in-flight message\'s visibility timeout runs out', async (t) => {
      const clock = new FakeClock();
      const { store } = await freshStore(t, makeStore, clock);
      await createQueue(store, 'q');
      await store.queues.send('q', [{ body: 'x' }]);
      await store.queues.claim('q', 1, 3_000);
      const waiting = store.queues.waitForMessage('q', LONG);
      await clock.advance(2_000);
      assert.equal(await stateOf(waiting), 'pending');
      await clock.advance(1_000);
      assert.equal(await stateOf(waiting), 'resolved');
    });

    it('resolves after the timeout, or when aborted, with nothing to claim', async (t) => {
      const clock = new FakeClock();
      const { store } = await freshStore(t, makeStore, clock);
      await createQueue(store, 'q');
      const timed = store.queues.waitForMessage('q', 1_000);
      await clock.advance(999);
      assert.equal(await stateOf(timed), 'pending');
      await clock.advance(1);
      assert.equal(await stateOf(timed), 'resolved');

      const ac = new AbortController();
      const aborted = store.queues.waitForMessage('q', LONG, ac.signal);
      assert.equal(await stateOf(aborted), 'pending');
      ac.abort();
      assert.equal(await stateOf(aborted), 'resolved');
    });

    it('wakes several waiters on one send', async (t) => {
      const { store } = await freshStore(t, makeStore, new FakeClock());
      await createQueue(store, 'q');
      const waits = [1, 2, 3].map(() => store.queues.waitForMessage('q', LONG));
      await store.queues.send('q', [{ body: 'x' }]);
      assert.deepEqual(await Promise.all(waits.map(stateOf)), ['resolved', 'resolved', 'resolved']);
    });

    it('waits while a FIFO group is blocked by an in-flight message, and wakes when it is acked', async (t) => {
      const { store } = await freshStore(t, makeStore, new FakeClock());
      await createQueue(store, 'q.fifo');
      await store.queues.send('q.fifo', [{ body: '1', groupId: 'g', dedupId: 'd1' }, { body: '2', groupId: 'g', dedupId: 'd2' }]);
      const [first] = await store.queues.claim('q.fifo', 1, 30_000);
      const waiting = store.queues.waitForMessage('q.fifo', LONG);
      assert.equal(await stateOf(waiting), 'pending', 'the visible message is not claimable yet, so no busy wake-up');
      await store.queues.ack('q.fifo', [first!.receipt]);
      assert.equal(await stateOf(waiting), 'resolved');
    });

    it('wakes on a send made through another handle on the same store', async (t) => {
      const fixture = await freshStore(t, makeStore);
      await createQueue(fixture.store, 'q');
      const other = await fixture.reopen();
      const waiting = fixture.store.queues.waitForMessage('q', 60_000);
      assert.equal(await stateOf(waiting), 'pending');
      await other.queues.send('q', [{ body: 'from elsewhere' }]);
      await within(waiting, 15_000, 'wake-up after a send through another handle');
      assert.equal((await fixture.store.queues.claim('q', 1, 1_000))[0]?.body, 'from elsewhere');
    });
  });
}
