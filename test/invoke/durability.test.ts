// At-least-once across a crash: a host is SIGKILLed while it accepts and runs async events; a new
// invoker on the same store dir must run every event the first one accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { asyncQueueName } from '../../src/invoke/index.ts';
import { durableFunction, eventually, harness, runsIn, tempDir } from './helpers.ts';

const HOST = new URL('./fixtures/durable-host.ts', import.meta.url).pathname;
const COUNT = 300;

test('events accepted before a SIGKILL all run after a restart', async (t) => {
  const dir = tempDir(t);
  const storeDir = join(dir, 'store');
  const runs = join(dir, 'runs');
  const host = spawn(process.execPath, [HOST, storeDir, runs, String(COUNT)], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const killGroup = () => { try { process.kill(-host.pid!, 'SIGKILL'); } catch { /* already gone */ } };
  t.after(killGroup);
  const exited = new Promise((resolve) => host.once('exit', resolve));

  const accepted = new Set<string>();
  let pending = '';
  host.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.startsWith('accepted ')) accepted.add(line.slice('accepted '.length));
  });

  // Kill while the worker is part-way through: some events done, some running, most still queued.
  await eventually(() => (runsIn(runs).length >= 40 ? true : undefined), 'the host to run some events', 60_000);
  killGroup();
  await exited;
  const ranBefore = runsIn(runs).length;
  t.diagnostic(`accepted ${accepted.size} of ${COUNT}; ${ranBefore} executions before the kill`);
  assert.ok(accepted.size > 0);

  const h = await harness(t, [durableFunction(runs)], { dir: storeDir });
  h.invoker.start();
  await eventually(() => {
    const ran = new Set(runsIn(runs));
    for (const id of accepted) if (!ran.has(id)) return undefined;
    return true;
  }, 'every accepted event to run', 120_000);
  // Events the dead host had claimed come back after their visibility timeout; wait for the queue
  // to empty so the duplicate count below covers them too.
  await eventually(async () => {
    const c = await h.store.queues.counts(asyncQueueName(durableFunction(runs).name));
    return c.visible + c.inFlight + c.delayed === 0 ? true : undefined;
  }, 'the async queue to drain', 120_000);

  const counts = new Map<string, number>();
  for (const id of runsIn(runs)) counts.set(id, (counts.get(id) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1);
  t.diagnostic(`executions: ${runsIn(runs).length}; duplicates: ${duplicates.length}${duplicates.length ? ` (${duplicates.slice(0, 10).map(([id, n]) => `${id}×${n}`).join(', ')})` : ''}`);
  for (const id of accepted) assert.ok((counts.get(id) ?? 0) >= 1, `${id} ran`);
});
