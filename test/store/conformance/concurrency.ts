// Concurrent claims: in parallel on one handle, across handles, and across processes, a message
// is never handed to two claimers while its visibility timeout runs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MakeStore } from '../conformance.ts';
import { createQueue, freshStore } from './helpers.ts';
import { startChild } from './child.ts';

export function concurrencyConformance(makeStore: MakeStore): void {
  describe('concurrent claims', () => {
    it('never returns the same message twice to claims fired in parallel on two handles', async (t) => {
      const fixture = await freshStore(t, makeStore);
      const other = await fixture.reopen();
      await createQueue(fixture.store, 'q');
      const total = 300;
      for (let i = 0; i < total; i += 50) {
        await fixture.store.queues.send('q', Array.from({ length: 50 }, (_, j) => ({ body: `m${i + j}` })));
      }
      const ids: string[] = [];
      for (let round = 0; round < 20 && ids.length < total; round++) {
        const batches = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? other : fixture.store).queues.claim('q', 7, 600_000)));
        for (const b of batches) ids.push(...b.map((m) => m.id));
      }
      assert.equal(ids.length, total);
      assert.equal(new Set(ids).size, total, 'no message claimed twice');
    });

    it('never lets parallel claims take two messages of one FIFO group', async (t) => {
      const fixture = await freshStore(t, makeStore);
      const other = await fixture.reopen();
      await createQueue(fixture.store, 'q.fifo');
      await fixture.store.queues.send('q.fifo', Array.from({ length: 40 }, (_, i) => ({ body: `${i}`, groupId: `g${i % 5}`, dedupId: `d${i}` })));
      const batches = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? other : fixture.store).queues.claim('q.fifo', 1, 600_000)));
      const claimed = batches.flat();
      assert.deepEqual(claimed.map((m) => m.groupId).sort(), ['g0', 'g1', 'g2', 'g3', 'g4']);
      assert.deepEqual(claimed.map((m) => Number(m.body)).sort((a, b) => a - b), [0, 1, 2, 3, 4], 'each group\'s first message');
    });

    it('never returns the same message twice to claimers in separate processes', async (t) => {
      const fixture = await freshStore(t, makeStore);
      await createQueue(fixture.store, 'q');
      const total = 1_200;
      for (let i = 0; i < total; i += 100) {
        await fixture.store.queues.send('q', Array.from({ length: 100 }, (_, j) => ({ body: `m${i + j}` })));
      }
      const children = [0, 1, 2].map(() => startChild(t, 'claimer.ts', fixture, 'q'));
      await Promise.all(children.map((c) => c.waitForLine((l) => l === 'ready')));
      for (const c of children) c.proc.stdin!.write('go\n');
      const results = await Promise.all(children.map((c) => c.exited));
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const ids = children.flatMap((c) => c.lines.filter((l) => l !== 'ready' && l !== 'done'));
      assert.equal(new Set(ids).size, ids.length, 'no message claimed by two processes');
      assert.equal(ids.length, total);
      assert.deepEqual(await fixture.store.queues.counts('q'), { visible: 0, inFlight: total, delayed: 0 });
    });
  });
}
