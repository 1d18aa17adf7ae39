// Durability of asynchronous invocation: hundreds of events accepted with 202 are executed at
// least once even when `gannet dev` is killed with SIGKILL while it runs them, or while it is
// still accepting more, and is started again on the same folder. Each accepted id must appear in
// the function's output file at least once; duplicates (allowed, at-least-once) are reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startGannetDev, type GannetDev } from '../helpers/gannet-process.ts';
import { descendants, stillRunning } from '../helpers/processes.ts';
import { eventually } from '../helpers/function-output.ts';

const dir = fileURLToPath(new URL('./fixtures/durability', import.meta.url));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const EVENTS = 300;
const SENDERS = 16;
/** Kill the host once this many events have run: the rest are queued, claimed or running. */
const KILL_AFTER_EXECUTIONS = 40;
/** The second kill comes while events are still being sent, once this many more are accepted. */
const KILL_DURING_SENDS_AT = 100;

const executions = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);

/**
 * Sends `ids` as Event invocations, `SENDERS` at a time; resolves with the ids answered 202.
 * `onAccepted(count)` runs after each 202; once `killed()`, a failed send stops the senders.
 */
async function sendEvents(dev: GannetDev, ids: string[], onAccepted: (count: number) => void = () => {}, killed = () => false): Promise<string[]> {
  const lambda = new LambdaClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials, maxAttempts: 1 });
  const accepted: string[] = [];
  let next = 0;
  const sender = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      let status: number | undefined;
      try {
        status = (await lambda.send(new InvokeCommand({
          FunctionName: 'durability-e2e-dev-record', InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify({ id })),
        }))).StatusCode;
      } catch (err) {
        if (!killed()) throw err;
        return; // killed: an event not answered 202 was never promised
      }
      if (status === 202) {
        accepted.push(id);
        onAccepted(accepted.length);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: SENDERS }, sender));
  } finally {
    lambda.destroy();
  }
  return accepted;
}

/** SIGKILL to gannet dev, its process group and every instance it started (instances have their own groups); resolves once all are gone. */
async function killEverything(dev: GannetDev): Promise<void> {
  const pid = dev.child.pid!;
  const procs = descendants(pid);
  try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
  for (const p of procs) {
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  await eventually('gannet dev and its instances to be gone', () =>
    (dev.child.exitCode !== null || dev.child.signalCode !== null) && stillRunning(procs).length === 0);
}

const newIds = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}-${Math.random().toString(36).slice(2, 8)}`);

test('events accepted before a SIGKILL of gannet dev all run after it is started again', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'gannet-durability-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const out = join(work, 'executions.txt');
  const dataDir = join(work, 'data');
  const env = { DURABILITY_OUT_FILE: out };
  const args = ['--no-watch', '--data-dir', dataDir];

  // 1. Hundreds of events accepted, then a SIGKILL while they run.
  const first = await startGannetDev(t, dir, args, env);
  const ids = newIds('a', EVENTS);
  const sendStart = performance.now();
  const accepted = await sendEvents(first, ids);
  const sendMs = performance.now() - sendStart;
  assert.equal(accepted.length, EVENTS, 'every event is accepted while gannet dev runs');
  await eventually(`${KILL_AFTER_EXECUTIONS} executions before the kill`, () => executions(out).length >= KILL_AFTER_EXECUTIONS, 60_000);
  await killEverything(first);
  const beforeFirstKill = executions(out);
  t.diagnostic(`${accepted.length} events accepted in ${Math.round(sendMs)} ms; ${beforeFirstKill.length} executions before the first SIGKILL`);
  assert.ok(new Set(beforeFirstKill).size < accepted.length, 'the kill came while accepted events were still to run');

  // 2. Started again: more events, and a SIGKILL while they are still being accepted and the backlog runs.
  const second = await startGannetDev(t, dir, args, env);
  const moreIds = newIds('b', KILL_DURING_SENDS_AT * 2);
  let killing: Promise<void> | undefined;
  const moreAccepted = await sendEvents(second, moreIds, (count) => {
    if (count === KILL_DURING_SENDS_AT) killing = killEverything(second);
  }, () => killing !== undefined);
  await killing;
  assert.ok(moreAccepted.length >= KILL_DURING_SENDS_AT && moreAccepted.length < moreIds.length, `${moreAccepted.length} accepted`);
  accepted.push(...moreAccepted);
  ids.push(...moreIds);
  t.diagnostic(`${moreAccepted.length} of ${moreIds.length} more events accepted before the second SIGKILL; ${executions(out).length} executions so far`);

  // 3. Started once more, the function no longer slow: everything accepted runs.
  writeFileSync(`${out}.fast`, '');
  const restartedAt = performance.now();
  const third = await startGannetDev(t, dir, args, env);
  const missing = () => {
    const ran = new Set(executions(out));
    return accepted.filter((id) => !ran.has(id));
  };
  // Events claimed by a killed host come back once their visibility timeout (from the 1 s function timeout) passes.
  await eventually('every accepted event to run', () => missing().length === 0, 90_000).catch((err: Error) => {
    throw new Error(`${err.message}: ${missing().length} of ${accepted.length} never ran, e.g. ${missing().slice(0, 5).join(', ')}\n${third.stderr()}`);
  });
  const drainMs = performance.now() - restartedAt;
  await third.stop();

  const counts = new Map<string, number>();
  for (const id of executions(out)) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const id of accepted) assert.ok((counts.get(id) ?? 0) >= 1, `${id} ran`);
  const unknown = [...counts.keys()].filter((id) => !ids.includes(id));
  assert.deepEqual(unknown, [], 'only events that were sent ran');
  const duplicates = [...counts.values()].reduce((n, c) => n + c - 1, 0);
  const unanswered = [...counts.keys()].filter((id) => !accepted.includes(id)).length;
  t.diagnostic(`after the last restart (drained in ${Math.round(drainMs)} ms): all ${accepted.length} accepted events ran; ` +
    `${duplicates} duplicate execution(s) (${[...counts.values()].filter((c) => c > 1).length} event(s) ran more than once); ` +
    `${unanswered} event(s) whose 202 the kill cut off ran too`);
});
