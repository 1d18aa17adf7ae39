// Lambda Invoke through the real @aws-sdk/client-lambda against Gannet's AWS endpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { handlerFunction, startLambdaEndpoint, type LambdaEndpoint } from './lambda-harness.ts';

const FUNCTIONS = [
  handlerFunction('echo', 'echo'),
  handlerFunction('fail', 'fail'),
  handlerFunction('context', 'context'),
  handlerFunction('record', 'record'),
  handlerFunction('hold', 'hold', { reservedConcurrency: 1 }),
];

const json = (bytes: Uint8Array | undefined) => JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));
const payload = (value: unknown) => Buffer.from(JSON.stringify(value));

async function rejects(p: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number; requestId?: string }; [k: string]: unknown }> {
  try { await p; } catch (err) { return err as never; }
  assert.fail('expected the call to fail');
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('Lambda Invoke via the SDK', async (t) => {
  const gw: LambdaEndpoint = await startLambdaEndpoint(t, FUNCTIONS);
  const { lambda } = gw;

  await t.test('RequestResponse returns 200, the payload, the executed version and the request id', async () => {
    const out: InvokeCommandOutput = await lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-echo', Payload: payload({ hello: 'world' }) }));
    assert.equal(out.StatusCode, 200);
    assert.deepEqual(json(out.Payload), { hello: 'world' });
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.equal(out.FunctionError, undefined);
    assert.equal(out.LogResult, undefined);
    const ctx = await lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-context' }));
    const body = json(ctx.Payload);
    assert.equal(ctx.$metadata.requestId, body.awsRequestId, 'x-amzn-RequestId is the invocation id');
    assert.equal(body.functionName, 'svc-dev-context');
  });

  await t.test('an empty payload reaches the handler as {}', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-echo' }));
    assert.deepEqual(json(out.Payload), {});
  });

  await t.test('FunctionName as partial ARN, full ARN, with :$LATEST and Qualifier', async () => {
    for (const FunctionName of ['000000000000:function:svc-dev-echo', 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-echo',
      'svc-dev-echo:$LATEST', 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-echo:$LATEST']) {
      const out = await lambda.send(new InvokeCommand({ FunctionName, Payload: payload({ n: FunctionName }) }));
      assert.deepEqual(json(out.Payload), { n: FunctionName }, FunctionName);
    }
    const q = await lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-context', Qualifier: '$LATEST' }));
    assert.equal(json(q.Payload).invokedFunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-context:$LATEST');
  });

  await t.test('a function error is 200 with X-Amz-Function-Error: Unhandled and the error payload', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-fail' }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const err = json(out.Payload);
    assert.equal(err.errorType, 'TypeError');
    assert.equal(err.errorMessage, 'boom: this handler always fails');
  });

  await t.test('LogType Tail returns base64 of the invocation log tail', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-echo', LogType: 'Tail', Payload: payload({ a: 1 }) }));
    assert.ok(out.LogResult);
    const text = Buffer.from(out.LogResult, 'base64').toString('utf8');
    assert.match(text, new RegExp(`START RequestId: ${out.$metadata.requestId} Version: \\$LATEST`));
    assert.match(text, new RegExp(`REPORT RequestId: ${out.$metadata.requestId}\\tDuration: `));
    assert.match(text, /echo handler got \{"a":1\}/, 'the function\'s own output is in the tail');
    assert.ok(Buffer.from(out.LogResult, 'base64').length <= 4096);
  });

  await t.test('X-Amz-Client-Context reaches the handler', async () => {
    const clientContext = { client: { installation_id: 'abc' }, custom: { tenant: 't1' }, env: { locale: 'en' } };
    const out = await lambda.send(new InvokeCommand({
      FunctionName: 'svc-dev-context', ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64'),
    }));
    assert.deepEqual(json(out.Payload).clientContext, clientContext);
    const bad = await rejects(lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-context', ClientContext: Buffer.from('not json').toString('base64') })));
    assert.equal(bad.name, 'InvalidRequestContentException');
    const big = await rejects(lambda.send(new InvokeCommand({
      FunctionName: 'svc-dev-context', ClientContext: Buffer.from(JSON.stringify({ custom: { x: 'y'.repeat(3600) } })).toString('base64'),
    })));
    assert.equal(big.name, 'InvalidParameterValueException');
  });

  await t.test('Event is 202 with an empty body, and the function runs', async () => {
    const file = join(gw.dir, 'event-ran.json');
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-record', InvocationType: 'Event', Payload: payload({ file, x: 1 }) }));
    assert.equal(out.StatusCode, 202);
    assert.equal(Buffer.from(out.Payload ?? []).length, 0);
    assert.ok(out.$metadata.requestId);
    await until(() => existsSync(file), 'the async invocation');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { file, x: 1 });
  });

  await t.test('DryRun is 204 and runs nothing; it still checks the function exists', async () => {
    const file = join(gw.dir, 'dry-run.json');
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-record', InvocationType: 'DryRun', Payload: payload({ file }) }));
    assert.equal(out.StatusCode, 204);
    assert.equal(existsSync(file), false);
    const err = await rejects(lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-nope', InvocationType: 'DryRun' })));
    assert.equal(err.name, 'ResourceNotFoundException');
  });

  await t.test('unknown function: 404 ResourceNotFoundException with the ARN', async () => {
    const err = await rejects(lambda.send(new InvokeCommand({ FunctionName: 'nope' })));
    assert.equal(err.name, 'ResourceNotFoundException');
    assert.equal(err.message, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope');
    assert.equal(err.$metadata.httpStatusCode, 404);
    assert.ok(err.$metadata.requestId);
    assert.equal(err.Type, 'User');
    // On the wire: the code in x-amzn-ErrorType, and the body as Lambda's model spells it.
    const res = await fetch(`${gw.endpoint}/2015-03-31/functions/nope/invocations`, { method: 'POST', body: '{}' });
    assert.equal(res.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
    assert.deepEqual(await res.json(), { Type: 'User', Message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope' });
  });

  await t.test('qualifiers: unknown is not found, a mismatch is an invalid parameter', async () => {
    const notFound = await rejects(lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-echo', Qualifier: 'prod' })));
    assert.equal(notFound.name, 'ResourceNotFoundException');
    assert.equal(notFound.message, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:svc-dev-echo:prod');
    const mismatch = await rejects(lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-echo:prod', Qualifier: '$LATEST' })));
    assert.equal(mismatch.name, 'InvalidParameterValueException');
    assert.equal(mismatch.$metadata.httpStatusCode, 400);
  });

  await t.test('a payload that is not JSON: 400 InvalidRequestContentException', async () => {
    const err = await rejects(lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-echo', Payload: Buffer.from('{not json') })));
    assert.equal(err.name, 'InvalidRequestContentException');
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.match(err.message, /^Could not parse request body into json: Could not parse payload into json: /);
  });

  await t.test('payload limits: 6 MB sync and 1 MB async, 413 with Lambda\'s messages', async () => {
    const sync = await rejects(lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-echo', Payload: payload('x'.repeat(6_291_456)) })));
    assert.equal(sync.$metadata.httpStatusCode, 413);
    assert.equal(sync.name, 'RequestEntityTooLargeException');
    assert.equal(sync.message, 'Request must be smaller than 6291456 bytes for the InvokeFunction operation');
    const asyncErr = await rejects(lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-echo', InvocationType: 'Event', Payload: payload('x'.repeat(1_048_575)) })));
    assert.equal(asyncErr.$metadata.httpStatusCode, 413);
    assert.equal(asyncErr.message, '1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)');
    const file = join(gw.dir, 'async-at-limit.json');
    const exact = JSON.stringify({ file, pad: '' });
    const atLimit = await lambda.send(new InvokeCommand({
      FunctionName: 'svc-dev-record', InvocationType: 'Event', Payload: payload({ file, pad: 'y'.repeat(1_048_576 - exact.length) }),
    }));
    assert.equal(atLimit.StatusCode, 202, 'exactly 1 MB is accepted');
  });

  await t.test('beyond reserved concurrency: 429 TooManyRequestsException with the reason', async () => {
    const started = join(gw.dir, 'hold-started');
    const release = join(gw.dir, 'hold-release');
    const first = lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-hold', Payload: payload({ started, release }) }));
    try {
      await until(() => existsSync(started), 'the first invocation to start');
      const err = await rejects(lambda.send(new InvokeCommand({ FunctionName: 'svc-dev-hold', Payload: payload({}) })));
      assert.equal(err.name, 'TooManyRequestsException');
      assert.equal(err.$metadata.httpStatusCode, 429);
      assert.equal(err.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
      assert.equal(err.message, 'Rate Exceeded.');
    } finally {
      writeFileSync(release, '');
    }
    assert.deepEqual(json((await first).Payload), { held: true });
  });

  await t.test('bad invocation and log types are validation errors', async () => {
    const res = await fetch(`${gw.endpoint}/2015-03-31/functions/svc-dev-echo/invocations`, {
      method: 'POST', headers: { 'x-amz-invocation-type': 'Sometimes' }, body: '{}',
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-amzn-errortype'), 'ValidationException');
    assert.ok(res.headers.get('x-amzn-requestid'));
    const body = await res.json() as { Type: string; message: string };
    assert.equal(body.Type, 'User');
    assert.match(body.message, /Value 'Sometimes' at 'invocationType' failed to satisfy constraint/);
  });
});
