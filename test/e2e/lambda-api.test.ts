// The Lambda API through `gannet dev`, as a new user meets it: the AWS CLI and @aws-sdk/client-lambda
// invoke functions of an unmodified example service (sync, Event, Tail logs, list and get), and the
// errors come back as Lambda sends them: function errors, unknown functions, oversized payloads, throttles.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GetFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand,
  RequestTooLargeException, ResourceNotFoundException, TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { startGannetDev, type GannetDev } from '../helpers/gannet-process.ts';
import { awsCli, awsCliJson, awsCliSkip } from '../helpers/aws-cli.ts';
import { eventually } from '../helpers/function-output.ts';

const HELLO = fileURLToPath(new URL('../../examples/hello', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/lambda-api', import.meta.url));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:';

const json = (bytes: Uint8Array | undefined) => JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));
const text = (s: string) => new TextEncoder().encode(s);

/** `gannet dev DIR` on free ports, with its store in a temp dir so the example's folder stays clean. */
async function devOn(dir: string, args: string[] = []): Promise<{ dev: GannetDev; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gannet-lambda-api-'));
  const dev = await startGannetDev(undefined, dir, ['--no-watch', '--spares', '0', '--data-dir', dataDir, ...args]).catch((err) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  return { dev, close: async () => { await dev.stop(); rmSync(dataDir, { recursive: true, force: true }); } };
}

describe('the example service through the AWS CLI', { skip: awsCliSkip }, () => {
  let run: Awaited<ReturnType<typeof devOn>>;
  let work: string;
  const cli = (args: string[]) => awsCli(args, { endpoint: run.dev.awsUrl, cwd: work });

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gannet-cli-out-'));
    run = await devOn(HELLO);
  });
  after(async () => {
    await run?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('lambda invoke (RequestResponse) prints the status and writes the function result to the outfile', async () => {
    const r = await cli(['lambda', 'invoke', '--function-name', 'hello-dev-hello', '--cli-binary-format', 'raw-in-base64-out',
      '--payload', '{"name":"Ada"}', 'out.json', '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { StatusCode: 200, ExecutedVersion: '$LATEST' });
    const result = JSON.parse(readFileSync(join(work, 'out.json'), 'utf8'));
    assert.equal(result.statusCode, 200);
    assert.deepEqual(JSON.parse(result.body), { message: 'Hello, Ada!' });
  });

  test('lambda invoke --invocation-type Event answers 202 and the function runs', async () => {
    const name = `event-${Date.now()}`;
    const r = await cli(['lambda', 'invoke', '--function-name', 'hello-dev-hello', '--invocation-type', 'Event',
      '--cli-binary-format', 'raw-in-base64-out', '--payload', JSON.stringify({ name }), 'event.json', '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { StatusCode: 202 });
    assert.equal(readFileSync(join(work, 'event.json'), 'utf8'), '', 'an Event invoke has no payload');
    await eventually('the queued event to run', () => run.dev.stdout().includes(`greeting ${name}`));
  });

  test('lambda invoke --log-type Tail returns the last log lines, START to REPORT', async () => {
    const r = await cli(['lambda', 'invoke', '--function-name', 'hello-dev-hello', '--log-type', 'Tail',
      '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"name":"Tail"}', 'tail.json', '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.StatusCode, 200);
    const tail = Buffer.from(out.LogResult, 'base64').toString('utf8');
    const lines = tail.trimEnd().split('\n');
    const start = lines.find((l) => l.startsWith('START RequestId: '));
    assert.ok(start, tail);
    const id = /^START RequestId: (\S+) Version: \$LATEST$/.exec(start)![1]!;
    assert.match(tail, new RegExp(`\\t${id}\\tINFO\\tgreeting Tail\\n`));
    assert.ok(lines.includes(`END RequestId: ${id}`), tail);
    assert.match(lines.at(-1)!, new RegExp(`^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 1024 MB\\tMax Memory Used: \\d+ MB`));
  });

  test('list-functions, get-function and get-function-configuration describe the function as Lambda does', async () => {
    const list = await awsCliJson<{ Functions: Record<string, unknown>[] }>(['lambda', 'list-functions'], { endpoint: run.dev.awsUrl });
    assert.deepEqual(list.Functions.map((f) => f.FunctionName), ['hello-dev-hello']);
    const got = await awsCliJson<{ Configuration: Record<string, any>; Code: Record<string, string> }>(
      ['lambda', 'get-function', '--function-name', 'hello-dev-hello'], { endpoint: run.dev.awsUrl });
    const c = got.Configuration;
    assert.equal(c.FunctionArn, `${ARN}hello-dev-hello`);
    assert.equal(c.Runtime, 'nodejs20.x');
    assert.equal(c.Handler, 'handler.hello');
    assert.equal(c.MemorySize, 1024);
    assert.equal(c.Timeout, 6);
    assert.equal(c.State, 'Active');
    assert.deepEqual(c.Environment, { Variables: { GREETING: 'Hello' } });
    assert.match(c.LastModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.deepEqual(list.Functions[0], c, 'ListFunctions lists the same configuration');
    assert.equal(got.Code.RepositoryType, 'S3');
    const config = await awsCliJson<Record<string, unknown>>(['lambda', 'get-function-configuration', '--function-name', `${ARN}hello-dev-hello`], { endpoint: run.dev.awsUrl });
    assert.deepEqual(config, c, 'GetFunctionConfiguration, by ARN, answers the same configuration');
  });

  test('an unknown function fails with ResourceNotFoundException and a non-zero exit', async () => {
    const r = await cli(['lambda', 'invoke', '--function-name', 'hello-dev-nope', 'nope.json']);
    assert.equal(r.code, 254);
    assert.match(r.stderr, /ResourceNotFoundException.*Function not found: arn:aws:lambda:us-east-1:000000000000:function:hello-dev-nope/);
  });
});

describe('the Lambda API through @aws-sdk/client-lambda', () => {
  let run: Awaited<ReturnType<typeof devOn>>;
  let lambda: LambdaClient;

  before(async () => {
    run = await devOn(FIXTURE);
    lambda = new LambdaClient({ endpoint: run.dev.awsUrl, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  after(async () => {
    lambda?.destroy();
    await run?.close();
  });

  test('RequestResponse returns the payload, the executed version and, with Tail, the log tail', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-echo', Payload: text('{"n":1}'), LogType: 'Tail' }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, undefined);
    assert.equal(out.ExecutedVersion, '$LATEST');
    const body = json(out.Payload);
    assert.deepEqual(body.event, { n: 1 });
    assert.equal(body.functionName, 'lambda-api-e2e-dev-echo');
    const tail = Buffer.from(out.LogResult!, 'base64').toString('utf8');
    assert.match(tail, new RegExp(`START RequestId: ${body.requestId} Version: \\$LATEST`));
    assert.match(tail, /\tINFO\techo got \{"n":1\}/);
    assert.match(tail, new RegExp(`END RequestId: ${body.requestId}\\nREPORT RequestId: ${body.requestId}\\t`));
    assert.equal(out.$metadata.requestId, body.requestId, 'x-amzn-RequestId is the function\'s awsRequestId');
  });

  test('a function may be named by name, full ARN, partial ARN, and with $LATEST', async () => {
    for (const name of [`${ARN}lambda-api-e2e-dev-echo`, '000000000000:function:lambda-api-e2e-dev-echo', 'lambda-api-e2e-dev-echo:$LATEST']) {
      const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: text('{}') }));
      assert.equal(out.StatusCode, 200, name);
      assert.equal(json(out.Payload).functionName, 'lambda-api-e2e-dev-echo', name);
    }
  });

  test('Event answers 202 with no payload; DryRun 204', async () => {
    const ev = await lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-echo', InvocationType: 'Event', Payload: text('{"async":true}') }));
    assert.equal(ev.StatusCode, 202);
    assert.equal(Buffer.from(ev.Payload ?? []).length, 0);
    assert.match(ev.$metadata.requestId!, /^[0-9a-f-]{36}$/);
    await eventually('the Event invocation to run', () => run.dev.stdout().includes('echo got {"async":true}'));
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-echo', InvocationType: 'DryRun' }));
    assert.equal(dry.StatusCode, 204);
  });

  test('a function error is a 200 with X-Amz-Function-Error, surfaced as FunctionError, not thrown', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-fail', Payload: text('{}'), LogType: 'Tail' }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(out.ExecutedVersion, '$LATEST');
    const err = json(out.Payload);
    assert.equal(err.errorType, 'TypeError');
    assert.equal(err.errorMessage, "Cannot read properties of undefined (reading 'call')");
    assert.ok(Array.isArray(err.trace) && err.trace[0] === `TypeError: ${err.errorMessage}`, JSON.stringify(err));
    const tail = Buffer.from(out.LogResult!, 'base64').toString('utf8');
    assert.match(tail, /\tINFO\tabout to fail\n/);
    assert.match(tail, /\tERROR\tInvoke Error \t\{"errorType":"TypeError"/);

    // The raw header, as other clients read it.
    const raw = await fetch(`${run.dev.awsUrl}/2015-03-31/functions/lambda-api-e2e-dev-fail/invocations`, {
      method: 'POST', body: '{}',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x' },
    });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get('x-amz-function-error'), 'Unhandled');
    assert.equal(raw.headers.get('x-amz-executed-version'), '$LATEST');
    assert.equal(((await raw.json()) as { errorType: string }).errorType, 'TypeError');
  });

  test('an unknown function or qualifier is ResourceNotFoundException (404)', async () => {
    for (const [name, arn] of [['lambda-api-e2e-dev-nope', `${ARN}lambda-api-e2e-dev-nope`], ['lambda-api-e2e-dev-echo:prod', `${ARN}lambda-api-e2e-dev-echo:prod`]] as const) {
      const err = await lambda.send(new InvokeCommand({ FunctionName: name })).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ResourceNotFoundException, `${name}: ${err}`);
      assert.equal(err.$metadata.httpStatusCode, 404);
      assert.equal(err.message, `Function not found: ${arn}`);
    }
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'lambda-api-e2e-dev-nope' })).then(() => undefined, (e: unknown) => e);
    assert.ok(got instanceof ResourceNotFoundException, String(got));
  });

  test('payloads over 6 MB (sync) and 1 MB (Event) are refused with 413', async () => {
    const big = (bytes: number) => text(JSON.stringify({ pad: 'x'.repeat(bytes) }));
    const sync = await lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-echo', Payload: big(6 * 1024 * 1024) }))
      .then(() => undefined, (e: unknown) => e as { name: string; $metadata: { httpStatusCode: number }; message: string });
    assert.ok(sync, 'a 6 MB+ sync payload must be refused');
    assert.equal(sync.$metadata.httpStatusCode, 413);
    assert.ok(sync.name === 'RequestEntityTooLargeException' || sync instanceof RequestTooLargeException, sync.name);
    assert.match(sync.message, /Request must be smaller than 6291456 bytes for the InvokeFunction operation/);

    const ev = await lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-echo', InvocationType: 'Event', Payload: big(1024 * 1024) }))
      .then(() => undefined, (e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });
    assert.ok(ev, 'a 1 MB+ Event payload must be refused');
    assert.equal(ev.$metadata.httpStatusCode, 413);

    // Just under the limit still runs.
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-echo', Payload: big(5 * 1024 * 1024) }));
    assert.equal(ok.StatusCode, 200);
    assert.equal(ok.FunctionError, undefined);
  });

  test('parallel invokes beyond reservedConcurrency 1 are throttled with TooManyRequestsException (429)', async () => {
    const calls = [0, 1, 2, 3].map(() => lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-slow', Payload: text('{"ms":1500}') }))
      .then((out) => ({ ok: out }), (err: unknown) => ({ err })));
    const results = await Promise.all(calls);
    const ok = results.filter((r) => 'ok' in r);
    const throttled = results.map((r) => ('err' in r ? r.err : undefined)).filter((e) => e !== undefined);
    assert.ok(ok.length >= 1, 'one invocation runs');
    assert.ok(throttled.length >= 1, 'the others are throttled');
    for (const e of throttled) {
      assert.ok(e instanceof TooManyRequestsException, String(e));
      assert.equal(e.$metadata.httpStatusCode, 429);
      assert.equal(e.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    for (const r of ok) assert.deepEqual(json((r as { ok: { Payload?: Uint8Array } }).ok.Payload), { slept: 1500 });
  });

  test('the log tail holds the last 4 KB, ending with REPORT', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-chatty', Payload: text('{"lines":200}'), LogType: 'Tail' }));
    const tail = Buffer.from(out.LogResult!, 'base64');
    assert.equal(tail.length, 4096);
    const lines = tail.toString('utf8').trimEnd().split('\n');
    assert.match(lines.at(-1)!, /^REPORT RequestId: /);
    assert.match(lines.at(-3)!, /\tINFO\tline 199 (é)+$/, 'the last function line precedes END');
  });

  test('a timeout, an oversized answer and a client context reach the caller as Lambda gives them', async () => {
    const timedOut = await lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-sleepy', Payload: text('{"ms":3000}'), LogType: 'Tail' }));
    assert.equal(timedOut.FunctionError, 'Unhandled');
    const timeoutError = json(timedOut.Payload);
    assert.equal(timeoutError.errorType, 'Sandbox.Timedout');
    assert.equal(timeoutError.errorMessage, `RequestId: ${timedOut.$metadata.requestId} Error: Task timed out after 1.00 seconds`);
    assert.match(Buffer.from(timedOut.LogResult!, 'base64').toString('utf8'), /Task timed out after 1\.00 seconds\n.*\n.*\tStatus: timeout\n$/);

    const huge = await lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-huge' }));
    assert.equal(huge.FunctionError, 'Unhandled');
    assert.equal(json(huge.Payload).errorType, 'Function.ResponseSizeTooLarge');

    const clientContext = { custom: { cart: 7 }, env: { locale: 'pt' } };
    const withContext = await lambda.send(new InvokeCommand({
      FunctionName: 'lambda-api-e2e-dev-echo', Payload: text('{}'), ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64'),
    }));
    assert.deepEqual(json(withContext.Payload).clientContext, clientContext);

    const notJson = await lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-echo', Payload: text('not json') }))
      .then(() => undefined, (e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });
    assert.equal(notJson?.name, 'InvalidRequestContentException');
    assert.equal(notJson?.$metadata.httpStatusCode, 400);
  });

  test('ListFunctions pages with MaxItems and Marker', async () => {
    const pages: string[][] = [];
    let marker: string | undefined;
    do {
      const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 4, ...(marker !== undefined && { Marker: marker }) }));
      pages.push(page.Functions!.map((f) => f.FunctionName!));
      marker = page.NextMarker;
    } while (marker !== undefined && pages.length < 5);
    assert.deepEqual(pages, [
      ['chatty', 'echo', 'fail', 'huge'].map((f) => `lambda-api-e2e-dev-${f}`),
      ['sleepy', 'slow'].map((f) => `lambda-api-e2e-dev-${f}`),
    ]);
    const slow = await lambda.send(new GetFunctionCommand({ FunctionName: 'lambda-api-e2e-dev-slow' }));
    assert.deepEqual(slow.Concurrency, { ReservedConcurrentExecutions: 1 });
    assert.deepEqual(slow.Configuration!.Environment, { Variables: { STAGE: 'dev' } });
  });
});
