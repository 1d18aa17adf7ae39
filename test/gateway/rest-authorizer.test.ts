// REST Lambda authorizers (TOKEN and REQUEST) through real HTTP: identity checks, IAM policy
// evaluation, error mapping, context passing and the result cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RestAuthorizerSpec } from '../../src/config/types.ts';
import { assertSameShape, fakeClock, fixture, fn, http, inProcessInvoker, service, startGateway } from './helpers.ts';

function policy(effect: string, resource: string | string[], action: string | string[] = 'execute-api:Invoke') {
  return { Version: '2012-10-17', Statement: [{ Action: action, Effect: effect, Resource: resource }] };
}

function tokenAuthorizer(extra: Partial<RestAuthorizerSpec> = {}): RestAuthorizerSpec {
  return { name: 'auth', type: 'token', identitySource: 'method.request.header.Authorization', identityValidationExpression: '^Bearer [-0-9a-zA-z\\.]*$', resultTtlInSeconds: 300, ...extra };
}

function setup(auth: RestAuthorizerSpec) {
  const invoker = inProcessInvoker({
    'svc-dev-auth': (e) => {
      const token: string = e.authorizationToken ?? e.headers?.['X-Key'] ?? '';
      const arn = e.methodArn as string;
      const base = arn.slice(0, arn.indexOf('/'));
      switch (token.replace('Bearer ', '')) {
        case 'allow': case 'request-key': return { principalId: 'user-1', policyDocument: policy('Allow', `${base}/dev/GET/*`), context: { role: 'admin', n: 7, b: true } };
        case 'only1': return { principalId: 'user-1', policyDocument: policy('Allow', `${base}/dev/GET/secret/1`) };
        case 'deny': return { principalId: 'user-1', policyDocument: policy('Deny', `${base}/*`) };
        case 'other': return { principalId: 'user-1', policyDocument: policy('Allow', `${base}/dev/POST/*`) };
        case 'mixed': return { principalId: 'u', policyDocument: { Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:*', Resource: [`${base}/dev/GET/secret/?`] }] } };
        case 'wild': return { principalId: 42, policyDocument: { Statement: { Effect: 'allow', Action: ['execute-api:invoke'], Resource: ['arn:aws:execute-api:*:*:*/dev/GET/secret/?'] } } };
        case 'unauthorized': throw new Error('Unauthorized');
        case 'crash': throw new Error('database down');
        case 'bad': return { principalId: 'x' };
        case 'nested': return { principalId: 'x', policyDocument: policy('Allow', '*'), context: { deep: { a: 1 } } };
        default: throw new Error('Unauthorized');
      }
    },
    'svc-dev-secret': (e) => ({ statusCode: 200, body: JSON.stringify(e.requestContext.authorizer) }),
  });
  const spec = service([fn('auth', []), fn('secret', [http('GET', 'secret/{id}', { authorizer: auth })])]);
  return { invoker, spec };
}

test('TOKEN authorizer: event, Allow with context, explicit and implicit Deny, errors', async (t) => {
  const { invoker, spec } = setup(tokenAuthorizer({ resultTtlInSeconds: 0 }));
  const g = await startGateway(t, spec, invoker);
  const get = async (token?: string, path = '/dev/secret/1') => {
    const r = await fetch(g.url + path, { headers: token === undefined ? {} : { authorization: token } });
    return { status: r.status, body: await r.text(), type: r.headers.get('x-amzn-errortype') };
  };
  const ok = await get('Bearer allow');
  assert.equal(ok.status, 200);
  const authorizer = JSON.parse(ok.body);
  assert.equal(typeof authorizer.integrationLatency, 'number');
  delete authorizer.integrationLatency;
  assert.deepEqual(authorizer, { principalId: 'user-1', role: 'admin', n: '7', b: 'true' }, 'REST passes context values as strings');

  const authEvent = invoker.calls.find((c) => c.functionName === 'svc-dev-auth')!;
  assert.deepEqual(authEvent.opts.trigger, { kind: 'authorizer' });
  assertSameShape(authEvent.event, fixture('rest-token-authorizer-event.json'));
  assert.equal(authEvent.event.authorizationToken, 'Bearer allow');
  assert.match(authEvent.event.methodArn, /^arn:aws:execute-api:us-east-1:123456789012:[a-z0-9]{10}\/dev\/GET\/secret\/1$/);

  assert.deepEqual(await get('Bearer deny'), { status: 403, body: '{"message":"User is not authorized to access this resource with an explicit deny"}', type: 'AccessDeniedException' });
  assert.deepEqual(await get('Bearer other'), { status: 403, body: '{"message":"User is not authorized to access this resource"}', type: 'AccessDeniedException' });
  assert.equal((await get('Bearer mixed')).status, 403, 'an explicit Deny wins over Allow *');
  assert.equal((await get('Bearer mixed', '/dev/secret/10')).status, 200, '? matches exactly one character');
  assert.equal((await get('Bearer wild')).status, 200, 'Effect/Action case-insensitive, Statement as an object, wildcards in the ARN');
  assert.equal(JSON.parse((await get('Bearer wild')).body).principalId, '42');
  assert.deepEqual(await get('Bearer unauthorized'), { status: 401, body: '{"message":"Unauthorized"}', type: 'UnauthorizedException' });
  for (const token of ['Bearer crash', 'Bearer bad', 'Bearer nested']) {
    assert.deepEqual(await get(token), { status: 500, body: '{"message": null}', type: 'AuthorizerConfigurationException' }, token);
  }
});

test('TOKEN authorizer: a missing token or one failing identityValidationExpression is 401 without invoking', async (t) => {
  const { invoker, spec } = setup(tokenAuthorizer());
  const g = await startGateway(t, spec, invoker);
  for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer has spaces in it' }, { authorization: '' }]) {
    const r = await fetch(`${g.url}/dev/secret/1`, { headers });
    assert.equal(r.status, 401, JSON.stringify(headers));
    assert.equal(await r.text(), '{"message":"Unauthorized"}');
  }
  assert.equal(invoker.calls.length, 0);
});

test('the result is cached per token for resultTtlInSeconds, and the cached policy is applied to other paths', async (t) => {
  const { invoker, spec } = setup(tokenAuthorizer({ resultTtlInSeconds: 300 }));
  const clock = fakeClock();
  const g = await startGateway(t, spec, invoker, { clock });
  const authCalls = () => invoker.calls.filter((c) => c.functionName === 'svc-dev-auth').length;
  const get = (token: string, path = '/dev/secret/1') => fetch(g.url + path, { headers: { authorization: token } }).then((r) => r.status);
  assert.equal(await get('Bearer only1'), 200);
  assert.equal(await get('Bearer only1'), 200);
  assert.equal(authCalls(), 1, 'the second request used the cache');
  assert.equal(await get('Bearer only1', '/dev/secret/2'), 403, 'the cached policy names only /secret/1');
  assert.equal(authCalls(), 1);
  assert.equal(await get('Bearer allow'), 200);
  assert.equal(authCalls(), 2, 'another token is another cache entry');
  clock.advance(301_000);
  assert.equal(await get('Bearer only1'), 200);
  assert.equal(authCalls(), 3, 'entries expire after the TTL');
});

test('resultTtlInSeconds 0 turns the cache off', async (t) => {
  const { invoker, spec } = setup(tokenAuthorizer({ resultTtlInSeconds: 0 }));
  const g = await startGateway(t, spec, invoker);
  for (let i = 0; i < 3; i++) assert.equal((await fetch(`${g.url}/dev/secret/1`, { headers: { authorization: 'Bearer allow' } })).status, 200);
  assert.equal(invoker.calls.filter((c) => c.functionName === 'svc-dev-auth').length, 3);
});

test('REQUEST authorizer: the event, and 401 when a cached identity source is missing', async (t) => {
  const { invoker, spec } = setup({ name: 'auth', type: 'request', identitySource: 'method.request.header.X-Key, method.request.querystring.token', resultTtlInSeconds: 300 });
  const g = await startGateway(t, spec, invoker);
  assert.equal((await fetch(`${g.url}/dev/secret/1?token=t`)).status, 401);
  assert.equal((await fetch(`${g.url}/dev/secret/1`, { headers: { 'X-Key': 'request-key' } })).status, 401);
  assert.equal(invoker.calls.length, 0);
  const r = await fetch(`${g.url}/dev/secret/42?token=t`, { headers: { 'X-Key': 'request-key' } });
  assert.equal(r.status, 200);
  const ev = invoker.calls[0]!.event;
  assertSameShape(ev, fixture('rest-request-authorizer-event.json'), ['$.headers', '$.multiValueHeaders', '$.queryStringParameters', '$.multiValueQueryStringParameters', '$.pathParameters']);
  assert.equal(ev.type, 'REQUEST');
  assert.match(ev.methodArn, /\/dev\/GET\/secret\/42$/);
  assert.equal(ev.resource, '/secret/{id}');
  assert.deepEqual(ev.pathParameters, { id: '42' });
  assert.deepEqual(ev.queryStringParameters, { token: 't' });
  assert.equal(ev.headers['X-Key'], 'request-key');
});

test('an authorizer naming no function answers 500', async (t) => {
  const invoker = inProcessInvoker({ 'svc-dev-secret': () => ({ statusCode: 200 }) });
  const spec = service([fn('secret', [http('GET', 'secret', { authorizer: tokenAuthorizer({ name: 'ghost' }) })])]);
  const g = await startGateway(t, spec, invoker);
  const r = await fetch(`${g.url}/dev/secret`, { headers: { authorization: 'Bearer x' } });
  assert.equal(r.status, 500);
  assert.ok(g.log.lines.some((l) => l.includes("'ghost'")));
});
