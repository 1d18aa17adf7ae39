// Reading invocation records back for `gannet logs`, against the real sqlite store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store/index.ts';
import { parseSince, printLogs } from '../../src/invoke/index.ts';
import type { InvocationRecord } from '../../src/invoke/index.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { GannetError } from '../../src/shared/errors.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../helpers/function-output.ts';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-logs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('parseSince reads ages and ISO dates', () => {
  const now = Date.parse('2024-01-31T12:00:00Z');
  assert.equal(parseSince('30s', now), now - 30_000);
  assert.equal(parseSince('10m', now), now - 600_000);
  assert.equal(parseSince('2h', now), now - 7_200_000);
  assert.equal(parseSince('1d', now), now - 86_400_000);
  assert.equal(parseSince('2024-01-30T00:00:00Z', now), Date.parse('2024-01-30T00:00:00Z'));
  assert.equal(parseSince('2024-01-30', now), Date.parse('2024-01-30'));
  for (const bad of ['10', 'yesterday', '5w', '']) {
    assert.throws(() => parseSince(bad, now), (err: unknown) => err instanceof GannetError && err.code === 'GANNET_USAGE' && err.message.includes(`"${bad}"`));
  }
});

function rec(requestId: string, functionName: string, startedAt: number, lines: string[]): InvocationRecord {
  return {
    requestId, functionName, version: '$LATEST', trigger: 'cli', startedAt, durationMs: 1, billedDurationMs: 1,
    memorySizeMb: 128, maxMemoryUsedMb: 10, outcome: 'ok', attempt: 1,
    logs: [`START RequestId: ${requestId} Version: $LATEST`, ...lines, `END RequestId: ${requestId}`],
  };
}

test('printLogs selects by function, since and filter text, and follows new records until aborted', async (t) => {
  const store = await openStore({ dir: tempDir(t), clock: systemClock });
  t.after(() => store.close());
  const now = Date.now();
  await store.records.append(rec('r1', 'fn-a', now - 3_600_000, ['old line']));
  await store.records.append(rec('r2', 'fn-a', now - 1_000, ['order 42 placed']));
  await store.records.append(rec('r3', 'fn-b', now - 1_000, ['other function']));
  await store.records.append(rec('r4', 'fn-a', now - 500, ['order 43 placed']));

  const all: string[] = [];
  assert.equal(await printLogs({ store, clock: systemClock, write: (l) => all.push(l) }, { functionName: 'fn-a' }), 3);
  assert.deepEqual(all.filter((l) => !l.startsWith('START') && !l.startsWith('END')), ['old line', 'order 42 placed', 'order 43 placed']);

  const recent: string[] = [];
  await printLogs({ store, clock: systemClock, write: (l) => recent.push(l) }, { functionName: 'fn-a', since: now - 60_000, filter: '42' });
  assert.deepEqual(recent, ['START RequestId: r2 Version: $LATEST', 'order 42 placed', 'END RequestId: r2']);

  const followed: string[] = [];
  const stop = new AbortController();
  const following = printLogs({ store, clock: systemClock, write: (l) => followed.push(l) },
    { functionName: 'fn-a', since: now - 60_000, tail: true, signal: stop.signal, followEveryMs: 20 });
  await eventually('the existing records', () => (followed.length === 6 ? true : undefined), 10_000);
  await store.records.append(rec('r5', 'fn-a', Date.now(), ['late arrival']));
  await store.records.append(rec('r6', 'fn-b', Date.now(), ['not mine']));
  await eventually('the new record', () => (followed.includes('late arrival') ? true : undefined), 10_000);
  stop.abort();
  assert.equal(await following, 3);
  assert.ok(!followed.includes('not mine'));
});
