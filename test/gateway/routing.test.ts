// Routing through real HTTP: stage prefix, parameters, greedy paths, ANY, precedence, unknown
// routes, the route list the CLI prints, and atomic updates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fn, http, httpApi, inProcessInvoker, service, startGateway , json } from './helpers.ts';

const echo = (name: string) => (e: any) => ({ statusCode: 200, body: JSON.stringify({ name, resource: e.resource ?? e.routeKey, params: e.pathParameters ?? null }) });

function restService() {
  return service([
    fn('team', [http('GET', 'team')]),
    fn('me', [http('GET', 'users/me')]),
    fn('user', [http('GET', 'users/{id}'), http('DELETE', 'users/{id}')]),
    fn('posts', [http('GET', 'users/{id}/posts/{postId}')]),
    fn('any', [http('ANY', 'things')]),
    fn('getThings', [http('GET', 'things')]),
    fn('proxy', [http('ANY', '{proxy+}')]),
    fn('root', [http('GET', '/')]),
  ]);
}

function invokerFor(keys: string[]) {
  return inProcessInvoker(Object.fromEntries(keys.map((k) => [`svc-dev-${k}`, echo(k)])));
}

test('REST routes live under the stage and follow API Gateway precedence', async (t) => {
  const g = await startGateway(t, restService(), invokerFor(['team', 'me', 'user', 'posts', 'any', 'getThings', 'proxy', 'root']));
  const get = async (path: string, method = 'GET') => {
    const r = await fetch(g.url + path, { method });
    return { status: r.status, body: r.status === 200 ? await json(r) : await r.text() };
  };
  assert.deepEqual((await get('/dev/team')).body, { name: 'team', resource: '/team', params: null });
  assert.deepEqual((await get('/dev/users/me')).body, { name: 'me', resource: '/users/me', params: null }, 'static beats {id}');
  assert.deepEqual((await get('/dev/users/42')).body, { name: 'user', resource: '/users/{id}', params: { id: '42' } });
  assert.deepEqual((await get('/dev/users/42', 'DELETE')).body.name, 'user');
  assert.deepEqual((await get('/dev/users/7/posts/9')).body, { name: 'posts', resource: '/users/{id}/posts/{postId}', params: { id: '7', postId: '9' } });
  assert.equal((await get('/dev/things')).body.name, 'getThings', 'an explicit method beats ANY');
  assert.equal((await get('/dev/things', 'POST')).body.name, 'any');
  assert.deepEqual((await get('/dev/a/b/c')).body, { name: 'proxy', resource: '/{proxy+}', params: { proxy: 'a/b/c' } }, 'greedy takes the rest');
  assert.equal((await get('/dev/users/me/extra')).body.name, 'proxy', 'falls back to the greedy route');
  assert.equal((await get('/dev')).body.name, 'root', '{proxy+} does not match the root; GET / does');
  assert.equal((await get('/dev/')).body.name, 'root');
  assert.equal((await get('/dev/team/')).body.name, 'team', 'trailing slash');
});

test('unknown REST routes, wrong stages and wrong methods answer 403 Missing Authentication Token', async (t) => {
  const spec = service([fn('team', [http('GET', 'team')])]);
  const g = await startGateway(t, spec, invokerFor(['team']));
  for (const [method, path] of [['GET', '/dev/nope'], ['GET', '/prod/team'], ['POST', '/dev/team'], ['GET', '/team']]) {
    const r = await fetch(g.url + path, { method });
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.equal(await r.text(), '{"message":"Missing Authentication Token"}');
    assert.equal(r.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.match(r.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  }
});

test('stagePrefix false serves REST routes at the root', async (t) => {
  const g = await startGateway(t, service([fn('team', [http('GET', 'team')])]), invokerFor(['team']), { stagePrefix: false });
  assert.equal((await fetch(g.url + '/team')).status, 200);
  assert.equal((await fetch(g.url + '/dev/team')).status, 403);
  const list = g.gateway.routes();
  assert.deepEqual(list, [{ method: 'GET', path: '/team', functionKey: 'team', kind: 'rest' }]);
});

test('HTTP API route keys: METHOD /path, ANY, {param}, {proxy+}, $default; unknown routes 404', async (t) => {
  const spec = service([
    fn('list', [httpApi('GET', '/orders')]),
    fn('one', [httpApi('GET', '/orders/{id}')]),
    fn('anyOrder', [httpApi('ANY', '/orders/{id}')]),
    fn('files', [httpApi('GET', '/files/{path+}')]),
  ]);
  const g = await startGateway(t, spec, invokerFor(['list', 'one', 'anyOrder', 'files']));
  const call = async (path: string, method = 'GET') => {
    const r = await fetch(g.url + path, { method });
    return { status: r.status, text: await r.text(), headers: r.headers };
  };
  assert.deepEqual(JSON.parse((await call('/orders')).text), { name: 'list', resource: 'GET /orders', params: null });
  assert.deepEqual(JSON.parse((await call('/orders/5')).text), { name: 'one', resource: 'GET /orders/{id}', params: { id: '5' } });
  assert.deepEqual(JSON.parse((await call('/orders/5', 'PUT')).text).resource, 'ANY /orders/{id}');
  assert.deepEqual(JSON.parse((await call('/files/a/b%20c.txt')).text).params, { path: 'a/b c.txt' }, 'HTTP API decodes parameters');
  const missing = await call('/nothing');
  assert.equal(missing.status, 404);
  assert.equal(missing.text, '{"message":"Not Found"}');
  assert.ok(missing.headers.get('apigw-requestid'));
  assert.ok(missing.headers.get('x-amzn-requestid'));

  const withDefault = await startGateway(t, service([fn('list', [httpApi('GET', '/orders')]), fn('fallback', [httpApi('ANY', '$default')])]),
    invokerFor(['list', 'fallback']));
  const r = await fetch(withDefault.url + '/anything/at/all', { method: 'PATCH' });
  assert.deepEqual(await json(r), { name: 'fallback', resource: '$default', params: null });
  assert.deepEqual(withDefault.gateway.routes().map((x) => `${x.method} ${x.path} ${x.functionKey} ${x.kind}`),
    ['GET /orders list httpApi', 'ANY /* fallback httpApi']);
});

test('REST path parameters keep their percent-encoding; static segments match decoded', async (t) => {
  const g = await startGateway(t, service([fn('user', [http('GET', 'users/{id}')]), fn('me', [http('GET', 'ice-cream')])]), invokerFor(['user', 'me']));
  const r = await fetch(g.url + '/dev/users/a%20b');
  assert.deepEqual((await json(r)).params, { id: 'a%20b' });
  assert.equal((await fetch(g.url + '/dev/ice%2Dcream')).status, 200);
});

test('update swaps routes atomically; a request in flight finishes on the old table', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const invoker = inProcessInvoker({
    'svc-dev-slow': async () => { await gate; return { statusCode: 200, body: 'old' }; },
    'svc-dev-fresh': () => ({ statusCode: 200, body: 'new' }),
  });
  const g = await startGateway(t, service([fn('slow', [http('GET', 'x')])]), invoker);
  const inflight = fetch(g.url + '/dev/x');
  while (invoker.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
  g.gateway.update(service([fn('fresh', [http('GET', 'y')])]));
  assert.equal((await fetch(g.url + '/dev/y').then((r) => r.text())), 'new');
  assert.equal((await fetch(g.url + '/dev/x')).status, 403, 'the old route is gone for new requests');
  release();
  assert.equal(await (await inflight).text(), 'old');
  assert.deepEqual(g.gateway.routes(), [{ method: 'GET', path: '/dev/y', functionKey: 'fresh', kind: 'rest' }]);
});

test('REST and HTTP API share the port: REST under the stage, HTTP API at the root', async (t) => {
  const spec = service([fn('hello', [httpApi('GET', '/hello'), http('GET', 'hello/{name}')])]);
  const g = await startGateway(t, spec, invokerFor(['hello']));
  assert.equal((await json(await fetch(g.url + '/hello'))).resource, 'GET /hello');
  assert.equal((await json(await fetch(g.url + '/dev/hello/ada'))).resource, '/hello/{name}');
  assert.equal((await fetch(g.url + '/dev/nope')).status, 403, 'under the stage: REST answers');
  assert.equal((await fetch(g.url + '/nope')).status, 404, 'elsewhere: the HTTP API answers');
  assert.deepEqual(g.gateway.routes().map((r) => `${r.method} ${r.path} -> ${r.functionKey}`), ['GET /hello -> hello', 'GET /dev/hello/{name} -> hello']);
});
