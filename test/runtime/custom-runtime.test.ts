// Custom runtimes (provided.*): the `bootstrap` executable speaks the real Runtime API, here a
// shell script with curl, as users write them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { eventFor, json, resolvedFunction, testPool } from '../pool/helpers.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

test('a shell bootstrap with curl answers events and is reused while warm', async (t) => {
  const pool = testPool(t);
  const fn = resolvedFunction({ codeDir: join(FIXTURES, 'custom'), handler: 'function.handler', runtime: 'provided.al2023' });
  const first = await pool.run(fn, eventFor(fn, { n: 1 }), 5000);
  assert.equal(first.status, 'ok', first.payload.toString());
  assert.deepEqual(json(first.payload), { handler: 'function.handler', region: 'us-east-1', event: { n: 1 } });
  assert.ok(first.initDurationMs !== undefined);
  assert.ok(first.logs.some((l) => l === `init with handler function.handler in ${join(FIXTURES, 'custom')}`), first.logs.join('\n'));

  const event = eventFor(fn, { n: 2 });
  const second = await pool.run(fn, event, 5000);
  assert.deepEqual(json(second.payload).event, { n: 2 });
  assert.equal(second.initDurationMs, undefined, 'warm');
  assert.deepEqual(second.logs, [`handling ${event.requestId}`]);
  assert.ok(second.maxMemoryUsedMb > 0);
});

test('a custom runtime error keeps its body and type; an exit fails with Runtime.ExitError', async (t) => {
  const pool = testPool(t);
  const fn = resolvedFunction({ codeDir: join(FIXTURES, 'custom'), handler: 'h', runtime: 'provided.al2' });
  const failed = await pool.run(fn, eventFor(fn, { fail: true }), 5000);
  assert.equal(failed.status, 'error');
  assert.equal(failed.errorType, 'Custom.Failure');
  assert.deepEqual(json(failed.payload), { errorMessage: 'asked to fail', errorType: 'Custom.Failure' });

  const event = eventFor(fn, { exit: true });
  const died = await pool.run(fn, event, 5000);
  assert.equal(died.status, 'crash');
  assert.equal(died.errorType, 'Runtime.ExitError');
  assert.deepEqual(json(died.payload), {
    errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${event.requestId} Error: Runtime exited with error: exit status 3`,
  });
  const after = await pool.run(fn, eventFor(fn, { n: 3 }), 5000);
  assert.equal(after.status, 'ok');
  assert.ok(after.initDurationMs !== undefined, 'a fresh instance after the crash');
});

test('init/error from a custom runtime fails the invocation with its error', async (t) => {
  const pool = testPool(t);
  const fn = resolvedFunction({ codeDir: join(FIXTURES, 'custom-error'), handler: 'h', runtime: 'provided' });
  const out = await pool.run(fn, eventFor(fn), 5000);
  assert.equal(out.status, 'crash');
  assert.equal(out.errorType, 'Custom.InitFailed');
  assert.deepEqual(json(out.payload), { errorMessage: 'missing configuration', errorType: 'Custom.InitFailed' });
  assert.ok(out.logs.includes('cannot initialise'), out.logs.join('\n'));
});

test('a missing bootstrap is Runtime.InvalidEntrypoint', async (t) => {
  const pool = testPool(t);
  const fn = resolvedFunction({ codeDir: join(FIXTURES, 'esm'), handler: 'h', runtime: 'provided.al2023' });
  const out = await pool.run(fn, eventFor(fn), 5000);
  assert.equal(out.status, 'crash');
  assert.equal(out.errorType, 'Runtime.InvalidEntrypoint');
  assert.match(json(out.payload).errorMessage, /Couldn't find valid bootstrap\(s\): \[.*esm\/bootstrap\]/);
});

test('Python handlers run through the Python bootstrap on the Runtime API', async (t) => {
  const pool = testPool(t);
  const fn = resolvedFunction({ codeDir: join(FIXTURES, 'python'), handler: 'app.handler', runtime: 'python3.12' });
  const event = eventFor(fn, { name: 'py' });
  const first = await pool.run(fn, event, 10_000);
  assert.equal(first.status, 'ok', first.payload.toString() + first.logs.join('\n'));
  assert.deepEqual(json(first.payload), { count: 1, requestId: event.requestId, taskRoot: join(FIXTURES, 'python') });
  assert.ok(first.logs.includes('python saw py'), first.logs.join('\n'));
  const second = await pool.run(fn, eventFor(fn, { name: 'again' }), 10_000);
  assert.equal(json(second.payload).count, 2);

  const failing = resolvedFunction({ codeDir: join(FIXTURES, 'python'), handler: 'app.fails', runtime: 'python3.12', key: 'fails', name: 'svc-dev-fails' });
  const err = await pool.run(failing, eventFor(failing), 10_000);
  assert.equal(err.status, 'error');
  assert.equal(err.errorType, 'ValueError');
  assert.equal(json(err.payload).errorMessage, 'bad value');
});

test('a Python interpreter that cannot start fails init with Runtime.InvalidEntrypoint', async (t) => {
  const pool = testPool(t, { pythonPath: '/nonexistent/python3' });
  const fn = resolvedFunction({ codeDir: join(FIXTURES, 'python'), handler: 'app.handler', runtime: 'python3.12' });
  const out = await pool.run(fn, eventFor(fn), 5000);
  assert.equal(out.status, 'crash');
  assert.equal(out.errorType, 'Runtime.InvalidEntrypoint');
  assert.match(json(out.payload).errorMessage, /\/nonexistent\/python3/);
});
