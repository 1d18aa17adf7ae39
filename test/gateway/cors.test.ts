// CORS through real HTTP: REST preflight mocks as Serverless configures them, and HTTP API
// preflights and response headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CorsSpec } from '../../src/config/types.ts';
import { fn, http, httpApi, inProcessInvoker, service, startGateway } from './helpers.ts';

const DEFAULT_HEADERS = ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token', 'X-Amz-User-Agent', 'X-Amzn-Trace-Id'];
const corsTrue: CorsSpec = { origins: ['*'], headers: DEFAULT_HEADERS, allowCredentials: false };

test('REST cors: true answers OPTIONS without invoking (or authorizing), listing the path\'s methods', async (t) => {
  const invoker = inProcessInvoker({ 'svc-dev-f': () => ({ statusCode: 200, headers: { 'Access-Control-Allow-Origin': 'https://own.example' }, body: 'x' }) });
  const auth = { name: 'nobody', type: 'token' as const, identitySource: 'method.request.header.Authorization', resultTtlInSeconds: 0 };
  const spec = service([fn('f', [
    http('GET', 'items/{id}', { cors: corsTrue, authorizer: auth }),
    http('DELETE', 'items/{id}', { cors: corsTrue }),
    http('GET', 'plain'),
  ])]);
  const g = await startGateway(t, spec, invoker);
  const pre = await fetch(`${g.url}/dev/items/1`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'DELETE' } });
  assert.equal(pre.status, 200);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  assert.equal(pre.headers.get('access-control-allow-headers'), DEFAULT_HEADERS.join(','));
  assert.equal(pre.headers.get('access-control-allow-methods'), 'OPTIONS,GET,DELETE');
  assert.equal(pre.headers.get('access-control-allow-credentials'), null);
  assert.equal(await pre.text(), '');
  assert.equal(invoker.calls.length, 0);
  const actual = await fetch(`${g.url}/dev/items/1`, { method: 'DELETE', headers: { origin: 'https://app.example' } });
  assert.equal(actual.headers.get('access-control-allow-origin'), 'https://own.example', 'lambda-proxy responses are the function\'s own');
  assert.equal((await fetch(`${g.url}/dev/plain`, { method: 'OPTIONS' })).status, 403, 'no cors, no OPTIONS method');
});

test('REST cors with several origins echoes a matching Origin; credentials, max age, cache control', async (t) => {
  const cors: CorsSpec = { origins: ['https://a.example', 'https://*.b.example'], headers: ['Content-Type'], allowCredentials: true, maxAge: 600, cacheControl: 'max-age=600' };
  const spec = service([fn('f', [http('ANY', 'x', { cors }), http('POST', 'legacy', { cors, integration: 'lambda' })])]);
  const g = await startGateway(t, spec, inProcessInvoker({ 'svc-dev-f': () => ({ ok: true }) }));
  const pre = (origin: string) => fetch(`${g.url}/dev/x`, { method: 'OPTIONS', headers: { origin } });
  let r = await pre('https://shop.b.example');
  assert.equal(r.headers.get('access-control-allow-origin'), 'https://shop.b.example');
  assert.equal(r.headers.get('access-control-allow-methods'), 'OPTIONS,DELETE,GET,HEAD,PATCH,POST,PUT', 'ANY expands');
  assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(r.headers.get('access-control-max-age'), '600');
  assert.equal(r.headers.get('cache-control'), 'max-age=600');
  r = await pre('https://evil.example');
  assert.equal(r.headers.get('access-control-allow-origin'), 'https://a.example', 'an unknown Origin gets the first configured one');
  const legacy = await fetch(`${g.url}/dev/legacy`, { method: 'POST', headers: { origin: 'https://a.example' } });
  assert.equal(legacy.headers.get('access-control-allow-origin'), 'https://a.example', 'non-proxy responses carry Allow-Origin');
  assert.equal(legacy.headers.get('access-control-allow-credentials'), 'true');
});

test('HTTP API cors: 204 preflights for any path, headers added to responses for allowed origins', async (t) => {
  const httpApiCors: CorsSpec = { origins: ['https://app.example'], headers: ['Content-Type', 'Authorization'], allowCredentials: true, exposedResponseHeaders: ['X-Total'], maxAge: 300 };
  const invoker = inProcessInvoker({ 'svc-dev-f': () => ({ statusCode: 200, headers: { 'access-control-allow-origin': '*' }, body: 'x' }) });
  const g = await startGateway(t, service([fn('f', [httpApi('GET', '/items'), httpApi('POST', '/items')])], { httpApiCors }), invoker);
  const pre = await fetch(`${g.url}/anything`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), 'https://app.example');
  assert.equal(pre.headers.get('access-control-allow-methods'), 'OPTIONS,GET,POST');
  assert.equal(pre.headers.get('access-control-allow-headers'), 'Content-Type,Authorization');
  assert.equal(pre.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(pre.headers.get('access-control-max-age'), '300');
  assert.equal(invoker.calls.length, 0);

  const denied = await fetch(`${g.url}/items`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
  assert.equal(denied.status, 204);
  assert.equal(denied.headers.get('access-control-allow-origin'), null);

  const actual = await fetch(`${g.url}/items`, { headers: { origin: 'https://app.example' } });
  assert.equal(actual.headers.get('access-control-allow-origin'), 'https://app.example', 'the API overrides the function\'s value');
  assert.equal(actual.headers.get('access-control-expose-headers'), 'X-Total');
  assert.equal(actual.headers.get('access-control-allow-credentials'), 'true');
  const other = await fetch(`${g.url}/items`, { headers: { origin: 'https://evil.example' } });
  assert.equal(other.status, 200, 'a disallowed Origin is still served');
  assert.equal(other.headers.get('access-control-allow-origin'), '*', 'without CORS headers from the API');
  const notFound = await fetch(`${g.url}/nope`, { headers: { origin: 'https://app.example' } });
  assert.equal(notFound.headers.get('access-control-allow-origin'), 'https://app.example');
});

test('HTTP API cors: true allows any origin with *', async (t) => {
  const g = await startGateway(t, service([fn('f', [httpApi('GET', '/items')])], { httpApiCors: corsTrue }), inProcessInvoker({ 'svc-dev-f': () => 'ok' }));
  const pre = await fetch(`${g.url}/items`, { method: 'OPTIONS', headers: { origin: 'https://x.example', 'access-control-request-method': 'GET' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  const r = await fetch(`${g.url}/items`, { headers: { origin: 'https://x.example' } });
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
});
