// `gannet dev` as a user runs it: the route table and ready line, REST routes under the stage
// prefix (or not, with --no-stage-prefix), handler crashes answered with API Gateway's errors while
// the gateway keeps serving, and Ctrl-C stopping gannet and every instance process it started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { startGannetDev, type GannetDev } from '../helpers/gannet-process.ts';
import { runGannet, SYSTEM_NODE, tempService, yaml } from '../helpers/cli.ts';
import { descendants, stillRunning } from '../helpers/processes.ts';

const hello = fileURLToPath(new URL('../../examples/hello', import.meta.url));

function dataDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-dev-data-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function get(dev: GannetDev, path: string, init?: RequestInit): Promise<{ status: number; body: string }> {
  const r = await fetch(dev.url + path, init);
  return { status: r.status, body: await r.text() };
}

test('gannet dev prints the route table and a ready line; REST routes live under the stage', async (t) => {
  const [dev, prod, bare] = await Promise.all([
    startGannetDev(t, hello, ['--data-dir', dataDir(t)]),
    startGannetDev(t, hello, ['-s', 'prod', '--data-dir', dataDir(t)]),
    startGannetDev(t, hello, ['--no-stage-prefix', '--data-dir', dataDir(t)]),
  ]);
  assert.match(dev.stderr(), /^hello \(stage dev, region us-east-1\)$/m);
  assert.ok(dev.stderr().includes(`  GET     ${dev.url}/hello → hello\n`), dev.stderr());
  assert.ok(dev.stderr().includes(`  GET     ${dev.url}/dev/hello/{name} → hello\n`), dev.stderr());
  assert.match(dev.stderr(), /^AWS endpoint: http:\/\/127\.0\.0\.1:\d+ /m);
  assert.match(dev.stderr(), /^ready: gateway http:\/\/127\.0\.0\.1:\d+$/m);
  assert.ok(prod.stderr().includes(`${prod.url}/prod/hello/{name} → hello`), prod.stderr());
  assert.ok(bare.stderr().includes(`  GET     ${bare.url}/hello/{name} → hello\n`), bare.stderr());

  const answers = await Promise.all([
    get(dev, '/dev/hello/Bob'), get(dev, '/hello/Bob'), get(dev, '/hello?name=Ann'),
    get(prod, '/prod/hello/Bob'), get(prod, '/dev/hello/Bob'),
    get(bare, '/hello/Bob'), get(bare, '/dev/hello/Bob'),
  ]);
  // One port serves both APIs: a path outside the REST stage is the HTTP API's (404 there), one
  // under it is the REST API's (403 for no route).
  const httpApiNotFound = { status: 404, body: '{"message":"Not Found"}' };
  const restNoRoute = { status: 403, body: '{"message":"Missing Authentication Token"}' };
  assert.deepEqual(answers, [
    { status: 200, body: '{"message":"Hello, Bob!"}' },
    httpApiNotFound,
    { status: 200, body: '{"message":"Hello, Ann!"}' }, // httpApi routes have no stage prefix
    { status: 200, body: '{"message":"Hello, Bob!"}' },
    httpApiNotFound,
    { status: 200, body: '{"message":"Hello, Bob!"}' },
    restNoRoute,
  ]);
  // Function logs go to stdout in Lambda's format.
  await dev.waitFor(/^REPORT RequestId: \S+\tDuration: /m);
  assert.match(dev.stdout(), /\tINFO\tgreeting Bob$/m);
});

test('a handler that exits or throws outside the handler gets 502 (REST) / 500 (HTTP API); the gateway keeps serving', async (t) => {
  const dir = tempService(t, {
    'serverless.yml': yaml(
      'service: crashy',
      'provider:',
      '  name: aws',
      '  runtime: nodejs20.x',
      'functions:',
      '  crash:',
      '    handler: handler.crash',
      '    events:',
      '      - http: GET crash/{how}',
      '      - httpApi: GET /crash/{how}',
      '  ok:',
      '    handler: handler.ok',
      '    events:',
      '      - http: GET ok',
    ),
    'handler.js': [
      'exports.crash = async (event) => {',
      '  const how = event.pathParameters.how;',
      "  if (how === 'exit') process.exit(3);",
      "  if (how === 'throw') setTimeout(() => { throw new Error('thrown outside the handler'); }, 0);",
      "  if (how === 'reject') Promise.reject(new Error('nobody catches this'));",
      '  await new Promise((r) => setTimeout(r, 200));',
      "  return { statusCode: 200, body: 'survived' };",
      '};',
      "exports.ok = async () => ({ statusCode: 200, body: 'fine' });",
      '',
    ].join('\n'),
  });
  const dev = await startGannetDev(t, dir, ['--data-dir', dataDir(t)]);
  const restError = { status: 502, body: '{"message": "Internal server error"}' };
  for (const how of ['exit', 'throw', 'reject', 'exit']) {
    assert.deepEqual(await get(dev, `/dev/crash/${how}`), restError, how);
    assert.deepEqual(await get(dev, '/dev/ok'), { status: 200, body: 'fine' }, `still serving after ${how}`);
  }
  assert.deepEqual(await get(dev, '/crash/exit'), { status: 500, body: '{"message":"Internal Server Error"}' });
  assert.deepEqual(await get(dev, '/dev/crash/none'), { status: 200, body: 'survived' }, 'a fresh instance after the crashes');
  await dev.waitFor('Runtime.ExitError');
  assert.match(dev.stdout(), /Error: Runtime exited with error: exit status 3/);
});

test('a port already in use is named in one line, exit 1, no stack trace', async (t) => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.after(() => taken.close());
  const port = String((taken.address() as AddressInfo).port);
  const [gateway, aws] = await Promise.all([
    runGannet(['dev', hello, '--port', port, '--aws-port', '0', '--data-dir', dataDir(t)]),
    runGannet(['dev', hello, '--port', '0', '--aws-port', port, '--data-dir', dataDir(t)]),
  ]);
  for (const [r, flag] of [[gateway, '--port'], [aws, '--aws-port']] as const) {
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, `gannet: 127.0.0.1:${port} is already in use (${flag} ${port}). Stop what listens there, or choose another port with ${flag} N (0 picks a free one)\n`);
  }
});

/** A service with an instance of each runtime kind, one of them busy in an endless loop. */
function everyRuntime(t: TestContext): string {
  return tempService(t, {
    'serverless.yml': yaml(
      'service: lifecycle',
      'provider:',
      '  name: aws',
      '  runtime: nodejs20.x',
      'functions:',
      '  node:',
      '    handler: handler.node',
      '    events: [{ httpApi: GET /node }]',
      '  spin:',
      '    handler: handler.spin',
      '    timeout: 300',
      '    events: [{ httpApi: GET /spin }]',
      '  python:',
      '    handler: app.python',
      '    runtime: python3.11',
      '    events: [{ httpApi: GET /python }]',
      '  shell:',
      '    handler: function.handler',
      '    runtime: provided.al2023',
      '    events: [{ httpApi: GET /shell }]',
    ),
    'handler.js': "exports.node = async () => 'node';\nexports.spin = async () => { for (;;) {} };\n",
    'app.py': 'def python(event, context):\n    return "python"\n',
    'function.sh': 'handler () {\n  echo \'"shell"\'\n}\n',
    'bootstrap': [
      '#!/bin/bash',
      'set -euo pipefail',
      'source "$LAMBDA_TASK_ROOT/function.sh"',
      'API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation"',
      'while true; do',
      '  HEADERS="$(mktemp)"',
      '  EVENT=$(curl -sS -LD "$HEADERS" "$API/next")',
      '  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d \'[:space:]\' | cut -d: -f2)',
      '  rm -f "$HEADERS"',
      '  curl -sS -X POST "$API/$ID/response" -d "$(handler "$EVENT")" > /dev/null',
      'done',
      '',
    ].join('\n'),
  });
}

for (const how of ['Ctrl-C at a terminal (SIGINT to the process group)', 'SIGINT to the gannet process alone', 'SIGTERM to the gannet process alone'] as const) {
  test(`${how} stops gannet dev and every instance it started`, async (t) => {
    const dir = everyRuntime(t);
    const dev = await startGannetDev(t, dir, ['--data-dir', dataDir(t)], {}, { systemNode: true });
    for (const path of ['/node', '/python', '/shell']) {
      const r = await get(dev, path);
      assert.equal(r.status, 200, `${path}: ${r.body}\n${dev.stderr()}`);
    }
    const spinning = new AbortController();
    const spin = fetch(dev.url + '/spin', { signal: spinning.signal }).catch(() => undefined);
    // The spin invocation's instance (its START line is printed only when it ends).
    let started = descendants(dev.child.pid!);
    const instances = () => started.filter((p) => /bootstrap/.test(p.cmd));
    for (let i = 0; i < 100 && instances().length < 4; i++) {
      await new Promise((r) => setTimeout(r, 100));
      started = descendants(dev.child.pid!);
    }
    assert.ok(instances().length >= 4, `node, spin, python and shell instances run:\n${started.map((p) => p.cmd).join('\n')}`);
    if (SYSTEM_NODE) assert.ok(started.some((p) => p.ppid === dev.child.pid && p.cmd.includes('bin/gannet.js')), 'the pinned Node runs gannet');

    const pid = dev.child.pid!;
    const exited = new Promise<number | null>((resolve) => dev.child.once('exit', (code) => resolve(code)));
    if (how.startsWith('Ctrl-C')) process.kill(-pid, 'SIGINT');
    else process.kill(pid, how.startsWith('SIGTERM') ? 'SIGTERM' : 'SIGINT');
    const code = await exited;
    spinning.abort();
    await spin;
    assert.equal(code, 0, dev.stderr());
    assert.match(dev.stderr(), /stopping…/);
    // Instances go within moments of the exit: poll briefly instead of assuming a timing.
    let left = stillRunning(started);
    for (let i = 0; i < 50 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = stillRunning(started);
    }
    assert.deepEqual(left.map((p) => p.cmd), [], 'no process gannet dev started is left');
  });
}
