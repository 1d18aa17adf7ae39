// The REST (payload 1.0) event and response mapping, through real HTTP, compared field by field
// with an API Gateway event (ids and times aside).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSameShape, fixture, fn, http, inProcessInvoker, rawRequest, service, startGateway , json } from './helpers.ts';

test('the proxy event matches API Gateway\'s, field by field', async (t) => {
  const invoker = inProcessInvoker({ 'svc-dev-user': (e) => ({ statusCode: 200, body: JSON.stringify(e) }) });
  const g = await startGateway(t, service([fn('user', [http('POST', 'users/{id}')])]), invoker);
  const before = Date.now();
  const res = await rawRequest(`${g.url}/dev/users/42?tag=a&tag=b&q=hello%20world&empty`, 'POST', [
    ['Accept', '*/*'], ['Content-Type', 'application/json'], ['User-Agent', 'curl/8.5.0'],
    ['X-Multi', 'one'], ['X-Multi', 'two'], ['x-lower', 'v'],
  ], '{"name":"x"}');
  assert.equal(res.status, 200);
  const e = JSON.parse(res.body.toString());
  assertSameShape(e, fixture('rest-proxy-event.json'), ['$.headers', '$.multiValueHeaders', '$.queryStringParameters', '$.multiValueQueryStringParameters', '$.pathParameters']);

  assert.equal(e.resource, '/users/{id}');
  assert.equal(e.path, '/users/42');
  assert.equal(e.httpMethod, 'POST');
  assert.equal(e.headers['X-Multi'], 'two', 'headers keep the last value');
  assert.deepEqual(e.multiValueHeaders['X-Multi'], ['one', 'two']);
  assert.equal(e.headers['x-lower'], 'v', 'client casing is kept');
  assert.equal(e.headers['Content-Type'], 'application/json');
  assert.equal(e.headers['X-Forwarded-For'], '127.0.0.1');
  assert.equal(e.headers['X-Forwarded-Proto'], 'http');
  assert.equal(e.headers['X-Forwarded-Port'], String(g.port));
  assert.match(e.headers['X-Amzn-Trace-Id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  assert.equal(e.headers.Connection, undefined);
  assert.deepEqual(e.queryStringParameters, { tag: 'b', q: 'hello world', empty: '' });
  assert.deepEqual(e.multiValueQueryStringParameters, { tag: ['a', 'b'], q: ['hello world'], empty: [''] });
  assert.deepEqual(e.pathParameters, { id: '42' });
  assert.equal(e.stageVariables, null);
  assert.equal(e.body, '{"name":"x"}');
  assert.equal(e.isBase64Encoded, false);

  const c = e.requestContext;
  assert.equal(c.accountId, '123456789012');
  assert.match(c.apiId, /^[a-z0-9]{10}$/);
  assert.equal(c.path, '/dev/users/42');
  assert.equal(c.stage, 'dev');
  assert.equal(c.resourcePath, '/users/{id}');
  assert.match(c.resourceId, /^[a-z0-9]{6}$/);
  assert.equal(c.httpMethod, 'POST');
  assert.equal(c.protocol, 'HTTP/1.1');
  assert.equal(c.domainName, '127.0.0.1');
  assert.equal(c.identity.sourceIp, '127.0.0.1');
  assert.equal(c.identity.userAgent, 'curl/8.5.0');
  assert.match(c.requestId, /^[0-9a-f-]{36}$/);
  assert.equal(res.headers['x-amzn-requestid'], c.requestId, 'the response carries the event\'s request id');
  assert.match(c.requestTime, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  assert.ok(c.requestTimeEpoch >= before && c.requestTimeEpoch <= Date.now());
  const d = new Date(c.requestTimeEpoch);
  assert.ok(c.requestTime.startsWith(`${String(d.getUTCDate()).padStart(2, '0')}/`));
});

test('absent collections are null; GET without body has body null', async (t) => {
  const invoker = inProcessInvoker({ 'svc-dev-team': (e) => ({ statusCode: 200, body: JSON.stringify(e) }) });
  const g = await startGateway(t, service([fn('team', [http('GET', 'team')])]), invoker);
  const e = await json(await fetch(`${g.url}/dev/team`));
  assert.equal(e.queryStringParameters, null);
  assert.equal(e.multiValueQueryStringParameters, null);
  assert.equal(e.pathParameters, null);
  assert.equal(e.stageVariables, null);
  assert.equal(e.body, null);
  assert.equal(e.isBase64Encoded, false);
  assert.equal('authorizer' in e.requestContext, false);
});

test('binary bodies are base64 when the Content-Type matches binaryMediaTypes', async (t) => {
  const invoker = inProcessInvoker({ 'svc-dev-up': (e) => ({ statusCode: 200, body: JSON.stringify({ body: e.body, b64: e.isBase64Encoded }) }) });
  const g = await startGateway(t, service([fn('up', [http('POST', 'up')])], { binaryMediaTypes: ['image/*', 'application/octet-stream'] }), invoker);
  const bytes = Buffer.from([0, 255, 1, 254, 10]);
  const bin = await json(await fetch(`${g.url}/dev/up`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: bytes }));
  assert.deepEqual(bin, { body: bytes.toString('base64'), b64: true });
  const text = await json(await fetch(`${g.url}/dev/up`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'héllo' }));
  assert.deepEqual(text, { body: 'héllo', b64: false });
});

test('responses: status, headers merged with multiValueHeaders, base64 bodies, default content type', async (t) => {
  let next: unknown;
  const invoker = inProcessInvoker({ 'svc-dev-r': () => next });
  const g = await startGateway(t, service([fn('r', [http('GET', 'r')])]), invoker);
  const call = async (value: unknown) => { next = value; return rawRequest(`${g.url}/dev/r`, 'GET', []); };

  let r = await call({ statusCode: 201, headers: { 'X-One': '1', 'X-Both': 'single', 'X-Flag': true }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'], 'x-both': ['m1', 'm2'] }, body: 'made' });
  assert.equal(r.status, 201);
  assert.equal(r.headers['x-one'], '1');
  assert.equal(r.headers['x-flag'], 'true');
  assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
  assert.equal(r.headers['x-both'], 'm1, m2', 'multiValueHeaders win over headers');
  assert.equal(r.headers['content-type'], 'application/json', 'default Content-Type');
  assert.equal(r.body.toString(), 'made');

  r = await call({ statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: Buffer.from([1, 2, 3]).toString('base64'), isBase64Encoded: true });
  assert.deepEqual([...r.body], [1, 2, 3]);
  assert.equal(r.headers['content-type'], 'image/png');

  r = await call({ statusCode: '204' });
  assert.equal(r.status, 204, 'a numeric string statusCode is accepted');

  r = await call({ headers: { 'x-only': 'h' } });
  assert.equal(r.status, 200, 'REST defaults a missing statusCode to 200');
  assert.equal(r.body.length, 0);
});

test('malformed proxy responses are 502 Internal server error', async (t) => {
  let next: unknown;
  const invoker = inProcessInvoker({ 'svc-dev-r': () => next });
  const g = await startGateway(t, service([fn('r', [http('GET', 'r')])]), invoker);
  const cases: unknown[] = [
    { statusCode: 200, body: { not: 'a string' } },
    { statusCode: 200, extra: 1 },
    { statusCode: 'abc' },
    { statusCode: 200, headers: { n: 5 } },
    { statusCode: 200, multiValueHeaders: { a: 'not-a-list' } },
    'a bare string',
    null,
    [1, 2],
  ];
  for (const c of cases) {
    next = c;
    const r = await fetch(`${g.url}/dev/r`);
    assert.equal(r.status, 502, JSON.stringify(c));
    assert.equal(await r.text(), '{"message": "Internal server error"}');
    assert.equal(r.headers.get('x-amzn-errortype'), 'InternalServerErrorException');
  }
  assert.ok(g.log.lines.some((l) => l.includes('Malformed Lambda proxy response')));
});

test('required request parameters are enforced with API Gateway\'s 400 message', async (t) => {
  const invoker = inProcessInvoker({ 'svc-dev-p': () => ({ statusCode: 200, body: 'ok' }) });
  const spec = service([fn('p', [http('GET', 'ice-cream/{person}', { requiredParameters: { paths: ['person'], querystrings: ['size', 'cone'], headers: ['X-Shop'] } })])]);
  const g = await startGateway(t, spec, invoker);
  let r = await fetch(`${g.url}/dev/ice-cream/ana?size=1`);
  assert.equal(r.status, 400);
  assert.deepEqual(await json(r), { message: 'Missing required request parameters: [X-Shop, cone]' });
  assert.equal(r.headers.get('x-amzn-errortype'), 'BadRequestException');
  assert.equal(invoker.calls.length, 0);
  r = await fetch(`${g.url}/dev/ice-cream/ana?size=1&cone=`, { headers: { 'x-shop': 'main' } });
  assert.equal(r.status, 200);
});

test('integration: lambda passes Serverless\'s template event and returns the raw result', async (t) => {
  const invoker = inProcessInvoker({
    'svc-dev-legacy': (e) => {
      if (e.body.fail) throw new Error('[404] no such flavour');
      return { got: e };
    },
  });
  const g = await startGateway(t, service([fn('legacy', [http('POST', 'legacy/{id}', { integration: 'lambda' })])]), invoker);
  const r = await fetch(`${g.url}/dev/legacy/7?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Trace': 't' }, body: '{"flavour":"mint"}' });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json');
  const { got } = await json(r);
  assert.deepEqual(got.body, { flavour: 'mint' });
  assert.equal(got.method, 'POST');
  assert.equal(got.stage, 'dev');
  assert.deepEqual(got.path, { id: '7' });
  assert.deepEqual(got.query, { x: '1' });
  assert.equal(got.headers['X-Trace'], 't');
  assert.equal(got.requestPath, '/legacy/{id}');
  assert.equal(got.identity.sourceIp, '127.0.0.1');
  const failed = await fetch(`${g.url}/dev/legacy/7`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"fail":true}' });
  assert.equal(failed.status, 404, 'the [404] selection pattern Serverless configures');
  assert.equal((await json(failed)).errorMessage, '[404] no such flavour');
});
