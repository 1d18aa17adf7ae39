// Services in the shape of the Serverless Framework's public examples (fixtures/http-services,
// see its README), unmodified, run as a user would: `gannet invoke` prints what Lambda returns, and
// under `gannet dev` their routes answer as API Gateway does, error responses included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { runGannet } from '../helpers/cli.ts';
import { startGannetDev, type GannetDev } from '../helpers/gannet-process.ts';

const service = (name: string) => fileURLToPath(new URL(`fixtures/http-services/${name}`, import.meta.url));

function dataDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-http-services-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

type Answer = { status: number; headers: Headers; body: string };
async function request(dev: GannetDev, path: string, init?: RequestInit): Promise<Answer> {
  const r = await fetch(dev.url + path, init);
  return { status: r.status, headers: r.headers, body: await r.text() };
}

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

test('gannet invoke runs each service\'s functions and prints what Lambda returns', async (t) => {
  const data = dataDir(t);
  const invoke = (name: string, fn: string, event = '{}') =>
    runGannet(['invoke', service(name), '-f', fn, '-d', event, '--data-dir', join(data, `${name}-${fn}`)]);
  const [nodeTime, pyTime, signUp, forgot, page, ts, rest] = await Promise.all([
    invoke('node-http-time', 'currentTime'),
    invoke('python-http-time', 'currentTime'),
    invoke('node-env-variables', 'signUp'),
    invoke('node-env-variables', 'forgotPassword'),
    invoke('node-html-page', 'welcomePage', '{"queryStringParameters":{"name":"Ada"}}'),
    invoke('ts-http-api', 'hello', '{"rawPath":"/"}'),
    invoke('python-rest-api', 'hello'),
  ]);
  for (const r of [nodeTime, pyTime, signUp, forgot, page, ts, rest]) assert.equal(r.code, 0, r.stderr);

  for (const r of [nodeTime, pyTime]) {
    const result = json(r.stdout);
    assert.equal(result.statusCode, 200);
    assert.match(String(json(String(result.body)).message), /^The time here is \d\d:\d\d:\d\d/);
  }
  assert.deepEqual(json(signUp.stdout), { statusCode: 200, body: '{"message":"Signed up","rounds":"4096"}' });
  assert.match(signUp.stderr, /\tINFO\tHASH_ROUNDS:  4096$/m, 'a number in environment arrives as a string');
  assert.match(signUp.stderr, /\tINFO\tMAIL_API_KEY:  MAILKEY42$/m, 'provider environment merged under the function\'s');
  assert.deepEqual(json(forgot.stdout), { statusCode: 200, body: '{"message":"Reset mail sent.","rounds":null}' }, 'one function\'s environment is its own');
  assert.deepEqual(json(page.stdout), {
    statusCode: 200, headers: { 'Content-Type': 'text/html' },
    body: '<html><body><h1>Welcome Page</h1><p>Welcome, Ada!</p></body></html>',
  });
  assert.deepEqual(json(String(json(ts.stdout).body)), { message: 'Typed and running!', input: { rawPath: '/' } });
  assert.deepEqual(json(String(json(rest.stdout).body)), { message: 'Python behind a REST API', input: {} });
});

test('the HTTP API services answer under gannet dev as API Gateway does', async (t) => {
  const [nodeTime, pyTime, ts] = await Promise.all([
    startGannetDev(t, service('node-http-time'), ['--data-dir', dataDir(t)]),
    startGannetDev(t, service('python-http-time'), ['--data-dir', dataDir(t)]),
    startGannetDev(t, service('ts-http-api'), ['--data-dir', dataDir(t)]),
  ]);
  for (const dev of [nodeTime, pyTime]) {
    assert.ok(dev.stderr().includes(`  GET     ${dev.url}/time → currentTime\n`), dev.stderr());
    const r = await request(dev, '/time');
    assert.equal(r.status, 200, r.body);
    assert.match(String(json(r.body).message), /^The time here is /);
    assert.ok(r.headers.get('apigw-requestid'), 'HTTP API request id header');
    // Not a route: HTTP API's own 404; a route with another method: 404 too.
    const missing = await request(dev, '/nowhere');
    assert.deepEqual([missing.status, missing.body], [404, '{"message":"Not Found"}']);
    const wrongMethod = await request(dev, '/time', { method: 'POST', body: '{}' });
    assert.deepEqual([wrongMethod.status, wrongMethod.body], [404, '{"message":"Not Found"}']);
  }

  const root = await request(ts, '/?q=1&q=2');
  assert.equal(root.status, 200, root.body);
  const input = json(root.body).input as Record<string, unknown>;
  assert.equal(input.version, '2.0');
  assert.equal(input.routeKey, 'GET /');
  assert.equal(input.rawPath, '/');
  assert.equal(input.rawQueryString, 'q=1&q=2');
  assert.deepEqual(input.queryStringParameters, { q: '1,2' });
  assert.match(root.body, /^\{\n {2}"message": "Typed and running!",/, 'the body exactly as the handler formatted it');
});

test('the REST API services answer under gannet dev as API Gateway does, errors included', async (t) => {
  const [page, hook, rest] = await Promise.all([
    startGannetDev(t, service('node-html-page'), ['--data-dir', dataDir(t)]),
    startGannetDev(t, service('node-webhook'), ['--data-dir', dataDir(t)]),
    startGannetDev(t, service('python-rest-api'), ['--data-dir', dataDir(t)]),
  ]);
  const noRoute = { status: 403, body: '{"message":"Missing Authentication Token"}' };

  // An HTML page, with and without its query parameter.
  assert.ok(page.stderr().includes(`  GET     ${page.url}/dev/welcome-page → welcomePage\n`), page.stderr());
  const named = await request(page, '/dev/welcome-page?name=Grace');
  assert.deepEqual([named.status, named.headers.get('content-type'), named.body],
    [200, 'text/html', '<html><body><h1>Welcome Page</h1><p>Welcome, Grace!</p></body></html>']);
  assert.match((await request(page, '/dev/welcome-page')).body, /Welcome, stranger!/);
  const wrongMethod = await request(page, '/dev/welcome-page', { method: 'DELETE' });
  assert.deepEqual({ status: wrongMethod.status, body: wrongMethod.body }, noRoute);
  assert.equal(wrongMethod.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');

  // A signed webhook: the handler's own 401/422 answers pass through with their content type.
  const payload = '{"action":"opened","number":7}';
  const signature = `sha1=${createHmac('sha1', 'not-a-real-secret').update(payload).digest('hex')}`;
  const post = (headers: Record<string, string>) => request(hook, '/dev/webhook', { method: 'POST', headers, body: payload });
  const unsigned = await post({ 'Content-Type': 'application/json' });
  assert.deepEqual([unsigned.status, unsigned.headers.get('content-type'), unsigned.body], [401, 'text/plain', 'No X-Hub-Signature found on request']);
  const noEvent = await post({ 'X-Hub-Signature': signature });
  assert.deepEqual([noEvent.status, noEvent.body], [422, 'No X-Github-Event found on request']);
  const forged = await post({ 'X-Hub-Signature': 'sha1=0000', 'X-GitHub-Event': 'issues', 'X-GitHub-Delivery': 'd-1' });
  assert.deepEqual([forged.status, forged.body], [401, 'X-Hub-Signature incorrect']);
  const good = await post({ 'X-Hub-Signature': signature, 'X-GitHub-Event': 'issues', 'X-GitHub-Delivery': 'd-1', 'Content-Type': 'application/json' });
  assert.equal(good.status, 200, good.body);
  assert.equal(good.headers.get('content-type'), 'application/json', 'API Gateway\'s default content type');
  const event = json(good.body).input as Record<string, any>;
  assert.equal(event.httpMethod, 'POST');
  assert.equal(event.resource, '/webhook');
  assert.equal(event.path, '/webhook');
  assert.equal(event.body, payload);
  assert.equal(event.isBase64Encoded, false);
  assert.equal(event.headers['X-GitHub-Event'], 'issues');
  assert.deepEqual(event.multiValueHeaders['X-GitHub-Delivery'], ['d-1']);
  assert.equal(event.requestContext.stage, 'dev');
  assert.equal(event.requestContext.path, '/dev/webhook');
  assert.equal(event.requestContext.resourcePath, '/webhook');
  await hook.waitFor('event "issues" with action "opened"');
  // cors: true answers the browser's preflight without calling the function.
  const preflight = await request(hook, '/dev/webhook', {
    method: 'OPTIONS', headers: { Origin: 'https://example.com', 'Access-Control-Request-Method': 'POST' },
  });
  assert.equal(preflight.status, 200);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
  const get = await request(hook, '/dev/webhook');
  assert.deepEqual({ status: get.status, body: get.body }, noRoute, 'GET is not a route');

  // A Python function on the API's root resource.
  assert.ok(rest.stderr().includes(`  GET     ${rest.url}/dev/ → hello\n`), rest.stderr());
  const home = await request(rest, '/dev/');
  assert.equal(home.status, 200, home.body);
  const homeEvent = json(home.body).input as Record<string, any>;
  assert.deepEqual([homeEvent.resource, homeEvent.path, homeEvent.requestContext.resourcePath], ['/', '/', '/']);
  const elsewhere = await request(rest, '/dev/other');
  assert.deepEqual({ status: elsewhere.status, body: elsewhere.body }, noRoute);
});
