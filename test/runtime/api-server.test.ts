// The Runtime API contract over real HTTP: paths, headers on `next`, answers and their statuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRuntimeApi, MAX_RESPONSE_BYTES, type RuntimeApiSession } from '../../src/runtime/index.ts';
import type { InvocationEvent } from '../../src/pool/types.ts';
import { collectingLogger } from '../pool/helpers.ts';

async function session(t: import('node:test').TestContext): Promise<RuntimeApiSession> {
  const api = startRuntimeApi({ log: collectingLogger() });
  t.after(() => api.close());
  return api.openSession();
}

const base = (s: RuntimeApiSession) => `http://${s.address}/2018-06-01/runtime`;

function event(over: Partial<InvocationEvent> = {}): InvocationEvent {
  return {
    requestId: '8476a536-e9f4-11e8-9739-2dfe598c3fcd',
    payload: Buffer.from('{"hello":"world"}'),
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-fn:live',
    ...over,
  };
}

test('AWS_LAMBDA_RUNTIME_API is host:port without a scheme', async (t) => {
  const s = await session(t);
  assert.match(s.address, /^127\.0\.0\.1:\d+$/);
});

test('next delivers the event with the documented headers, then the response is accepted with 202', async (t) => {
  const s = await session(t);
  const clientContext = { client: { app_title: 'demo' }, custom: { k: 'v' } };
  const answer = s.invoke(event({
    traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1',
    clientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64'),
    cognitoIdentity: '{"cognitoIdentityId":"id-1","cognitoIdentityPoolId":"pool-1"}',
  }), 1_700_000_000_123);
  const next = await fetch(`${base(s)}/invocation/next`);
  assert.equal(next.status, 200);
  assert.equal(await next.text(), '{"hello":"world"}');
  assert.equal(next.headers.get('lambda-runtime-aws-request-id'), '8476a536-e9f4-11e8-9739-2dfe598c3fcd');
  assert.equal(next.headers.get('lambda-runtime-deadline-ms'), '1700000000123');
  assert.equal(next.headers.get('lambda-runtime-invoked-function-arn'), 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-fn:live');
  assert.equal(next.headers.get('lambda-runtime-trace-id'), 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1');
  assert.deepEqual(JSON.parse(next.headers.get('lambda-runtime-client-context')!), clientContext);
  assert.equal(next.headers.get('lambda-runtime-cognito-identity'), '{"cognitoIdentityId":"id-1","cognitoIdentityPoolId":"pool-1"}');
  assert.equal(next.headers.get('content-type'), 'application/json');

  const posted = await fetch(`${base(s)}/invocation/8476a536-e9f4-11e8-9739-2dfe598c3fcd/response`, { method: 'POST', body: '{"ok":true}' });
  assert.equal(posted.status, 202);
  assert.deepEqual(await posted.json(), { status: 'OK' });
  const result = await answer;
  assert.equal(result.kind, 'response');
  assert.equal(result.kind === 'response' && result.payload.toString(), '{"ok":true}');
  assert.deepEqual(await s.ready, { ok: true });
});

test('next long-polls until an event arrives; optional headers are absent when not given', async (t) => {
  const s = await session(t);
  const next = fetch(`${base(s)}/invocation/next`);
  await s.ready; // the runtime is waiting: init is over
  const answer = s.invoke(event(), Date.now() + 3000);
  const res = await next;
  assert.equal(res.headers.get('lambda-runtime-client-context'), null);
  assert.equal(res.headers.get('lambda-runtime-cognito-identity'), null);
  assert.equal(res.headers.get('lambda-runtime-trace-id'), null);
  await res.arrayBuffer();
  await fetch(`${base(s)}/invocation/${event().requestId}/response`, { method: 'POST', body: 'null' });
  assert.equal((await answer).kind, 'response');
});

test('an error is passed through verbatim with its type; a second answer gets 400 InvalidRequestID', async (t) => {
  const s = await session(t);
  const answer = s.invoke(event(), Date.now() + 3000);
  await (await fetch(`${base(s)}/invocation/next`)).arrayBuffer();
  const body = '{"errorMessage":"boom","errorType":"Error","stackTrace":["at handler (index.js:3:9)"]}';
  const res = await fetch(`${base(s)}/invocation/${event().requestId}/error`, {
    method: 'POST', body, headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.UnknownReason' },
  });
  assert.equal(res.status, 202);
  const result = await answer;
  assert.equal(result.kind, 'error');
  if (result.kind === 'error') {
    assert.equal(result.payload.toString(), body);
    assert.equal(result.errorType, 'Error');
  }
  const again = await fetch(`${base(s)}/invocation/${event().requestId}/response`, { method: 'POST', body: '1' });
  assert.equal(again.status, 400);
  assert.deepEqual(await again.json(), { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
});

test('the error type comes from the header when the body has none', async (t) => {
  const s = await session(t);
  const answer = s.invoke(event(), Date.now() + 3000);
  await (await fetch(`${base(s)}/invocation/next`)).arrayBuffer();
  await fetch(`${base(s)}/invocation/${event().requestId}/error`, {
    method: 'POST', body: 'not json', headers: { 'Lambda-Runtime-Function-Error-Type': 'Custom.Kind' },
  });
  const result = await answer;
  assert.equal(result.kind === 'error' && result.errorType, 'Custom.Kind');
});

test('an answer for an unknown request id is refused with 400', async (t) => {
  const s = await session(t);
  const res = await fetch(`${base(s)}/invocation/not-a-real-id/response`, { method: 'POST', body: '{}' });
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { errorType: string }).errorType, 'InvalidRequestID');
});

test('a response over 6 MB gets 413 and the invocation fails as too large', async (t) => {
  const s = await session(t);
  const answer = s.invoke(event(), Date.now() + 3000);
  await (await fetch(`${base(s)}/invocation/next`)).arrayBuffer();
  const size = MAX_RESPONSE_BYTES + 1;
  const res = await fetch(`${base(s)}/invocation/${event().requestId}/response`, { method: 'POST', body: Buffer.alloc(size, 0x61) });
  assert.equal(res.status, 413);
  assert.deepEqual(await res.json(), {
    errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).', errorType: 'RequestEntityTooLarge',
  });
  assert.deepEqual(await answer, { kind: 'too-large', size });
});

test('a response of exactly 6,291,556 bytes is accepted', async (t) => {
  const s = await session(t);
  const answer = s.invoke(event(), Date.now() + 3000);
  await (await fetch(`${base(s)}/invocation/next`)).arrayBuffer();
  const res = await fetch(`${base(s)}/invocation/${event().requestId}/response`, { method: 'POST', body: Buffer.alloc(MAX_RESPONSE_BYTES, 0x61) });
  assert.equal(res.status, 202);
  const result = await answer;
  assert.equal(result.kind === 'response' && result.payload.length, MAX_RESPONSE_BYTES);
});

test('init/error before the first next is accepted; after it, 403 InvalidStateTransition', async (t) => {
  const failing = await session(t);
  const res = await fetch(`${base(failing)}/init/error`, {
    method: 'POST', body: '{"errorMessage":"no config","errorType":"Custom.Init"}', headers: { 'Lambda-Runtime-Function-Error-Type': 'Custom.Init' },
  });
  assert.equal(res.status, 202);
  const init = await failing.ready;
  assert.equal(init.ok, false);
  assert.equal(!init.ok && init.errorType, 'Custom.Init');
  assert.equal(!init.ok && init.payload.toString(), '{"errorMessage":"no config","errorType":"Custom.Init"}');

  const started = await session(t);
  const next = fetch(`${base(started)}/invocation/next`);
  await started.ready;
  const late = await fetch(`${base(started)}/init/error`, { method: 'POST', body: '{}' });
  assert.equal(late.status, 403);
  assert.equal(((await late.json()) as { errorType: string }).errorType, 'InvalidStateTransition');
  void next.catch(() => {});
});

test('unknown paths and wrong methods are refused', async (t) => {
  const s = await session(t);
  assert.equal((await fetch(`http://${s.address}/2018-06-01/runtime/whatever`)).status, 404);
  assert.equal((await fetch(`${base(s)}/invocation/next`, { method: 'POST', body: '' })).status, 405);
});
