// TypeScript handlers: bundled on first use, rebuilt when a source changes, stack traces in .ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleTypeScript } from '../../src/runtime/index.ts';
import { eventFor, json, resolvedFunction, tempDir, testPool } from '../pool/helpers.ts';

const TS = join(import.meta.dirname, 'fixtures', 'ts');

/** A copy of the fixture service, so builds and edits stay in a temp folder. */
function service(t: import('node:test').TestContext): string {
  const dir = tempDir(t);
  cpSync(TS, dir, { recursive: true });
  return dir;
}

test('a .ts handler is bundled, runs, and its thrown error names the .ts file and line', async (t) => {
  const dir = service(t);
  const pool = testPool(t);
  const fn = resolvedFunction({ codeDir: dir, handler: 'handler.handler', runtime: 'nodejs24.x' });
  const ok = await pool.run(fn, eventFor(fn, { name: 'ts' }), 5000);
  assert.equal(ok.status, 'ok', ok.payload.toString());
  assert.deepEqual(json(ok.payload), { message: 'hello ts' });
  assert.ok(existsSync(join(dir, '.gannet', 'build', 'handler.cjs')), 'bundle cached under .gannet/build');

  const failed = await pool.run(fn, eventFor(fn, { fail: true }), 5000);
  assert.equal(failed.status, 'error');
  const trace: string[] = json(failed.payload).trace;
  assert.equal(trace[0], 'Error: typed failure');
  assert.match(trace[1]!, new RegExp(`${join(dir, 'handler.ts').replace(/[.]/g, '\\.')}:7:\\d+`), trace.join('\n'));
});

test('a .mts handler becomes an ES module bundle', async (t) => {
  const dir = service(t);
  const pool = testPool(t);
  const fn = resolvedFunction({ codeDir: dir, handler: 'module.handler' });
  const out = await pool.run(fn, eventFor(fn), 5000);
  assert.equal(out.status, 'ok', out.payload.toString());
  assert.deepEqual(json(out.payload), { format: 'esm-with-require', url: true });
});

test('the bundle is rebuilt when a source file changes, and reused when nothing did', async (t) => {
  const dir = service(t);
  const pool = testPool(t);
  const fn = resolvedFunction({ codeDir: dir, handler: 'handler.handler' });
  assert.deepEqual(json((await pool.run(fn, eventFor(fn, { name: 'a' }), 5000)).payload), { message: 'hello a' });
  const bundle = join(dir, '.gannet', 'build', 'handler.cjs');
  const before = readFileSync(bundle, 'utf8');

  // Nothing changed: a new instance (new revision) reuses the cached bundle.
  const fresh = { ...fn, revision: 'r2' };
  await pool.run(fresh, eventFor(fresh, { name: 'b' }), 5000);
  assert.equal(readFileSync(bundle, 'utf8'), before);

  // An imported file changed: the next instance runs the new code.
  const greeting = join(dir, 'greeting.ts');
  writeFileSync(greeting, readFileSync(greeting, 'utf8').replace('hello ${name}', 'hi ${name}'));
  utimesSync(greeting, new Date(), new Date(Date.now() + 5000));
  const changed = { ...fn, revision: 'r3' };
  const out = await pool.run(changed, eventFor(changed, { name: 'c' }), 5000);
  assert.deepEqual(json(out.payload), { message: 'hi c' });
});

test('a TypeScript syntax error fails the invocation as Runtime.UserCodeSyntaxError naming the file', async (t) => {
  const dir = service(t);
  const pool = testPool(t);
  const fn = resolvedFunction({ codeDir: dir, handler: 'broken.handler' });
  const out = await pool.run(fn, eventFor(fn), 5000);
  assert.equal(out.status, 'crash');
  assert.equal(out.errorType, 'Runtime.UserCodeSyntaxError');
  assert.match(json(out.payload).errorMessage, /broken\.ts:2:\d+/);
});

test('bundleTypeScript writes a CommonJS bundle with an inline source map', async (t) => {
  const out = tempDir(t);
  const bundle = await bundleTypeScript(join(TS, 'handler.ts'), out);
  assert.equal(bundle.outFile, join(out, 'handler.cjs'));
  assert.deepEqual(bundle.inputs.sort(), [join(TS, 'greeting.ts'), join(TS, 'handler.ts')]);
  assert.match(readFileSync(bundle.outFile, 'utf8'), /sourceMappingURL=data:application\/json;base64,/);
});
