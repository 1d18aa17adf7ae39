// Gateway-generated errors and limits, as API Gateway gives them: function failures, the
// integration timeout, throttling, oversized bodies, and a gateway that survives all of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { fn, http, httpApi, InvokeStatus, inProcessInvoker, service, startGateway } from './helpers.ts';
import { MAX_REQUEST_BODY_BYTES } from '../../src/gateway/index.ts';
import type { Invoker } from '../../src/invoke/types.ts';

function both(handler: (e: any) => unknown) {
  const invoker = inProcessInvoker({ 'svc-dev-f': handler });
  return { invoker, spec: service([fn('f', [http('POST', 'f'), httpApi('POST', '/f')])]) };
}

test('function errors and crashes: REST 502, HTTP API 500', async (t) => {
  let mode = 'throw';
  const { invoker, spec } = both(() => {
    if (mode === 'throw') throw new Error('boom');
    throw new InvokeStatus('unhandled-error');
  });
  const g = await startGateway(t, spec, invoker);
  for (const m of ['throw', 'crash']) {
    mode = m;
    const rest = await fetch(`${g.url}/dev/f`, { method: 'POST' });
    assert.equal(rest.status, 502);
    assert.equal(await rest.text(), '{"message": "Internal server error"}');
    assert.equal(rest.headers.get('x-amzn-errortype'), 'InternalServerErrorException');
    assert.ok(rest.headers.get('x-amzn-requestid'));
    const v2 = await fetch(`${g.url}/f`, { method: 'POST' });
    assert.equal(v2.status, 500);
    assert.equal(await v2.text(), '{"message":"Internal Server Error"}');
    assert.ok(v2.headers.get('apigw-requestid'));
  }
});

test('integration timeout: REST 504 Endpoint request timed out, HTTP API 503', async (t) => {
  let finished = 0;
  const { invoker, spec } = both(async () => { await new Promise((r) => setTimeout(r, 400)); finished++; return { statusCode: 200 }; });
  const g = await startGateway(t, spec, invoker, { integrationTimeoutMs: 50 });
  const rest = await fetch(`${g.url}/dev/f`, { method: 'POST' });
  assert.equal(rest.status, 504);
  assert.equal(await rest.text(), '{"message": "Endpoint request timed out"}');
  const v2 = await fetch(`${g.url}/f`, { method: 'POST' });
  assert.equal(v2.status, 503);
  assert.equal(await v2.text(), '{"message":"Service Unavailable"}');
  assert.equal(finished, 0, 'the gateway answered before the function finished');
  while (finished < 2) await new Promise((r) => setTimeout(r, 20));   // the function runs on, as on AWS
});

test('a throttled invocation: REST 500 (Lambda throttles are not passed through), HTTP API 429', async (t) => {
  const { invoker, spec } = both(() => { throw new InvokeStatus('throttled'); });
  const g = await startGateway(t, spec, invoker);
  const rest = await fetch(`${g.url}/dev/f`, { method: 'POST' });
  assert.equal(rest.status, 500);
  assert.equal(await rest.text(), '{"message": "Internal server error"}');
  const v2 = await fetch(`${g.url}/f`, { method: 'POST' });
  assert.equal(v2.status, 429);
  assert.equal(await v2.text(), '{"message":"Too Many Requests"}');
});

test('an invoker that throws or rejects does not take the gateway down', async (t) => {
  let syncThrow = true;
  const invoker: Invoker = {
    invoke(name) {
      if (name === 'svc-dev-ok') return Promise.resolve({ requestId: 'r', status: 'ok', payload: Buffer.from('{"statusCode":200,"body":"fine"}'), executedVersion: '$LATEST' });
      if (syncThrow) throw new Error('invoker exploded');
      return Promise.reject(new Error('invoker rejected'));
    },
  };
  const spec = service([fn('f', [http('POST', 'f'), httpApi('POST', '/f')]), fn('ok', [http('GET', 'ok')])]);
  const g = await startGateway(t, spec, invoker);
  assert.equal((await fetch(`${g.url}/dev/f`, { method: 'POST' })).status, 502);
  syncThrow = false;
  assert.equal((await fetch(`${g.url}/dev/f`, { method: 'POST' })).status, 502);
  assert.equal((await fetch(`${g.url}/f`, { method: 'POST' })).status, 500);
  assert.equal(await (await fetch(`${g.url}/dev/ok`)).text(), 'fine', 'still serving');
  assert.ok(g.log.lines.some((l) => l.includes('invoker exploded')));
});

/** Streams `size` bytes (chunked, or with a Content-Length) and returns the status the gateway gave. */
function postBig(url: string, size: number, declareLength: boolean): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (declareLength) headers['content-length'] = String(size);
    const req = request(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body, sent }));
    });
    let sent = 0;
    req.on('error', (err) => (sent > 0 ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 1);
    const pump = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) { req.once('drain', pump); return; }
      }
      req.end();
    };
    pump();
  });
}

test('request bodies over 10 MB: REST 413 Request Too Long, HTTP API 413; the function is never called', async (t) => {
  const { invoker, spec } = both(() => ({ statusCode: 200 }));
  const g = await startGateway(t, spec, invoker);
  const over = MAX_REQUEST_BODY_BYTES + 1;
  const declared = await postBig(`${g.url}/dev/f`, over, true);
  assert.equal(declared.status, 413);
  assert.equal(declared.body, '{"message":"Request Too Long"}');
  const chunked = await postBig(`${g.url}/f`, over, false);
  assert.equal(chunked.status, 413);
  assert.equal(chunked.body, '{"message":"Request Entity Too Large"}');
  assert.equal(invoker.calls.length, 0);
  const exact = await postBig(`${g.url}/dev/f`, MAX_REQUEST_BODY_BYTES, false);
  assert.equal(exact.status, 200, 'exactly 10 MB is accepted');
  assert.equal(invoker.calls.length, 1);
});
