// The HTTP API (payload 2.0) event and response mapping through real HTTP, compared field by field
// with an API Gateway event; also payload 1.0 on an HTTP API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSameShape, fixture, fn, httpApi, inProcessInvoker, rawRequest, service, startGateway , json } from './helpers.ts';

test('the 2.0 event matches API Gateway\'s, field by field', async (t) => {
  const invoker = inProcessInvoker({ 'svc-dev-user': (e) => e });
  const g = await startGateway(t, service([fn('user', [httpApi('POST', '/users/{id}')])]), invoker);
  const res = await rawRequest(`${g.url}/users/42?tag=a&tag=b&q=hello%20world`, 'POST', [
    ['Accept', '*/*'], ['Content-Type', 'application/json'], ['User-Agent', 'curl/8.5.0'],
    ['Cookie', 'session=abc; theme=dark'], ['X-Custom', 'v1'], ['x-custom', 'v2'],
  ], '{"name":"x"}');
  assert.equal(res.status, 200);
  const e = JSON.parse(res.body.toString());
  assertSameShape(e, fixture('http-api-event.json'), ['$.headers', '$.queryStringParameters', '$.pathParameters']);
  assert.equal(e.version, '2.0');
  assert.equal(e.routeKey, 'POST /users/{id}');
  assert.equal(e.rawPath, '/users/42');
  assert.equal(e.rawQueryString, 'tag=a&tag=b&q=hello%20world');
  assert.deepEqual(e.cookies, ['session=abc', 'theme=dark']);
  assert.equal(e.headers.cookie, undefined, 'cookies move to the cookies array');
  assert.equal(e.headers['x-custom'], 'v1,v2', 'repeated headers are comma-joined under a lower-case name');
  assert.equal(e.headers['content-type'], 'application/json');
  assert.equal(e.headers['content-length'], '12');
  assert.equal(e.headers['x-forwarded-for'], '127.0.0.1');
  assert.deepEqual(e.queryStringParameters, { tag: 'a,b', q: 'hello world' });
  assert.deepEqual(e.pathParameters, { id: '42' });
  assert.equal(e.body, '{"name":"x"}');
  assert.equal(e.isBase64Encoded, false);
  const c = e.requestContext;
  assert.equal(c.accountId, '123456789012');
  assert.equal(c.stage, '$default');
  assert.equal(c.routeKey, 'POST /users/{id}');
  assert.deepEqual(c.http, { method: 'POST', path: '/users/42', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8.5.0' });
  assert.match(c.requestId, /^[A-Za-z0-9]{15}=$/);
  assert.equal(res.headers['apigw-requestid'], c.requestId);
  assert.match(c.time, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  assert.equal(typeof c.timeEpoch, 'number');
});

test('empty collections are left out of the 2.0 event', async (t) => {
  const invoker = inProcessInvoker({ 'svc-dev-list': (e) => e });
  const g = await startGateway(t, service([fn('list', [httpApi('GET', '/orders')])]), invoker);
  const e = await json(await fetch(`${g.url}/orders`));
  for (const k of ['cookies', 'queryStringParameters', 'pathParameters', 'body', 'stageVariables']) assert.equal(k in e, false, k);
  assert.equal('authorizer' in e.requestContext, false);
  assert.equal(e.rawQueryString, '');
  assert.equal(e.isBase64Encoded, false);
});

test('text bodies are strings, other content types are base64', async (t) => {
  const invoker = inProcessInvoker({ 'svc-dev-up': (e) => ({ body: e.body ?? null, b64: e.isBase64Encoded }) });
  const g = await startGateway(t, service([fn('up', [httpApi('POST', '/up')])]), invoker);
  const post = async (contentType: string | null, body: Buffer | string) => {
    const headers: [string, string][] = contentType ? [['Content-Type', contentType]] : [];
    return JSON.parse((await rawRequest(`${g.url}/up`, 'POST', headers, body)).body.toString());
  };
  for (const ct of ['text/plain', 'text/html; charset=utf-8', 'application/json', 'application/xml', 'application/javascript', 'application/vnd.api+json']) {
    assert.deepEqual(await post(ct, 'héllo'), { body: 'héllo', b64: false }, ct);
  }
  for (const ct of ['application/octet-stream', 'image/png', 'application/x-www-form-urlencoded', null]) {
    assert.deepEqual(await post(ct, 'a=b'), { body: Buffer.from('a=b').toString('base64'), b64: true }, String(ct));
  }
  const invalidUtf8 = Buffer.from([0xab, 0x57, 0xdc, 0x17]);
  assert.deepEqual(await post('text/plain', invalidUtf8), { body: invalidUtf8.toString('base64'), b64: true }, 'text that is not UTF-8');
});

test('responses: structured, inferred, cookies, base64', async (t) => {
  let next: unknown;
  const invoker = inProcessInvoker({ 'svc-dev-r': () => next });
  const g = await startGateway(t, service([fn('r', [httpApi('GET', '/r')])]), invoker);
  const call = async (value: unknown) => { next = value; return rawRequest(`${g.url}/r`, 'GET', []); };

  let r = await call({ statusCode: 201, headers: { 'content-type': 'text/plain', 'x-a': '1,2' }, cookies: ['a=1; Path=/; HttpOnly', 'b=2'], body: 'hello' });
  assert.equal(r.status, 201);
  assert.equal(r.headers['content-type'], 'text/plain');
  assert.equal(r.headers['x-a'], '1,2');
  assert.deepEqual(r.headers['set-cookie'], ['a=1; Path=/; HttpOnly', 'b=2']);
  assert.equal(r.body.toString(), 'hello');

  r = await call({ message: 'hi' });
  assert.equal(r.status, 200, 'an object without statusCode is the body');
  assert.equal(r.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(r.body.toString()), { message: 'hi' });

  for (const [value, text] of [[[1, 2], '[1,2]'], ['hi', '"hi"'], [42, '42'], [null, 'null'], [true, 'true']] as const) {
    r = await call(value);
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), text);
  }

  r = await call({ statusCode: 200, body: Buffer.from('bin').toString('base64'), isBase64Encoded: true, extraKey: 'ignored' });
  assert.equal(r.body.toString(), 'bin');

  for (const bad of [{ statusCode: 'x' }, { statusCode: 200, cookies: 'a=1' }, { errorMessage: 'looks like a failure' }]) {
    r = await call(bad);
    assert.equal(r.status, 500, JSON.stringify(bad));
    assert.equal(r.body.toString(), '{"message":"Internal Server Error"}');
  }
});

test('payload 1.0 on an HTTP API: REST-shaped event, lenient response', async (t) => {
  let next: unknown = null;
  const invoker = inProcessInvoker({ 'svc-dev-old': (e) => next ?? { statusCode: 200, body: JSON.stringify(e), extra: 'ignored' } });
  const g = await startGateway(t, service([fn('old', [httpApi('GET', '/old/{id}')])], { payload: '1.0' }), invoker);
  const res = await fetch(`${g.url}/old/1?a=1&a=2`, { headers: { 'x-h': 'v' } });
  assert.equal(res.status, 200);
  const e = await json(res);
  assert.equal(e.version, '1.0');
  assert.equal(e.resource, '/old/{id}');
  assert.equal(e.path, '/old/1');
  assert.deepEqual(e.multiValueQueryStringParameters, { a: ['1', '2'] });
  assert.deepEqual(e.pathParameters, { id: '1' });
  assert.equal(e.requestContext.stage, '$default');
  next = { headers: { a: 'b' } };
  assert.equal((await fetch(`${g.url}/old/1`)).status, 500, 'HTTP API 1.0 needs a statusCode');
});
