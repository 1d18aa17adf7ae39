// Asynchronous invocation through `gannet dev`, as a new user meets it: an Event invoke through
// @aws-sdk/client-lambda of a function that always throws is retried as configured, then its
// destination record (aws-compat §5) reaches the SQS queue named by !GetAtt; successes reach an
// on-success function; a function with only a DLQ (`onError`) sends the event there; an SNS
// destination publishes the record.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { startGannetDev, type GannetDev } from '../helpers/gannet-process.ts';
import { eventually, printed } from '../helpers/function-output.ts';
import { runGannet } from '../helpers/cli.ts';

const dir = fileURLToPath(new URL('./fixtures/async', import.meta.url));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const FN_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:async-e2e-dev-';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

type Attempt = { fn: string; id: string; requestId: string };

describe('async invocation under gannet dev', { concurrency: true }, () => {
  let dev: GannetDev;
  let dataDir: string;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  const queueUrl = (name: string) => `${dev.awsUrl}/000000000000/async-e2e-${name}`;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gannet-async-'));
    // Lambda waits ~1 min, then ~2 min between attempts; scaled to 60 ms and 120 ms here.
    dev = await startGannetDev(undefined, dir, ['--no-watch', '--spares', '0', '--data-dir', dataDir, '--retry-delay-scale', '0.001']);
    lambda = new LambdaClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
    sqs = new SQSClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
  });
  after(async () => {
    lambda?.destroy();
    sqs?.destroy();
    await dev?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const invokeEvent = async (fn: string, event: unknown) => {
    const out = await lambda.send(new InvokeCommand({
      FunctionName: `async-e2e-dev-${fn}`, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(event)),
    }));
    assert.equal(out.StatusCode, 202);
    assert.match(out.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
    return out.$metadata.requestId!;
  };

  /**
   * The attempts the function printed for `id`, once at least `count` are there. gannet dev's
   * stdout and the endpoint's answers travel on different pipes, so a line may arrive after the
   * message its invocation led to.
   */
  const attemptsOf = (id: string, count: number) => eventually(`${count} attempt(s) of ${id}`, () => {
    const seen = printed<Attempt>(dev.stdout(), 'ATTEMPT').filter((a) => a.id === id);
    return seen.length >= count ? seen : undefined;
  });

  /** The first message on `queue` whose body passes `match`, received with the SDK (long polling). */
  const receive = (queue: string, match: (m: Message) => boolean) => eventually(`a message on ${queue}`, async () => {
    const r = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: queueUrl(queue), WaitTimeSeconds: 1, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'],
    }));
    return r.Messages?.find(match);
  });

  test('a failing async function\'s event reaches its on-failure SQS destination after the configured retries', async () => {
    const id = `doomed-${Date.now()}`;
    const event = { id, order: { items: [1, 2, 3] } };
    const requestId = await invokeEvent('doomed', event);

    const msg = await receive('failures', (m) => m.Body!.includes(id));
    const record = JSON.parse(msg.Body!);
    assert.deepEqual(Object.keys(record).sort(), ['requestContext', 'requestPayload', 'responseContext', 'responsePayload', 'timestamp', 'version']);
    assert.equal(record.version, '1.0');
    assert.match(record.timestamp, ISO);
    assert.deepEqual(record.requestContext, {
      requestId, functionArn: `${FN_ARN}doomed:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 2,
    });
    assert.deepEqual(record.requestPayload, event, 'the original event, embedded as JSON');
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    assert.equal(record.responsePayload.errorType, 'Error');
    assert.equal(record.responsePayload.errorMessage, `cannot handle ${id}`);
    assert.ok(Array.isArray(record.responsePayload.trace), JSON.stringify(record.responsePayload));

    // maximumRetryAttempts 1: the first attempt and one retry, both under the event's request id.
    const attempts = await attemptsOf(id, 2);
    assert.deepEqual(attempts.map((a) => a.requestId), [requestId, requestId]);
    assert.ok(Date.parse(record.timestamp) <= Date.now());
  });

  test('a successful async invocation hands its Success record to the on-success function', async () => {
    const id = `fine-${Date.now()}`;
    const requestId = await invokeEvent('fine', { id });
    const record = await eventually('the Success record at the collector', () =>
      printed<{ timestamp: string; requestContext: { requestId: string } }>(dev.stdout(), 'COLLECTED').find((r) => r.requestContext.requestId === requestId));
    assert.deepEqual(record, {
      version: '1.0',
      timestamp: record.timestamp,
      requestContext: { requestId, functionArn: `${FN_ARN}fine:$LATEST`, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { id },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { handled: id },
    });
    assert.match(record.timestamp, ISO);
  });

  test('events throttled while a synchronous call holds the only instance wait and run once, without using up retries', async () => {
    const tag = Date.now();
    const flag = join(dataDir, `holding-${tag}`);
    const holding = lambda.send(new InvokeCommand({
      FunctionName: 'async-e2e-dev-limited', Payload: new TextEncoder().encode(JSON.stringify({ id: `hold-${tag}`, ms: 1500, flag })),
    }));
    await eventually('the synchronous call to hold the instance', () => existsSync(flag));
    const requestIds = [await invokeEvent('limited', { id: `a-${tag}` }), await invokeEvent('limited', { id: `b-${tag}` })];
    assert.equal((await holding).FunctionError, undefined);
    type Collected = { requestContext: { requestId: string; condition: string; approximateInvokeCount: number }; responsePayload: unknown };
    const records = await eventually('both Success records', () => {
      const got = printed<Collected>(dev.stdout(), 'COLLECTED').filter((r) => requestIds.includes(r.requestContext.requestId));
      return got.length >= 2 ? got : undefined;
    });
    for (const r of records) {
      assert.equal(r.requestContext.condition, 'Success');
      assert.equal(r.requestContext.approximateInvokeCount, 1, 'throttles are not attempts');
    }
    assert.deepEqual(records.map((r) => (r.responsePayload as { limited: string }).limited).sort(), [`a-${tag}`, `b-${tag}`]);
    const runs = printed<{ id: string }>(dev.stdout(), 'LIMITED').filter((r) => r.id.endsWith(`-${tag}`)).map((r) => r.id);
    assert.deepEqual(runs.sort(), [`a-${tag}`, `b-${tag}`, `hold-${tag}`], 'each event ran once');
    // The invocation records show the throttles the events waited out.
    const logs = await runGannet(['logs', dir, '--data-dir', dataDir, '-f', 'limited']);
    assert.equal(logs.code, 0, logs.stderr);
    const throttles = logs.stdout.split('\n').filter((l) => l.includes('\tTHROTTLED\t'));
    assert.ok(throttles.some((l) => requestIds.some((id) => l.includes(id))), logs.stdout);
    assert.match(throttles[0]!, /\tReservedFunctionConcurrentInvocationLimitExceeded$/);
  });

  test('with only a dead-letter queue (onError), the original event goes there with RequestID, ErrorCode and ErrorMessage', async () => {
    const id = `dlq-${Date.now()}`;
    const requestId = await invokeEvent('deadLettered', { id });
    const msg = await receive('dead-letters', (m) => m.Body!.includes(id));
    assert.deepEqual(JSON.parse(msg.Body!), { id }, 'the body is the event itself, not a record');
    const attrs = msg.MessageAttributes ?? {};
    assert.deepEqual(attrs.RequestID, { DataType: 'String', StringValue: requestId });
    assert.deepEqual(attrs.ErrorCode, { DataType: 'String', StringValue: '200' });
    assert.deepEqual(attrs.ErrorMessage, { DataType: 'String', StringValue: `cannot handle ${id}` });
    const attempts = await attemptsOf(id, 1);
    assert.deepEqual(attempts.map((a) => a.requestId), [requestId], 'maximumRetryAttempts 0: no retry');
  });

  test('an SNS topic as on-failure destination publishes the record to its subscribers', async () => {
    const id = `sns-${Date.now()}`;
    const requestId = await invokeEvent('announced', { id });
    const msg = await receive('alarm-inbox', (m) => m.Body!.includes(id));
    const record = JSON.parse(msg.Body!);
    assert.equal(record.requestContext.requestId, requestId);
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, 1);
    assert.equal(record.requestContext.functionArn, `${FN_ARN}announced:$LATEST`);
    assert.deepEqual(record.requestPayload, { id });
  });
});
