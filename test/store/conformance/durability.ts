// Durability: whatever the store reported committed survives a SIGKILL of the writing process,
// intact, and a write cut short leaves the previous version of an object readable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MakeStore } from '../conformance.ts';
import { createQueue, freshStore, md5hex, patternBytes, readAll } from './helpers.ts';
import { startChild } from './child.ts';

const COMMITS_BEFORE_KILL = 25;

export function durabilityConformance(makeStore: MakeStore): void {
  describe('durability', () => {
    it('keeps every reported message and object after the writer is SIGKILLed mid-stream', async (t) => {
      const fixture = await freshStore(t, makeStore);
      await createQueue(fixture.store, 'durable');
      await fixture.store.objects.createBucket('durable', 'us-east-1');
      const child = startChild(t, 'writer.ts', fixture);
      await child.waitForLine((l) => l.startsWith(`obj ${COMMITS_BEFORE_KILL} `));
      child.proc.kill('SIGKILL');
      const exit = await child.exited;
      assert.equal(exit.signal, 'SIGKILL', `the writer was still running when killed; stderr:\n${exit.stderr}`);

      const reported = child.lines.map((l) => l.split(' '));
      const store = await fixture.reopen();

      const messageIds = reported.filter(([kind]) => kind === 'msg').map(([, , id]) => id!);
      const received = new Map<string, string>();
      for (let batch = await store.queues.claim('durable', 10, 600_000); batch.length > 0; batch = await store.queues.claim('durable', 10, 600_000)) {
        for (const m of batch) received.set(m.id, m.body);
      }
      for (const id of messageIds) assert.ok(received.has(id), `message ${id} was reported committed`);
      for (const body of received.values()) assert.match(body, /^message \d+$/);

      for (const [kind, i, etag] of reported) {
        if (kind !== 'obj') continue;
        const got = await store.objects.get('durable', `obj-${i}`);
        assert.ok(got, `obj-${i} was reported committed`);
        assert.equal(got.object.etag, etag);
        const size = 1_000 + ((Number(i) * 7_919) % 200_000);
        assert.ok((await readAll(got.body)).equals(patternBytes(Number(i), size)), `obj-${i} intact`);
      }
      // Anything listed, including an object committed just before the kill but not yet reported, is whole.
      for (const o of (await store.objects.list('durable', { prefix: 'obj-', maxKeys: 1000 })).objects) {
        const body = await readAll((await store.objects.get('durable', o.key))!.body);
        assert.equal(`"${md5hex(body)}"`, o.etag, `${o.key} matches its ETag`);
      }

      // The object overwritten on every round holds the last reported version or a newer whole one.
      const lastCurrent = Math.max(...reported.filter(([kind]) => kind === 'cur').map(([, i]) => Number(i)));
      const current = await store.objects.get('durable', 'current');
      const version = Number(current!.object.userMetadata.version);
      assert.ok(version >= lastCurrent, `current is version ${version}, reported ${lastCurrent}`);
      const body = await readAll(current!.body);
      assert.ok(body.equals(patternBytes(100_000 + version, 50_000 + version)), 'current is one whole version');
      assert.equal(current!.object.etag, `"${md5hex(body)}"`);

      // And the store keeps working.
      await store.queues.send('durable', [{ body: 'after' }]);
      assert.deepEqual((await store.queues.claim('durable', 10, 1_000)).map((m) => m.body), ['after']);
    });
  });
}
