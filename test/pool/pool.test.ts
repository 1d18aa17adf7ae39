// The pool with real child processes: reuse, concurrency, limits, crashes, spares, scale to zero.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FunctionSpec } from '../../src/config/types.ts';
import type { GannetError } from '../../src/shared/errors.ts';
import type { ResolvedFunction } from '../../src/pool/types.ts';
import { eventFor, eventually, FIXTURES, json, processAlive, resolvedFunction, testPool } from './helpers.ts';

const NODE = join(FIXTURES, 'node');

function fn(handler: string, over: Partial<FunctionSpec> = {}): ResolvedFunction {
  const key = over.key ?? handler.replace(/\W/g, '-');
  return resolvedFunction({ codeDir: NODE, handler, key, name: `svc-dev-${key}`, memorySize: 256, ...over });
}

test('a warm instance is reused: module state survives, init is reported once', async (t) => {
  const pool = testPool(t);
  const counter = fn('basic.counter');
  const outs = [];
  for (let i = 0; i < 3; i++) outs.push(await pool.run(counter, eventFor(counter), 3000));
  assert.deepEqual(outs.map((o) => json(o.payload).count), [1, 2, 3]);
  assert.equal(new Set(outs.map((o) => json(o.payload).pid)).size, 1);
  assert.ok(outs[0]!.initDurationMs !== undefined);
  assert.ok(outs[0]!.logs[0]!.startsWith('INIT_START Runtime Version: '));
  assert.equal(outs[1]!.initDurationMs, undefined);
  assert.ok(outs.every((o) => o.maxMemoryUsedMb > 0 && o.durationMs > 0 && o.timedOut === false));
  assert.match(outs[2]!.logs.at(-1)!, /\tINFO\tcount is 3$/);
});

test('parallel events get their own instances, never two events in one instance at once', async (t) => {
  const pool = testPool(t);
  const slow = fn('basic.slow');
  const outs = await Promise.all(Array.from({ length: 4 }, () => pool.run(slow, eventFor(slow, { ms: 300 }), 5000)));
  const bodies = outs.map((o) => json(o.payload));
  assert.equal(new Set(bodies.map((b) => b.pid)).size, 4);
  assert.ok(bodies.every((b) => b.overlapped === false));
  assert.equal(pool.busy(slow.spec.name), 0);
  assert.equal(pool.stats().idle, 4);
  // Then they are reused, still one event each.
  const again = await Promise.all(Array.from({ length: 4 }, () => pool.run(slow, eventFor(slow, { ms: 50 }), 5000)));
  assert.deepEqual(new Set(again.map((o) => json(o.payload).pid)), new Set(bodies.map((b) => b.pid)));
  assert.ok(again.every((o) => json(o.payload).overlapped === false));
});

test('reserved concurrency throttles with GANNET_THROTTLED; 0 disables the function', async (t) => {
  const pool = testPool(t);
  const one = fn('basic.slow', { reservedConcurrency: 1 });
  const first = pool.run(one, eventFor(one, { ms: 300 }), 5000);
  await eventually(() => (pool.busy(one.spec.name) === 1 ? true : undefined));
  await assert.rejects(pool.run(one, eventFor(one), 5000), (err: GannetError) => err.code === 'GANNET_THROTTLED' && err.status === 429);
  assert.equal((await first).status, 'ok');
  assert.equal((await pool.run(one, eventFor(one, { ms: 1 }), 5000)).status, 'ok', 'free again once the first finished');

  const disabled = fn('basic.echo', { reservedConcurrency: 0 });
  await assert.rejects(pool.run(disabled, eventFor(disabled), 5000), /reserved concurrency \(0\)/);
  assert.equal(pool.stats().functions, 1, 'a throttled function allocates nothing');
});

test('the host-wide instance cap throttles, and evicts an idle instance of another function first', async (t) => {
  const pool = testPool(t, { maxInstances: 1 });
  const a = fn('basic.slow', { key: 'a' });
  const b = fn('basic.echo', { key: 'b' });
  const busyA = pool.run(a, eventFor(a, { ms: 300 }), 5000);
  await eventually(() => (pool.busy(a.spec.name) === 1 ? true : undefined));
  await assert.rejects(pool.run(b, eventFor(b), 5000), (err: GannetError) => err.code === 'GANNET_THROTTLED');
  await busyA;
  const outB = await pool.run(b, eventFor(b, { ok: 1 }), 5000);
  assert.deepEqual(json(outB.payload), { ok: 1 });
  assert.deepEqual(pool.stats().instances, 1);
});

test('a handler past its timeout is killed: Sandbox.Timedout, and the next event gets a fresh instance', async (t) => {
  const pool = testPool(t);
  const loops = fn('basic.loops');
  const event = eventFor(loops);
  const out = await pool.run(loops, event, 500);
  assert.equal(out.status, 'crash');
  assert.equal(out.timedOut, true);
  assert.equal(out.errorType, 'Sandbox.Timedout');
  assert.deepEqual(json(out.payload), { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${event.requestId} Error: Task timed out after 0.50 seconds` });
  assert.match(out.logs.at(-1)!, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z ${event.requestId} Task timed out after 0\\.50 seconds$`));
  const counter = fn('basic.counter', { key: 'loops-then' });
  assert.equal((await pool.run(counter, eventFor(counter), 3000)).status, 'ok');
  assert.equal(pool.stats().instances, 1, 'the timed-out instance is gone');
});

test('process.exit fails the invocation with Runtime.ExitError and the host keeps going', async (t) => {
  const pool = testPool(t);
  const exits = fn('basic.exits');
  const event = eventFor(exits, { code: 1 });
  const out = await pool.run(exits, event, 3000);
  assert.equal(out.status, 'crash');
  assert.equal(out.errorType, 'Runtime.ExitError');
  assert.deepEqual(json(out.payload), { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${event.requestId} Error: Runtime exited with error: exit status 1` });
  assert.ok(out.logs.some((l) => l.endsWith('\tINFO\tabout to exit')), out.logs.join('\n'));

  const zero = eventFor(exits, { code: 0 });
  const clean = await pool.run(exits, zero, 3000);
  assert.equal(json(clean.payload).errorMessage, `RequestId: ${zero.requestId} Error: Runtime exited without providing a reason`);
  assert.ok(clean.initDurationMs !== undefined, 'a fresh instance after the crash');
});

test('an exception thrown in a timer fails the invocation with that error and ends the instance', async (t) => {
  const pool = testPool(t);
  const timer = fn('basic.throwInTimer');
  const out = await pool.run(timer, eventFor(timer), 5000);
  assert.equal(out.status, 'crash');
  assert.equal(out.errorType, 'Error');
  assert.equal(json(out.payload).errorMessage, 'thrown in a timer');
  assert.ok(out.logs.some((l) => l.includes('\tERROR\tUncaught Exception \t{"errorType":"Error","errorMessage":"thrown in a timer"')), out.logs.join('\n'));
  const next = await pool.run(timer, eventFor(timer), 5000);
  assert.ok(next.initDurationMs !== undefined, 'a fresh instance');
});

test('running out of memory at a small memory size fails the invocation, not the host', async (t) => {
  const pool = testPool(t);
  const hog = fn('basic.hog', { memorySize: 128 });
  const event = eventFor(hog);
  const out = await pool.run(hog, event, 20_000);
  assert.equal(out.status, 'crash');
  assert.ok(['Runtime.OutOfMemory', 'Runtime.ExitError'].includes(out.errorType!), out.errorType);
  assert.match(json(out.payload).errorMessage, new RegExp(`^RequestId: ${event.requestId} Error: Runtime exited with error: signal: (killed|aborted)`));
  const counter = fn('basic.counter', { key: 'after-oom' });
  assert.equal((await pool.run(counter, eventFor(counter), 3000)).status, 'ok');
});

test('a response over 6 MB is Function.ResponseSizeTooLarge; the instance stays warm', async (t) => {
  const pool = testPool(t);
  const big = fn('basic.big');
  const out = await pool.run(big, eventFor(big, { size: 6_291_556 }), 5000);
  assert.equal(out.status, 'crash');
  assert.equal(out.errorType, 'Function.ResponseSizeTooLarge');
  assert.deepEqual(json(out.payload), {
    errorMessage: 'Response payload size (6291558 bytes) exceeded maximum allowed payload size (6291556 bytes).',
    errorType: 'Function.ResponseSizeTooLarge',
  });
  const fits = await pool.run(big, eventFor(big, { size: 100 }), 5000);
  assert.equal(fits.status, 'ok');
  assert.equal(fits.initDurationMs, undefined);
});

test('a prewarmed process takes the first cold start, with the function\'s environment; a new spare follows', async (t) => {
  const pool = testPool(t, { spares: 1, spareMemoryMb: 256 });
  await eventually(() => (pool.stats().spares === 1 ? true : undefined));
  const started = fn('basic.started', { environment: { GREETING: 'hi' } });
  const before = Date.now();
  const out = await pool.run(started, eventFor(started), 5000);
  const body = json(out.payload);
  assert.ok(body.startedAt < before, 'the process existed before the function was invoked');
  assert.equal(body.name, started.spec.name);
  assert.equal(body.greeting, 'hi');
  assert.ok(body.execArgv.includes('--max-old-space-size=230'));
  assert.ok(out.initDurationMs !== undefined);
  await eventually(() => (pool.stats().spares === 1 ? true : undefined));

  // Another memory size cannot use a 256 MB spare: it gets a fresh process.
  const other = fn('basic.started', { key: 'other-size', memorySize: 512 });
  const before2 = Date.now();
  const fresh = json((await pool.run(other, eventFor(other), 5000)).payload);
  assert.ok(fresh.startedAt >= before2 - 50, 'spawned for this cold start');
  assert.ok(fresh.execArgv.includes('--max-old-space-size=460'));
});

test('idle instances stop after the idle timeout (scale to zero)', async (t) => {
  const pool = testPool(t, { idleTimeoutMs: 100 });
  const counter = fn('basic.counter');
  const pid = json((await pool.run(counter, eventFor(counter), 3000)).payload).pid as number;
  await eventually(() => (pool.stats().instances === 0 && pool.stats().functions === 0 ? true : undefined));
  await eventually(() => (processAlive(pid) ? undefined : true));
  const again = await pool.run(counter, eventFor(counter), 3000);
  assert.equal(json(again.payload).count, 1, 'a new instance starts from scratch');
});

test('a new revision gets a new instance and the old one stops', async (t) => {
  const pool = testPool(t);
  const v1 = fn('basic.counter');
  const pid1 = json((await pool.run(v1, eventFor(v1), 3000)).payload).pid as number;
  const v2 = { ...v1, revision: 'r2' };
  const out = json((await pool.run(v2, eventFor(v2), 3000)).payload);
  assert.notEqual(out.pid, pid1);
  assert.equal(out.count, 1);
  await eventually(() => (processAlive(pid1) ? undefined : true));
});

test('drain lets in-flight work finish, then stops the instances', async (t) => {
  const pool = testPool(t);
  const slow = fn('basic.slow');
  const running = pool.run(slow, eventFor(slow, { ms: 200 }), 5000);
  await eventually(() => (pool.busy(slow.spec.name) === 1 ? true : undefined));
  await pool.drain(slow.spec.name);
  assert.equal((await running).status, 'ok');
  assert.equal(pool.stats().instances, 0);
});

test('lines printed after the response belong to the next invocation', async (t) => {
  const pool = testPool(t);
  const later = fn('basic.later', { runtime: 'nodejs24.x' });
  const first = await pool.run(later, eventFor(later), 3000);
  assert.ok(!first.logs.some((l) => l.includes('printed after the response')));
  await new Promise((r) => setTimeout(r, 150));
  const second = await pool.run(later, eventFor(later), 3000);
  assert.ok(second.logs[0]!.endsWith('\tINFO\tprinted after the response'), second.logs.join('\n'));
});

test('nothing is allocated for a function until its first invocation', async (t) => {
  const pool = testPool(t);
  assert.deepEqual(pool.stats(), { functions: 0, instances: 0, busy: 0, idle: 0, spares: 0 });
  await assert.rejects(pool.run(fn('basic.echo', { runtime: 'java21' }), eventFor(fn('basic.echo')), 3000).then((o) => {
    throw new Error(o.errorType);
  }), /Runtime.InvalidRuntime/);
});

test('the memory watchdog stops an instance over its memory size: Runtime.OutOfMemory', async (t) => {
  const pool = testPool(t);
  const hog = resolvedFunction({ codeDir: join(import.meta.dirname, '..', 'runtime', 'fixtures', 'python'), handler: 'app.hog', runtime: 'python3.12', memorySize: 128 });
  const event = eventFor(hog);
  const out = await pool.run(hog, event, 20_000);
  assert.equal(out.status, 'crash');
  assert.equal(out.errorType, 'Runtime.OutOfMemory');
  assert.deepEqual(json(out.payload), { errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${event.requestId} Error: Runtime exited with error: signal: killed` });
  assert.equal(out.maxMemoryUsedMb, 128);
  assert.ok(pool.log.lines.some((l) => l.includes('over its memory size of 128 MB')), pool.log.lines.join('\n'));
});

test('many concurrent fast events share a few warm instances, one event per instance at a time', async (t) => {
  const pool = testPool(t, { eagerInstances: 2 });
  const quick = fn('basic.slow', { key: 'quick' });
  const outs = await Promise.all(Array.from({ length: 40 }, () => pool.run(quick, eventFor(quick, { ms: 0 }), 5000)));
  const bodies = outs.map((o) => json(o.payload));
  assert.ok(bodies.every((b) => b.overlapped === false));
  const pids = new Set(bodies.map((b) => b.pid));
  assert.ok(pids.size < 20, `40 quick events ran in ${pids.size} instances; they should mostly have waited for a warm one`);
  assert.equal(pool.busy(quick.spec.name), 0);
});

test('events that would wait long for a busy instance get their own, as on Lambda', async (t) => {
  const pool = testPool(t, { eagerInstances: 1 });
  const slow = fn('basic.slow', { key: 'waits' });
  const outs = await Promise.all(Array.from({ length: 4 }, () => pool.run(slow, eventFor(slow, { ms: 1500 }), 5000)));
  const bodies = outs.map((o) => json(o.payload));
  assert.equal(new Set(bodies.map((b) => b.pid)).size, 4);
  assert.ok(bodies.every((b) => b.overlapped === false));
});

test('reserved concurrency counts events waiting for an instance', async (t) => {
  const pool = testPool(t, { eagerInstances: 1, scaleUpAfterMs: 60_000 });
  const two = fn('basic.slow', { key: 'two', reservedConcurrency: 2 });
  const first = pool.run(two, eventFor(two, { ms: 300 }), 5000);
  await eventually(() => (pool.busy(two.spec.name) === 1 ? true : undefined));
  const second = pool.run(two, eventFor(two, { ms: 1 }), 5000);
  await assert.rejects(pool.run(two, eventFor(two), 5000), (err: GannetError) => err.code === 'GANNET_THROTTLED');
  assert.deepEqual([(await first).status, (await second).status], ['ok', 'ok']);
  assert.equal(json((await first).payload).pid, json((await second).payload).pid, 'the waiting event ran on the freed instance');
});

test('closing the pool fails events still waiting for an instance', async (t) => {
  const pool = testPool(t, { eagerInstances: 1, scaleUpAfterMs: 60_000 });
  const slow = fn('basic.slow', { key: 'closing' });
  const running = pool.run(slow, eventFor(slow, { ms: 300 }), 5000);
  await eventually(() => (pool.busy(slow.spec.name) === 1 ? true : undefined));
  const waiting = assert.rejects(pool.run(slow, eventFor(slow, { ms: 1 }), 5000), (err: GannetError) => err.code === 'GANNET_POOL_CLOSED');
  await pool.close();
  await waiting;
  await running.catch(() => undefined);
});
