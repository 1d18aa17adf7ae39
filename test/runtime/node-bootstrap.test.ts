// Gannet's Node bootstrap in real child processes: handler loading, signatures, context, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FunctionSpec } from '../../src/config/types.ts';
import type { InvocationEvent, Pool, ResolvedFunction } from '../../src/pool/types.ts';
import { eventFor, json, resolvedFunction, testPool } from '../pool/helpers.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const CJS = join(FIXTURES, 'cjs');
const ESM = join(FIXTURES, 'esm');

function fnIn(codeDir: string, handler: string, over: Partial<FunctionSpec> = {}): ResolvedFunction {
  // One function per handler and runtime: the pool reuses instances by function name and revision.
  const key = `${handler}-${over.runtime ?? 'nodejs20.x'}`.replace(/\W/g, '-');
  return resolvedFunction({ codeDir, handler, key, name: `svc-dev-${key}`, memorySize: 256, ...over });
}

async function invoke(pool: Pool, fn: ResolvedFunction, payload: unknown = {}, over: Partial<InvocationEvent> = {}) {
  return pool.run(fn, eventFor(fn, payload, over), 5000);
}

test('loads CommonJS, ES modules, .mjs and .cjs files, nested paths and dotted export paths', async (t) => {
  const pool = testPool(t);
  const cases: [string, string, unknown][] = [
    [CJS, 'index.handler', { kind: 'cjs', event: { n: 1 } }],
    [ESM, 'index.handler', { kind: 'esm', event: { n: 1 } }],
    [CJS, 'mod.handler', { kind: 'mjs' }],
    [CJS, 'legacy.handler', { kind: 'cjs-ext' }],
    [CJS, 'src/handlers/user.create', { kind: 'nested', name: 'ana' }],
    [CJS, 'index.nested.deeper.fn', { kind: 'dotted' }],
    [ESM, 'index.viaDefault', { kind: 'default-export' }],
    [ESM, 'top-level-await.handler', { ready: true }],
  ];
  await Promise.all(cases.map(async ([dir, handler, expected]) => {
    const out = await invoke(pool, fnIn(dir, handler), { n: 1, name: 'ana' });
    assert.equal(out.status, 'ok', `${handler}: ${out.payload}`);
    const body = json(out.payload);
    if (handler === 'index.handler') body.event = { n: body.event.n };
    assert.deepEqual(body, expected, handler);
  }));
});

test('init errors carry Lambda\'s error types and fail the invocation', async (t) => {
  const pool = testPool(t);
  const cases: [string, string, string, RegExp][] = [
    [CJS, 'nothing-here.handler', 'Runtime.ImportModuleError', /^Error: Cannot find module 'nothing-here'/],
    [CJS, 'missing-dep.handler', 'Runtime.ImportModuleError', /Cannot find module 'package-that-does-not-exist'/],
    [CJS, 'index.absent', 'Runtime.HandlerNotFound', /^index\.absent is undefined or not exported$/],
    [CJS, 'index.notFunction', 'Runtime.HandlerNotFound', /^index\.notFunction is not a function$/],
    [CJS, 'index', 'Runtime.MalformedHandlerName', /^Bad handler$/],
    [CJS, '../index.handler', 'Runtime.MalformedHandlerName', /is not a valid handler name/],
    [CJS, 'syntax-error.handler', 'Runtime.UserCodeSyntaxError', /^SyntaxError: Unexpected token/],
    [CJS, 'throws-at-import.handler', 'Error', /^cannot start$/],
  ];
  await Promise.all(cases.map(async ([dir, handler, errorType, message]) => {
    const out = await invoke(pool, fnIn(dir, handler));
    assert.equal(out.status, 'crash', handler);
    assert.equal(out.errorType, errorType, handler);
    const body = json(out.payload);
    assert.equal(body.errorType, errorType, handler);
    assert.match(body.errorMessage, message, handler);
    assert.ok(Array.isArray(body.trace), handler);
    assert.ok(out.initDurationMs !== undefined, handler);
    assert.ok(out.logs.some((l) => l.includes('\tundefined\tERROR\tUncaught Exception \t{"errorType":')), `${handler}: ${out.logs.join('\n')}`);
  }));
});

test('a callback handler works on nodejs20.x and is refused on nodejs24.x', async (t) => {
  const pool = testPool(t);
  const ok = await invoke(pool, fnIn(CJS, 'callback.handler', { runtime: 'nodejs20.x' }));
  assert.equal(ok.status, 'ok');
  assert.deepEqual(json(ok.payload), { kind: 'callback', waits: true });

  const refused = await invoke(pool, fnIn(CJS, 'callback.handler', { runtime: 'nodejs24.x' }));
  assert.equal(refused.status, 'crash');
  assert.equal(refused.errorType, 'Runtime.CallbackHandlerDeprecated');
  assert.match(json(refused.payload).errorMessage, /removed support for callback-based function handlers starting with Node\.js 24/);
});

test('callback handlers wait for the empty event loop unless told not to (nodejs22.x and older)', async (t) => {
  const pool = testPool(t);
  const waits = fnIn(CJS, 'callback.waits', { runtime: 'nodejs22.x' });
  const first = await invoke(pool, waits);
  assert.equal(json(first.payload), 'sent');
  assert.ok(first.logs.some((l) => l.endsWith('\tINFO\ttimer fired')), first.logs.join('\n'));

  const noWait = fnIn(CJS, 'callback.noWait', { runtime: 'nodejs22.x' });
  const early = await invoke(pool, noWait);
  assert.equal(json(early.payload), 'early');
  assert.ok(!early.logs.some((l) => l.includes('late timer fired')), 'the response left before the timer');
});

test('context.succeed, context.fail, context.done and callback errors on nodejs20.x', async (t) => {
  const pool = testPool(t);
  const succeed = await invoke(pool, fnIn(CJS, 'callback.succeed'));
  assert.deepEqual(json(succeed.payload), { kind: 'succeed' });
  const done = await invoke(pool, fnIn(CJS, 'callback.done'));
  assert.deepEqual(json(done.payload), { kind: 'done' });
  const fail = await invoke(pool, fnIn(CJS, 'callback.fail'));
  assert.equal(fail.status, 'error');
  assert.equal(json(fail.payload).errorMessage, 'failed via context');
  const cbErr = await invoke(pool, fnIn(CJS, 'callback.callbackError'));
  assert.equal(cbErr.status, 'error');
  assert.equal(cbErr.errorType, 'TypeError');
  const forgets = await invoke(pool, fnIn(CJS, 'callback.forgets'));
  assert.equal(forgets.status, 'ok');
  assert.equal(forgets.payload.toString(), 'null');
});

test('the context object has Lambda\'s fields and types', async (t) => {
  const pool = testPool(t);
  const fn = fnIn(CJS, 'context.handler', { runtime: 'nodejs20.x', memorySize: 512, name: 'svc-dev-ctx' });
  const clientContext = { client: { app_title: 'app' }, custom: { a: 1 }, env: { platform: 'ios' } };
  const identity = { cognitoIdentityId: 'us-east-1:abc', cognitoIdentityPoolId: 'us-east-1:pool' };
  const event = eventFor(fn, {}, {
    invokedFunctionArn: `${fn.arn}:live`,
    clientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64'),
    cognitoIdentity: JSON.stringify(identity),
    traceId: 'Root=1-65b9c0a0-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0',
  });
  const out = await pool.run(fn, event, 3000);
  const ctx = json(out.payload);
  assert.equal(ctx.functionName, 'svc-dev-ctx');
  assert.equal(ctx.functionVersion, '$LATEST');
  assert.equal(ctx.invokedFunctionArn, `${fn.arn}:live`);
  assert.equal(ctx.memoryLimitInMB, '512');
  assert.equal(ctx.awsRequestId, event.requestId);
  assert.equal(ctx.logGroupName, '/aws/lambda/svc-dev-ctx');
  assert.match(ctx.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  assert.deepEqual(ctx.identity, identity);
  assert.deepEqual(ctx.clientContext, clientContext);
  assert.ok(ctx.remaining > 0 && ctx.remaining <= 3000, String(ctx.remaining));
  assert.equal(ctx.hasSucceed, 'function');
  assert.equal(ctx.waits, true);
  assert.equal(ctx.traceEnv, 'Root=1-65b9c0a0-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0');
  for (const key of ['callbackWaitsForEmptyEventLoop', 'succeed', 'fail', 'done', 'getRemainingTimeInMillis']) {
    assert.ok(ctx.keys.includes(key), key);
  }

  const modern = await invoke(pool, fnIn(CJS, 'context.handler', { runtime: 'nodejs24.x' }));
  const m = json(modern.payload);
  assert.equal(m.hasSucceed, 'undefined');
  assert.equal(m.waits, undefined);
  assert.equal(m.identity, undefined);
  assert.equal(m.clientContext, undefined);
});

test('the environment is Lambda\'s, not the host\'s', async (t) => {
  process.env.NODE_EXTRA_CA_CERTS = '/host/only/ca.pem';
  t.after(() => { delete process.env.NODE_EXTRA_CA_CERTS; });
  const pool = testPool(t);
  const fn = fnIn(CJS, 'context.env', { runtime: 'nodejs20.x', memorySize: 256, name: 'svc-dev-env', environment: { TABLE: 'users', AWS_REGION: 'eu-west-9' } });
  fn.hostEnvironment = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ACCESS_KEY_ID: 'AKIDHOST' };
  const out = await invoke(pool, fn);
  const { env, cwd, execArgv, tz } = json(out.payload);
  assert.equal(env.NODE_EXTRA_CA_CERTS, undefined);
  assert.equal(env.TABLE, 'users');
  assert.equal(env.AWS_REGION, 'us-east-1', 'reserved variables cannot be overridden by the function');
  assert.equal(env.AWS_DEFAULT_REGION, 'us-east-1');
  assert.equal(env._HANDLER, 'context.env');
  assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs20.x');
  assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'svc-dev-env');
  assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
  assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
  assert.equal(env.AWS_LAMBDA_INITIALIZATION_TYPE, 'on-demand');
  assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, '/aws/lambda/svc-dev-env');
  assert.equal(env.LAMBDA_TASK_ROOT, CJS);
  assert.ok(env.LAMBDA_RUNTIME_DIR);
  assert.equal(env.TZ, ':UTC');
  assert.equal(env.LANG, 'en_US.UTF-8');
  assert.ok(env.NODE_PATH.split(':').includes(CJS));
  assert.equal(env.AWS_ENDPOINT_URL, 'http://127.0.0.1:4566');
  assert.equal(env.AWS_ACCESS_KEY_ID, 'AKIDHOST');
  assert.ok(env.AWS_SECRET_ACCESS_KEY && env.AWS_SESSION_TOKEN);
  assert.equal(cwd, CJS);
  assert.equal(tz, 0);
  assert.ok(execArgv.includes(`--max-old-space-size=${Math.floor(256 * 0.9)}`), execArgv.join(' '));
});

test('errors are reported as Lambda\'s Node runtime formats them', async (t) => {
  const pool = testPool(t);
  const thrown = await invoke(pool, fnIn(CJS, 'errors.throws'));
  assert.equal(thrown.status, 'error');
  assert.equal(thrown.errorType, 'ValidationError');
  const body = json(thrown.payload);
  assert.deepEqual(Object.keys(body), ['errorType', 'errorMessage', 'trace']);
  assert.equal(body.errorMessage, 'email is required');
  assert.equal(body.trace[0], 'ValidationError: email is required');
  assert.match(body.trace[1], /errors\.js:\d+/);
  const logged = thrown.logs.find((l) => l.includes('\tERROR\tInvoke Error \t'));
  assert.ok(logged, thrown.logs.join('\n'));
  const detail = JSON.parse(logged.split('Invoke Error \t')[1]!);
  assert.equal(detail.errorType, 'ValidationError');
  assert.equal(detail.field, 'email');
  assert.ok(Array.isArray(detail.stack));

  const str = await invoke(pool, fnIn(CJS, 'errors.throwsString'));
  assert.deepEqual(json(str.payload), { errorType: 'string', errorMessage: 'plain string', trace: [] });
  const sync = await invoke(pool, fnIn(CJS, 'errors.syncThrow'));
  assert.equal(sync.errorType, 'RangeError');
  const circular = await invoke(pool, fnIn(CJS, 'errors.circular'));
  assert.equal(json(circular.payload).errorMessage, 'Unable to stringify response body');
});

test('an unhandled rejection fails the invocation with Runtime.UnhandledPromiseRejection and ends the instance', async (t) => {
  const pool = testPool(t);
  const fn = fnIn(CJS, 'errors.rejectLater');
  const out = await invoke(pool, fn);
  assert.equal(out.status, 'crash');
  assert.equal(out.errorType, 'Runtime.UnhandledPromiseRejection');
  assert.equal(json(out.payload).errorMessage, 'Error: nobody catches me');
  assert.ok(out.logs.some((l) => l.includes('\tERROR\tUnhandled Promise Rejection \t')), out.logs.join('\n'));
  const again = await invoke(pool, fn);
  assert.ok(again.initDurationMs !== undefined, 'the next invocation gets a fresh instance');
});

test('console output is Lambda-formatted, one record per call, raw writes kept as lines', async (t) => {
  const pool = testPool(t);
  const fn = fnIn(CJS, 'logs.handler');
  const event = eventFor(fn);
  const out = await pool.run(fn, event, 3000);
  assert.equal(out.status, 'ok');
  const id = event.requestId;
  const records = out.logs.filter((l) => !l.startsWith('INIT_START'));
  const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
  const fields = records.map((r) => r.split('\t'));
  assert.match(fields[0]![0]!, stamp);
  assert.deepEqual(records[0]!.split('\t').slice(1), ['undefined', 'INFO', 'during init']);
  const body = records.slice(1).map((r) => r.split('\t').slice(1).join('\t'));
  assert.deepEqual(body.slice(0, 7), [
    `${id}\tINFO\thello world, you are 42`,
    `${id}\tINFO\tinfo { a: 1 }`,
    `${id}\tWARN\twarn line`,
    `${id}\tERROR\terror line`,
    `${id}\tDEBUG\tdebug line`,
    `${id}\tTRACE\ttrace line`,
    `${id}\tINFO\tfirst\nsecond`,
  ]);
  assert.deepEqual(records.slice(8), ['raw out', 'raw err']);
});

test('the AWS SDK v2 is pointed at AWS_ENDPOINT_URL before the handler loads', async (t) => {
  const pool = testPool(t);
  const fn = fnIn(join(FIXTURES, 'sdk-v2'), 'index.handler');
  fn.hostEnvironment = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };
  const out = await invoke(pool, fn);
  assert.deepEqual(json(out.payload), { endpoint: 'http://127.0.0.1:4566', s3ForcePathStyle: true });
});

test('the AWS SDK v2 is configured when an ES module imports it too', async (t) => {
  const pool = testPool(t);
  const fn = fnIn(join(FIXTURES, 'sdk-v2'), 'imported.handler');
  fn.hostEnvironment = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };
  const out = await invoke(pool, fn);
  assert.deepEqual(json(out.payload), { endpoint: 'http://127.0.0.1:4566', s3ForcePathStyle: true });
});

test('a handler that does not use the AWS SDK v2 does not pay for loading it', async (t) => {
  const pool = testPool(t);
  const fn = fnIn(join(FIXTURES, 'sdk-v2'), 'unused.handler');
  fn.hostEnvironment = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };
  const out = await invoke(pool, fn);
  assert.deepEqual(json(out.payload), { loaded: false });
});

test('a streaming handler (awslambda.streamifyResponse) answers with what it wrote', async (t) => {
  const pool = testPool(t);
  const out = await invoke(pool, fnIn(CJS, 'streaming.handler', { runtime: 'nodejs24.x' }));
  assert.equal(out.status, 'ok', out.payload.toString());
  const text = out.payload.toString('latin1');
  const [prelude, body] = text.split('\0'.repeat(8));
  assert.deepEqual(JSON.parse(prelude!), { statusCode: 201, headers: { 'x-kind': 'stream' } });
  assert.equal(body, 'part one, part two');
});

test('AWS_LAMBDA_LOG_FORMAT=JSON writes structured records at the configured level', async (t) => {
  const pool = testPool(t);
  const fn = fnIn(CJS, 'json-logs.handler', { environment: { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'INFO' } });
  const event = eventFor(fn);
  const out = await pool.run(fn, event, 3000);
  const records = out.logs.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  assert.equal(records.length, 2);
  assert.equal(records[0].level, 'INFO');
  assert.equal(records[0].requestId, event.requestId);
  assert.equal(records[0].message, 'structured { a: 1 }');
  assert.equal(records[1].level, 'ERROR');
  assert.equal(records[1].errorType, 'TypeError');
  assert.equal(records[1].errorMessage, 'bad');
});
