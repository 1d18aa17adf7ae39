// Sync invocations through the real pool: Lambda's result mapping, log framing and records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GannetError } from '../../src/shared/errors.ts';
import type { InvokeResult } from '../../src/invoke/index.ts';
import { join } from 'node:path';
import { eventually, fixtureFunction, harness, arnOf, tempDir, type Harness } from './helpers.ts';

const cli = { mode: 'sync', trigger: { kind: 'cli' } } as const;
const REPORT = (id: string, mem: number) =>
  new RegExp(`^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: ${mem} MB\\tMax Memory Used: \\d+ MB`);

function tailLines(res: InvokeResult): string[] {
  assert.ok(res.logTail, 'logTail requested');
  return Buffer.from(res.logTail, 'base64').toString('utf8').replace(/\n$/, '').split('\n');
}

/** The invocation's lines from START on (an INIT_START may come first on a cold start). */
function fromStart(lines: string[], id: string): string[] {
  const i = lines.indexOf(`START RequestId: ${id} Version: $LATEST`);
  assert.ok(i >= 0, `START line for ${id} in ${JSON.stringify(lines)}`);
  return lines.slice(i);
}

async function recordsOf(h: Harness, name: string, count: number) {
  return eventually(async () => {
    const recs = await h.store.records.query({ functionName: name });
    return recs.length >= count ? recs : undefined;
  }, `${count} records of ${name}`);
}

test('ok: the result, START/END/REPORT framing, Init Duration only when cold, records and the log echo', async (t) => {
  const fn = fixtureFunction('ok', 'ok');
  const h = await harness(t, [fn]);
  const first = await h.invoker.invoke(fn.name, Buffer.from('{"a":1}'), { ...cli, tail: true });
  assert.equal(first.status, 'ok');
  assert.equal(first.functionError, undefined);
  assert.equal(first.executedVersion, '$LATEST');
  assert.deepEqual(JSON.parse(first.payload.toString()), { ok: true, event: { a: 1 } });
  const lines = fromStart(tailLines(first), first.requestId);
  assert.ok(lines.some((l) => l.includes('hello from ok')), 'function output between START and END');
  assert.equal(lines.at(-2), `END RequestId: ${first.requestId}`);
  assert.match(lines.at(-1)!, REPORT(first.requestId, 256));
  assert.match(lines.at(-1)!, /\tInit Duration: \d+\.\d{2} ms$/);

  const second = await h.invoker.invoke(fn.name, Buffer.from('{}'), { ...cli, tail: true });
  const report = tailLines(second).at(-1)!;
  assert.match(report, new RegExp(REPORT(second.requestId, 256).source + '$'), 'a warm REPORT has no Init Duration');

  const recs = await recordsOf(h, fn.name, 2);
  const rec = recs.find((r) => r.requestId === first.requestId)!;
  assert.equal(rec.outcome, 'ok');
  assert.equal(rec.attempt, 1);
  assert.equal(rec.trigger, 'cli');
  assert.equal(rec.memorySizeMb, 256);
  assert.ok(rec.initDurationMs !== undefined);
  assert.deepEqual(rec.logs, tailLines(first));
  for (const line of rec.logs) assert.ok(h.logLines.includes(line), `echoed: ${line}`);
  assert.equal(recs.find((r) => r.requestId === second.requestId)!.initDurationMs, undefined);
});

test('a thrown error is a function error reported as Unhandled, with the runtime\'s error payload', async (t) => {
  const fn = fixtureFunction('fail', 'fail');
  const h = await harness(t, [fn]);
  const res = await h.invoker.invoke(fn.name, Buffer.from('{}'), { ...cli, tail: true });
  assert.equal(res.status, 'handled-error');
  assert.equal(res.functionError, 'Unhandled');
  const body = JSON.parse(res.payload.toString());
  assert.equal(body.errorType, 'TypeError');
  assert.equal(body.errorMessage, 'boom');
  const lines = tailLines(res);
  assert.match(lines.at(-1)!, new RegExp(REPORT(res.requestId, 256).source + '(\\tInit Duration: \\d+\\.\\d{2} ms)?$'), 'no Status for a handler error');
  const [rec] = await recordsOf(h, fn.name, 1);
  assert.equal(rec!.outcome, 'handled-error');
  assert.equal(rec!.errorType, 'TypeError');
});

test('a timeout: Sandbox.Timedout, the notice with the timeout in seconds, REPORT Status: timeout', async (t) => {
  const fn = fixtureFunction('slow', 'slow', { timeout: 1 });
  const h = await harness(t, [fn]);
  const res = await h.invoker.invoke(fn.name, Buffer.from('{}'), { ...cli, tail: true });
  assert.equal(res.status, 'unhandled-error');
  assert.equal(res.functionError, 'Unhandled');
  const body = JSON.parse(res.payload.toString());
  assert.equal(body.errorType, 'Sandbox.Timedout');
  assert.match(body.errorMessage, /Task timed out after 1\.00 seconds/);
  const lines = fromStart(tailLines(res), res.requestId);
  assert.equal(lines.filter((l) => /^\S+ [0-9a-f-]{36} Task timed out after 1\.00 seconds$/.test(l)).length, 1);
  assert.equal(lines.at(-2), `END RequestId: ${res.requestId}`);
  assert.match(lines.at(-1)!, /\tStatus: timeout$/);
  const [rec] = await recordsOf(h, fn.name, 1);
  assert.equal(rec!.outcome, 'timeout');
});

test('the caller\'s deadline applies when shorter than the function timeout', async (t) => {
  const fn = fixtureFunction('slow', 'slow', { timeout: 30 });
  const h = await harness(t, [fn]);
  const res = await h.invoker.invoke(fn.name, Buffer.from('{}'), { ...cli, tail: true, deadlineMs: 500 });
  assert.equal(res.status, 'unhandled-error');
  assert.ok(tailLines(res).some((l) => l.endsWith('Task timed out after 0.50 seconds')));
});

test('a crash: Runtime.ExitError, Unhandled, REPORT Status: error', async (t) => {
  const fn = fixtureFunction('crash', 'crash');
  const h = await harness(t, [fn]);
  const res = await h.invoker.invoke(fn.name, Buffer.from('{}'), { ...cli, tail: true });
  assert.equal(res.status, 'unhandled-error');
  assert.equal(res.functionError, 'Unhandled');
  assert.equal(JSON.parse(res.payload.toString()).errorType, 'Runtime.ExitError');
  assert.match(tailLines(res).at(-1)!, /\tStatus: error\tError Type: Runtime\.ExitError$/);
  const [rec] = await recordsOf(h, fn.name, 1);
  assert.equal(rec!.outcome, 'unhandled-error');
  assert.equal(rec!.errorType, 'Runtime.ExitError');
});

test('over reserved concurrency: throttled with Lambda\'s 429 body, recorded, no log lines', async (t) => {
  const fn = fixtureFunction('one', 'counted', { reservedConcurrency: 1, environment: { RUNS_FILE: join(tempDir(t), 'runs') } });
  const h = await harness(t, [fn]);
  const busy = h.invoker.invoke(fn.name, Buffer.from('{"id":"long","sleepMs":1500}'), cli);
  await eventually(() => (h.pool.busy(fn.name) === 1 ? true : undefined), 'the only instance busy');
  const res = await h.invoker.invoke(fn.name, Buffer.from('{"id":"second"}'), cli);
  assert.equal(res.status, 'throttled');
  assert.deepEqual(JSON.parse(res.payload.toString()),
    { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User', message: 'Rate Exceeded.' });
  assert.equal((await busy).status, 'ok');
  const recs = await recordsOf(h, fn.name, 2);
  const throttled = recs.find((r) => r.requestId === res.requestId)!;
  assert.equal(throttled.outcome, 'throttled');
  assert.deepEqual(throttled.logs, []);
});

test('unknown functions and versions are ResourceNotFoundException (404)', async (t) => {
  const fn = fixtureFunction('ok', 'ok');
  const h = await harness(t, [fn]);
  const notFound = (message: string) => (err: unknown) =>
    err instanceof GannetError && err.awsCode === 'ResourceNotFoundException' && err.status === 404 && err.message === message;
  await assert.rejects(h.invoker.invoke('nope', Buffer.from('{}'), cli), notFound(`Function not found: ${arnOf('nope')}`));
  await assert.rejects(h.invoker.invoke(fn.name, Buffer.from('{}'), { ...cli, qualifier: '1' }), notFound(`Function not found: ${arnOf(fn.name)}:1`));
  await assert.rejects(h.invoker.invoke('nope', Buffer.from('{}'), { mode: 'async', trigger: { kind: 'lambda-api' } }), notFound(`Function not found: ${arnOf('nope')}`));
  assert.equal((await h.invoker.invoke(`${fn.name}:$LATEST`, Buffer.from('{}'), cli)).status, 'ok');
});
