// HTTP API authorizers through real HTTP: Lambda (simple and IAM-policy answers) and JWT, with
// keys served by a small OpenID issuer and tokens minted by jose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpApiAuthorizerSpec } from '../../src/config/types.ts';
import { assertSameShape, fixture, fn, httpApi, inProcessInvoker, service, startGateway , json } from './helpers.ts';
import { startIssuer } from '../helpers/issuer.ts';

const echoAuthorizer = (e: any) => ({ statusCode: 200, body: JSON.stringify(e.requestContext.authorizer ?? null) });

test('Lambda authorizer with simple responses: event, isAuthorized, context, 401/403/500', async (t) => {
  const authorizers: Record<string, HttpApiAuthorizerSpec> = {
    custom: { type: 'request', name: 'custom', functionName: 'authHttp', identitySource: ['$request.header.Authorization', '$request.header.X-Id'], enableSimpleResponses: true, payloadVersion: '2.0', resultTtlInSeconds: 0 },
  };
  const invoker = inProcessInvoker({
    'svc-dev-authHttp': (e) => {
      const [token] = e.identitySource;
      if (token === 'yes') return { isAuthorized: true, context: { userId: 'u-1', tier: 'gold', n: 3 } };
      if (token === 'no') return { isAuthorized: false };
      if (token === 'unauthorized') throw new Error('Unauthorized');
      if (token === 'garbage') return { hello: 1 };
      throw new Error('broken');
    },
    'svc-dev-orders': echoAuthorizer,
  });
  const spec = service([fn('authHttp', []), fn('orders', [httpApi('GET', '/orders/{id}', { name: 'custom' })])], { authorizers });
  const g = await startGateway(t, spec, invoker);
  const get = async (headers: Record<string, string>) => {
    const r = await fetch(`${g.url}/orders/42?p=1&p=2`, { headers: { ...headers, cookie: 'c=1' } });
    return { status: r.status, body: await r.text() };
  };
  const ok = await get({ authorization: 'yes', 'x-id': '123' });
  assert.equal(ok.status, 200);
  assert.deepEqual(JSON.parse(ok.body), { lambda: { userId: 'u-1', tier: 'gold', n: 3 } });
  const ev = invoker.calls[0]!.event;
  assertSameShape(ev, fixture('http-api-authorizer-event.json'), ['$.headers', '$.queryStringParameters', '$.pathParameters']);
  assert.deepEqual(ev.identitySource, ['yes', '123']);
  assert.equal(ev.routeKey, 'GET /orders/{id}');
  assert.match(ev.routeArn, /^arn:aws:execute-api:us-east-1:123456789012:[a-z0-9]{10}\/\$default\/GET\/orders\/42$/);
  assert.deepEqual(ev.queryStringParameters, { p: '1,2' });
  assert.deepEqual(ev.cookies, ['c=1']);

  assert.deepEqual(await get({ authorization: 'no', 'x-id': '1' }), { status: 403, body: '{"message":"Forbidden"}' });
  assert.deepEqual(await get({ authorization: 'unauthorized', 'x-id': '1' }), { status: 401, body: '{"message":"Unauthorized"}' });
  assert.deepEqual(await get({ authorization: 'garbage', 'x-id': '1' }), { status: 500, body: '{"message":"Internal Server Error"}' });
  assert.deepEqual(await get({ authorization: 'other', 'x-id': '1' }), { status: 500, body: '{"message":"Internal Server Error"}' });
  const before = invoker.calls.length;
  assert.deepEqual(await get({ authorization: 'yes' }), { status: 401, body: '{"message":"Unauthorized"}' }, 'a missing identity source');
  assert.equal(invoker.calls.length, before, 'the authorizer was not invoked');
});

test('Lambda authorizer with IAM policies, cached by identity source', async (t) => {
  const authorizers: Record<string, HttpApiAuthorizerSpec> = {
    policyAuth: { type: 'request', name: 'policyAuth', functionName: 'authHttp', identitySource: ['$request.header.Authorization'], enableSimpleResponses: false, payloadVersion: '2.0', resultTtlInSeconds: 300 },
  };
  const invoker = inProcessInvoker({
    'svc-dev-authHttp': (e) => ({
      principalId: 'p-1',
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: e.identitySource[0] === 'allow' ? 'Allow' : 'Deny', Action: 'execute-api:Invoke', Resource: e.routeArn }] },
      context: { team: 'blue' },
    }),
    'svc-dev-orders': echoAuthorizer,
  });
  const spec = service([fn('authHttp', []), fn('orders', [httpApi('GET', '/orders', { name: 'policyAuth' })])], { authorizers });
  const g = await startGateway(t, spec, invoker);
  const r = await fetch(`${g.url}/orders`, { headers: { authorization: 'allow' } });
  assert.equal(r.status, 200);
  assert.deepEqual(await json(r), { lambda: { team: 'blue', principalId: 'p-1' } });
  assert.equal((await fetch(`${g.url}/orders`, { headers: { authorization: 'allow' } })).status, 200);
  assert.equal((await fetch(`${g.url}/orders`, { headers: { authorization: 'deny' } })).status, 403);
  assert.equal(invoker.calls.filter((c) => c.functionName === 'svc-dev-authHttp').length, 2, 'one call per distinct identity');
});

test('JWT authorizer: valid tokens pass with claims and scopes; invalid ones get 401 with www-authenticate', async (t) => {
  const issuer = await startIssuer(t);
  const authorizers: Record<string, HttpApiAuthorizerSpec> = {
    jwtAuth: { type: 'jwt', name: 'jwtAuth', identitySource: '$request.header.Authorization', issuerUrl: issuer.url, audience: ['shop', 'kiosk'] },
  };
  const invoker = inProcessInvoker({ 'svc-dev-menu': echoAuthorizer, 'svc-dev-orders': echoAuthorizer });
  const spec = service([
    fn('menu', [httpApi('GET', '/menu', { name: 'jwtAuth' })]),
    fn('orders', [httpApi('GET', '/orders', { name: 'jwtAuth', scopes: ['orders:read', 'admin'] })]),
  ], { authorizers });
  const g = await startGateway(t, spec, invoker);
  const get = async (path: string, token?: string) => {
    const r = await fetch(g.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: r.status, body: await r.text(), www: r.headers.get('www-authenticate') };
  };

  const good = await issuer.sign({ iss: issuer.url, aud: 'shop', sub: 'u-1', groups: ['a', 'b'], scope: 'orders:read profile' });
  const ok = await get('/menu', good);
  assert.equal(ok.status, 200);
  const { jwt } = JSON.parse(ok.body);
  assert.equal(jwt.claims.sub, 'u-1');
  assert.equal(jwt.claims.aud, 'shop');
  assert.equal(jwt.claims.groups, '[a b]', 'claim values are strings');
  assert.equal(typeof jwt.claims.exp, 'string');
  assert.equal(jwt.scopes, null, 'no scopes on a route without authorizationScopes');
  const scoped = await get('/orders', good);
  assert.equal(scoped.status, 200);
  assert.deepEqual(JSON.parse(scoped.body).jwt.scopes, ['orders:read', 'admin']);

  assert.equal((await get('/menu', await issuer.sign({ iss: issuer.url, client_id: 'kiosk' }))).status, 200, 'client_id counts when there is no aud');
  assert.equal((await get('/orders', await issuer.sign({ iss: issuer.url, aud: 'shop', scp: ['admin'] }))).status, 200, 'scp claim');

  const unauthorized = { status: 401, body: '{"message":"Unauthorized"}' };
  const noToken = await get('/menu');
  assert.equal(noToken.status, 401);
  const cases: [string, string][] = [
    ['not-a-jwt', 'the token is malformed'],
    [await issuer.sign({ iss: issuer.url, aud: 'elsewhere' }), 'the token does not have a valid audience'],
    [await issuer.sign({ iss: issuer.url, aud: 'shop' }, { exp: Math.floor(Date.now() / 1000) - 60 }), 'the token has expired'],
    [await issuer.sign({ iss: 'https://other.example.com', aud: 'shop' }), 'the token does not have a valid issuer'],
    [await issuer.sign({ iss: issuer.url, aud: 'shop' }, { key: 'rogue' }), 'signature is invalid'],
  ];
  for (const [token, description] of cases) {
    const r = await get('/menu', token);
    assert.deepEqual({ status: r.status, body: r.body }, unauthorized, description);
    assert.equal(r.www, `Bearer scope="" error="invalid_token" error_description="${description}"`);
  }
  const noScope = await get('/orders', await issuer.sign({ iss: issuer.url, aud: 'shop', scope: 'profile' }));
  assert.equal(noScope.status, 403);
  assert.equal(noScope.body, '{"message":"Forbidden"}');

  assert.equal(issuer.requests.filter((u) => u.includes('openid-configuration')).length, 1, 'discovery is cached');
  assert.equal(issuer.requests.filter((u) => u === '/jwks.json').length, 1, 'keys are cached');
});

test('JWT authorizer: an unreachable issuer is a 401 and discovery is retried on the next request (jwksFetch)', async (t) => {
  const issuer = await startIssuer(t);
  const authorizers: Record<string, HttpApiAuthorizerSpec> = {
    jwtAuth: { type: 'jwt', name: 'jwtAuth', identitySource: '$request.header.Authorization', issuerUrl: issuer.url, audience: ['shop'] },
  };
  let down = true;
  const fetched: string[] = [];
  const jwksFetch = (url: string | URL, init?: { signal?: AbortSignal; headers?: Record<string, string> }) => {
    fetched.push(String(url));
    return down ? Promise.reject(new Error('connect ECONNREFUSED')) : fetch(url, init);
  };
  const g = await startGateway(t, service([fn('menu', [httpApi('GET', '/menu', { name: 'jwtAuth' })])], { authorizers }),
    inProcessInvoker({ 'svc-dev-menu': echoAuthorizer }), { jwksFetch });
  const token = await issuer.sign({ iss: issuer.url, aud: 'shop' });
  const first = await fetch(`${g.url}/menu`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(first.status, 401);
  assert.ok(g.log.lines.some((l) => l.includes('cannot read the signing keys')));
  down = false;
  const second = await fetch(`${g.url}/menu`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(second.status, 200);
  assert.deepEqual(fetched, [`${issuer.url}/.well-known/openid-configuration`, `${issuer.url}/.well-known/openid-configuration`, `${issuer.url}/jwks.json`]);
});
