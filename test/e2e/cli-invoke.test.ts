// `gannet invoke` as a user runs it (real processes, the system's older Node first on PATH): each
// example's result on stdout and Lambda's log lines on stderr; a function error; the event from a
// file; -e, -s, -c and --param reaching the function; a handler that never returns timing out at
// its configured timeout; Ctrl-C stopping the function's instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gannetCommand, runGannet, tempService, yaml, type GannetResult } from '../helpers/cli.ts';
import { descendants, stillRunning, type ProcessId } from '../helpers/processes.ts';

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

/** START, END and REPORT framing one invocation on stderr, with the same request id. */
function assertFramed(r: GannetResult): string {
  const start = /^START RequestId: ([0-9a-f-]{36}) Version: \$LATEST$/m.exec(r.stderr);
  assert.ok(start, `a START line in:\n${r.stderr}`);
  const id = start[1]!;
  assert.match(r.stderr, new RegExp(`^END RequestId: ${id}$`, 'm'));
  assert.match(r.stderr, new RegExp(`^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: \\d+ MB\\tMax Memory Used: \\d+ MB`, 'm'));
  return id;
}

test('gannet invoke runs each example: result JSON on stdout, Lambda logs on stderr, exit 0', async () => {
  const [ts, python, custom] = await Promise.all([
    runGannet(['invoke', example('hello'), '-f', 'hello', '-d', '{"name":"Ada"}']),
    runGannet(['invoke', example('hello-python'), '-f', 'hello', '-d', '{"name":"Ada"}']),
    runGannet(['invoke', example('custom-runtime'), '-f', 'echo', '-d', '{"a":1}']),
  ]);
  for (const r of [ts, python, custom]) assert.equal(r.code, 0, r.stderr);

  assert.deepEqual(JSON.parse(ts.stdout), {
    statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"message":"Hello, Ada!"}',
  });
  const tsId = assertFramed(ts);
  assert.match(ts.stderr, new RegExp(`^\\S+Z\\t${tsId}\\tINFO\\tgreeting Ada$`, 'm'), 'console.log as Lambda formats it');
  assert.match(ts.stderr, /^INIT_START Runtime Version: /m);

  const pyId = assertFramed(python);
  const pyResult = JSON.parse(python.stdout) as { statusCode: number; body: string };
  assert.equal(pyResult.statusCode, 200);
  assert.deepEqual(JSON.parse(pyResult.body), { message: 'Hello, Ada!', requestId: pyId });
  assert.match(python.stderr, new RegExp(`^\\[INFO\\]\\t\\S+Z\\t${pyId}\\tgreeting Ada$`, 'm'), 'logging as Lambda formats it');

  assertFramed(custom);
  assert.deepEqual(JSON.parse(custom.stdout), { echo: { a: 1 }, runtime: 'bash' });
  assert.match(custom.stderr, /^received: \{"a":1\}$/m);
});

test('a function error prints Lambda\'s error JSON on stdout and exits 1', async () => {
  const r = await runGannet(['invoke', example('hello-python'), '-f', 'fail']);
  assert.equal(r.code, 1, r.stderr);
  const error = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(error.errorType, 'ValueError');
  assert.equal(error.errorMessage, 'this function always fails');
  assert.ok(Array.isArray(error.stackTrace) && String(error.stackTrace[0]).includes('handler.py'), r.stdout);
  assertFramed(r);
  // Logged as Lambda's Python runtime logs it: the error, then its traceback.
  assert.match(r.stderr, /^\[ERROR\] ValueError: this function always fails\nTraceback \(most recent call last\):\n {2}File ".*handler\.py", line 21, in fail\n {4}raise ValueError/m);
});

test('-p, -e, -s, -c and --param reach the function', async (t) => {
  // No serverless.yml: the config is only found through -c.
  const dir = tempService(t, {
    'api.yml': yaml(
      'service: options',
      'provider:',
      '  name: aws',
      '  runtime: nodejs20.x',
      '  stage: ${opt:stage, "dev"}',
      '  environment:',
      '    COLOR: ${param:color}',
      '    STAGE_NAME: ${sls:stage}',
      '    REGION_NAME: ${opt:region, self:provider.region, "us-east-1"}',
      'functions:',
      '  show:',
      '    handler: handler.show',
    ),
    'handler.js': [
      'exports.show = async (event) => ({',
      '  event,',
      '  color: process.env.COLOR,',
      '  stage: process.env.STAGE_NAME,',
      '  region: process.env.AWS_REGION,',
      '  extra: process.env.EXTRA ?? null,',
      '  name: process.env.AWS_LAMBDA_FUNCTION_NAME,',
      '});',
      '',
    ].join('\n'),
    'events/order.json': '{"order": 42, "items": ["tea"]}\n',
  });
  const config = join(dir, 'api.yml');
  const [fromFile, withOptions, missingParam, notJson] = await Promise.all([
    runGannet(['invoke', dir, '-c', config, '-f', 'show', '-p', join(dir, 'events', 'order.json'), '--param', 'color=teal']),
    runGannet(['invoke', dir, '-c', config, '-f', 'show', '-d', '{"x":1}', '-s', 'prod', '-r', 'eu-west-1',
      '--param', 'color=red', '-e', 'EXTRA=from the command line', '-e', 'COLOR=overridden']),
    runGannet(['invoke', dir, '-c', config, '-f', 'show']),
    runGannet(['invoke', dir, '-c', config, '-f', 'show', '-d', '{oops', '--param', 'color=teal']),
  ]);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.deepEqual(JSON.parse(fromFile.stdout), {
    event: { order: 42, items: ['tea'] }, color: 'teal', stage: 'dev', region: 'us-east-1', extra: null, name: 'options-dev-show',
  });
  assert.equal(withOptions.code, 0, withOptions.stderr);
  assert.deepEqual(JSON.parse(withOptions.stdout), {
    event: { x: 1 }, color: 'overridden', stage: 'prod', region: 'eu-west-1', extra: 'from the command line', name: 'options-prod-show',
  });
  assert.equal(missingParam.code, 1);
  assert.match(missingParam.stderr, /api\.yml:7:\d+: .*param:color/, 'names the file, line and variable');
  assert.match(missingParam.stderr, /--param/, 'says how to provide it');
  assert.equal(notJson.code, 2);
  assert.match(notJson.stderr, /^gannet: the event \(-d\) is not valid JSON/);
});

test('a handler that loops forever times out at its configured timeout with Lambda\'s message', async (t) => {
  const dir = tempService(t, {
    'serverless.yml': yaml(
      'service: spin',
      'provider:',
      '  name: aws',
      '  runtime: nodejs20.x',
      '  timeout: 30',
      'functions:',
      '  spin:',
      '    handler: handler.spin',
      '    timeout: 2',
      '  pyspin:',
      '    handler: app.spin',
      '    runtime: python3.11',
      '    timeout: 2',
    ),
    'handler.js': 'exports.spin = async () => { for (;;) {} };\n',
    'app.py': 'def spin(event, context):\n    while True:\n        pass\n',
  });
  const [node, python] = await Promise.all([runGannet(['invoke', dir, '-f', 'spin']), runGannet(['invoke', dir, '-f', 'pyspin'])]);
  for (const r of [node, python]) {
    assert.equal(r.code, 1, r.stderr);
    const id = assertFramed(r);
    assert.deepEqual(JSON.parse(r.stdout), {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${id} Error: Task timed out after 2.00 seconds`,
    });
    assert.match(r.stderr, new RegExp(`^\\S+Z ${id} Task timed out after 2\\.00 seconds$`, 'm'));
    assert.match(r.stderr, /\tStatus: timeout/);
  }
});

test('Ctrl-C during gannet invoke stops the function\'s instance too', async (t) => {
  const dir = tempService(t, {
    'serverless.yml': yaml('service: stuck', 'provider:', '  name: aws', '  runtime: nodejs20.x', 'functions:',
      '  spin:', '    handler: handler.spin', '    timeout: 300'),
    'handler.js': 'exports.spin = async () => { console.log("spinning"); for (;;) {} };\n',
  });
  const c = gannetCommand(['invoke', dir, '-f', 'spin']);
  const child = spawn(c.cmd, c.argv, { env: c.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } });

  let started: ProcessId[] = [];
  for (let i = 0; i < 100; i++) {
    started = descendants(child.pid!);
    if (started.some((p) => p.cmd.includes('bootstrap'))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(started.some((p) => p.cmd.includes('bootstrap')), `the instance runs:\n${started.map((p) => p.cmd).join('\n')}`);
  await new Promise((r) => setTimeout(r, 300)); // let the handler start spinning
  process.kill(-child.pid!, 'SIGINT'); // as a terminal's Ctrl-C does
  assert.equal(await exited, 130, stderr);
  let left = stillRunning(started);
  for (let i = 0; i < 50 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = stillRunning(started);
  }
  assert.deepEqual(left.map((p) => p.cmd), [], 'the spinning instance is gone');
});
