// Async invocations with the real pool and store: durable acceptance, Lambda's retries, event age,
// destinations, dead-letter queues, throttling and concurrency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GannetError } from '../../src/shared/errors.ts';
import { asyncQueueName, MAX_ASYNC_PAYLOAD_BYTES, queueSinks } from '../../src/invoke/index.ts';
import type { Store } from '../../src/store/types.ts';
import { arnOf, eventually, fixtureFunction, harness, runsIn, skewableClock, tempDir, ACCOUNT, REGION } from './helpers.ts';

const event = { mode: 'async', trigger: { kind: 'lambda-api' } } as const;

const sqsArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

async function createQueue(store: Store, name: string) {
  await store.queues.create({ name, fifo: false, attributes: {}, tags: {}, createdAt: Date.now(), internal: false });
}

async function receiveOne(store: Store, queue: string) {
  return eventually(async () => (await store.queues.claim(queue, 1, 30_000))[0], `a message on ${queue}`);
}

test('an async event is durably queued before invoke resolves, then runs once', async (t) => {
  const runs = join(tempDir(t), 'runs');
  const fn = fixtureFunction('counted', 'counted', { environment: { RUNS_FILE: runs } });
  const h = await harness(t, [fn]);
  const res = await h.invoker.invoke(fn.name, Buffer.from('{"id":"e1"}'), event);
  assert.equal(res.status, 'queued');
  assert.equal(res.payload.length, 0);
  assert.deepEqual(await h.store.queues.counts(asyncQueueName(fn.name)), { visible: 1, inFlight: 0, delayed: 0 });
  assert.deepEqual(runsIn(runs), [], 'nothing runs before the worker starts');
  h.invoker.start();
  await eventually(async () => ((await h.store.queues.counts(asyncQueueName(fn.name))).visible + (await h.store.queues.counts(asyncQueueName(fn.name))).inFlight === 0 ? true : undefined), 'the queue drained');
  assert.deepEqual(runsIn(runs), ['e1']);
  const [rec] = await eventually(async () => { const r = await h.store.records.query({ functionName: fn.name }); return r.length ? r : undefined; }, 'a record');
  assert.equal(rec!.requestId, res.requestId, 'the async request id is the invocation\'s');
  assert.equal(rec!.trigger, 'lambda-api');
});

test('payloads over 1 MB are refused with Lambda\'s 413', async (t) => {
  const fn = fixtureFunction('ok', 'ok');
  const h = await harness(t, [fn]);
  await assert.rejects(h.invoker.invoke(fn.name, Buffer.alloc(MAX_ASYNC_PAYLOAD_BYTES + 1, 0x20), event), (err: unknown) =>
    err instanceof GannetError && err.status === 413 && err.awsCode === 'RequestEntityTooLargeException'
    && err.message === `${MAX_ASYNC_PAYLOAD_BYTES + 1} byte payload is too large for the Event invocation type (limit ${MAX_ASYNC_PAYLOAD_BYTES} bytes)`);
  assert.equal((await h.invoker.invoke(fn.name, Buffer.alloc(MAX_ASYNC_PAYLOAD_BYTES, 0x20), event)).status, 'queued');
});

test('a failing function runs 1 + maximumRetryAttempts times, with the scaled delays between, then onFailure gets Lambda\'s record', async (t) => {
  const dir = tempDir(t);
  const runs = join(dir, 'runs');
  const sinkRuns = join(dir, 'sink');
  const sink = fixtureFunction('sink', 'sink', { environment: { RUNS_FILE: sinkRuns } });
  const fn = fixtureFunction('failing', 'counted', {
    environment: { RUNS_FILE: runs, FAIL: '1' },
    destinations: { onFailure: { type: 'function', arn: arnOf(sink.name) } },
  });
  const scale = 0.005; // 60 s → 300 ms, 120 s → 600 ms
  const h = await harness(t, [fn, sink], { retryDelayScale: scale });
  h.invoker.start();
  const res = await h.invoker.invoke(fn.name, Buffer.from('{"id":"x","order":[1,2]}'), event);
  const [line] = await eventually(() => { const l = runsIn(sinkRuns); return l.length ? l : undefined; }, 'the failure record');
  const rec = JSON.parse(line!);
  assert.equal(rec.version, '1.0');
  assert.ok(!Number.isNaN(Date.parse(rec.timestamp)));
  assert.deepEqual(rec.requestContext, {
    requestId: res.requestId, functionArn: `${arnOf(fn.name)}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3,
  });
  assert.deepEqual(rec.requestPayload, { id: 'x', order: [1, 2] });
  assert.deepEqual(rec.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
  assert.equal(rec.responsePayload.errorType, 'Error');
  assert.equal(rec.responsePayload.errorMessage, 'failed x');
  assert.deepEqual(runsIn(runs), ['x', 'x', 'x']);

  const recs = (await h.store.records.query({ functionName: fn.name })).filter((r) => r.requestId === res.requestId);
  assert.deepEqual(recs.map((r) => [r.attempt, r.outcome]), [[1, 'handled-error'], [2, 'handled-error'], [3, 'handled-error']]);
  // A retry is a delayed release: it cannot start before its delay has passed.
  assert.ok(recs[1]!.startedAt - recs[0]!.startedAt >= 60_000 * scale, 'first retry after ~1 min (scaled)');
  assert.ok(recs[2]!.startedAt - recs[1]!.startedAt >= 120_000 * scale, 'second retry after ~2 min more (scaled)');
  assert.deepEqual(await h.store.queues.counts(asyncQueueName(fn.name)), { visible: 0, inFlight: 0, delayed: 0 });
});

test('maximumRetryAttempts 0: one run, then the dead-letter queue gets the event with Lambda\'s attributes', async (t) => {
  const runs = join(tempDir(t), 'runs');
  const fn = fixtureFunction('dlq', 'counted', { environment: { RUNS_FILE: runs, FAIL: '1' }, maximumRetryAttempts: 0, onError: sqsArn('failed-events') });
  const h = await harness(t, [fn], { retryDelayScale: 0.001 });
  await createQueue(h.store, 'failed-events');
  h.invoker.start();
  const res = await h.invoker.invoke(fn.name, Buffer.from('{"id":"d1"}'), event);
  const msg = await receiveOne(h.store, 'failed-events');
  assert.equal(msg.body, '{"id":"d1"}');
  assert.deepEqual(msg.attributes, {
    RequestID: { DataType: 'String', StringValue: res.requestId },
    ErrorCode: { DataType: 'String', StringValue: '200' },
    ErrorMessage: { DataType: 'String', StringValue: 'failed d1' },
  });
  assert.deepEqual(runsIn(runs), ['d1']);
});

test('onSuccess gets the Success record on an SQS queue', async (t) => {
  const fn = fixtureFunction('ok', 'ok', { destinations: { onSuccess: { type: 'sqs', arn: sqsArn('done') } } });
  const h = await harness(t, [fn]);
  await createQueue(h.store, 'done');
  h.invoker.start();
  const res = await h.invoker.invoke(fn.name, Buffer.from('{"n":1}'), event);
  const rec = JSON.parse((await receiveOne(h.store, 'done')).body);
  assert.deepEqual(rec.requestContext, { requestId: res.requestId, functionArn: `${arnOf(fn.name)}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 });
  assert.deepEqual(rec.requestPayload, { n: 1 });
  assert.deepEqual(rec.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
  assert.deepEqual(rec.responsePayload, { ok: true, event: { n: 1 } });
});

test('an event older than maximumEventAge is not run: onFailure gets EventAgeExceeded', async (t) => {
  const runs = join(tempDir(t), 'runs');
  const clock = skewableClock();
  const fn = fixtureFunction('aged', 'counted', {
    environment: { RUNS_FILE: runs }, maximumEventAge: 60, destinations: { onFailure: { type: 'sqs', arn: sqsArn('expired') } },
  });
  const h = await harness(t, [fn], { clock });
  await createQueue(h.store, 'expired');
  const res = await h.invoker.invoke(fn.name, Buffer.from('{"id":"old"}'), event);
  clock.skewMs = 61_000;
  h.invoker.start();
  const rec = JSON.parse((await receiveOne(h.store, 'expired')).body);
  assert.equal(rec.requestContext.condition, 'EventAgeExceeded');
  assert.equal(rec.requestContext.requestId, res.requestId);
  assert.equal(rec.requestContext.approximateInvokeCount, 0);
  assert.deepEqual(rec.requestPayload, { id: 'old' });
  assert.equal(rec.responseContext, undefined);
  assert.deepEqual(runsIn(runs), []);
});

test('a retry that comes due after maximumEventAge expires instead, carrying the last response', async (t) => {
  const runs = join(tempDir(t), 'runs');
  const clock = skewableClock();
  const fn = fixtureFunction('aging', 'counted', {
    environment: { RUNS_FILE: runs, FAIL: '1' }, maximumEventAge: 60, destinations: { onFailure: { type: 'sqs', arn: sqsArn('aged-out') } },
  });
  const h = await harness(t, [fn], { clock, retryDelayScale: 0.05 }); // first retry after 3 s
  await createQueue(h.store, 'aged-out');
  h.invoker.start();
  await h.invoker.invoke(fn.name, Buffer.from('{"id":"a"}'), event);
  await eventually(() => (runsIn(runs).length === 1 ? true : undefined), 'the first attempt');
  clock.skewMs = 61_000;
  const rec = JSON.parse((await receiveOne(h.store, 'aged-out')).body);
  assert.equal(rec.requestContext.condition, 'EventAgeExceeded');
  assert.equal(rec.requestContext.approximateInvokeCount, 1);
  assert.equal(rec.responseContext.functionError, 'Unhandled');
  assert.equal(rec.responsePayload.errorMessage, 'failed a');
  assert.deepEqual(runsIn(runs), ['a']);
});

test('throttled events are released and run later, without using up retries', async (t) => {
  const runs = join(tempDir(t), 'runs');
  const fn = fixtureFunction('narrow', 'counted', { environment: { RUNS_FILE: runs }, reservedConcurrency: 1, maximumRetryAttempts: 0 });
  const h = await harness(t, [fn], { retryDelayScale: 0.01 });
  h.invoker.start();
  // A sync call holds the only instance, so the async event is throttled by the pool.
  const busy = h.invoker.invoke(fn.name, Buffer.from('{"id":"sync","sleepMs":1500}'), { mode: 'sync', trigger: { kind: 'cli' } });
  await eventually(() => (h.pool.busy(fn.name) === 1 ? true : undefined), 'the instance busy');
  const res = await h.invoker.invoke(fn.name, Buffer.from('{"id":"async"}'), event);
  await busy;
  await eventually(() => (runsIn(runs).includes('async') ? true : undefined), 'the throttled event to run');
  const recs = await eventually(async () => {
    const r = (await h.store.records.query({ functionName: fn.name })).filter((x) => x.requestId === res.requestId);
    return r.some((x) => x.outcome === 'ok') ? r : undefined;
  }, 'the ok record');
  assert.ok(recs.some((r) => r.outcome === 'throttled'), 'throttled at least once');
  assert.deepEqual(recs.filter((r) => r.outcome === 'ok').map((r) => r.attempt), [1], 'throttles are not attempts');
});

test('the worker never runs more events of a function than its reserved concurrency', async (t) => {
  const runs = join(tempDir(t), 'runs');
  const fn = fixtureFunction('two', 'counted', { environment: { RUNS_FILE: runs }, reservedConcurrency: 2 });
  const h = await harness(t, [fn]);
  for (let i = 0; i < 8; i++) await h.invoker.invoke(fn.name, Buffer.from(JSON.stringify({ id: `c${i}`, sleepMs: 150 })), event);
  h.invoker.start();
  await eventually(() => (runsIn(runs).length === 8 ? true : undefined), 'all eight events');
  const recs = await eventually(async () => { const r = await h.store.records.query({ functionName: fn.name }); return r.length >= 8 ? r : undefined; }, 'records');
  assert.equal(recs.filter((r) => r.outcome === 'throttled').length, 0, 'the worker waits for a slot instead of being throttled');
  assert.equal(recs.filter((r) => r.outcome === 'ok').length, 8);
});

test('a destination that fails for a moment gets the record later, without running the function again', async (t) => {
  const runs = join(tempDir(t), 'runs');
  const fn = fixtureFunction('once', 'counted', { environment: { RUNS_FILE: runs }, destinations: { onSuccess: { type: 'sqs', arn: sqsArn('flaky') } } });
  let failures = 1;
  const h = await harness(t, [fn], {
    retryDelayScale: 0.01,
    sinks: {
      sqs: async (arn, body, attributes) => {
        if (failures-- > 0) throw new Error('connection reset');
        await queueSinks(h.store).sqs(arn, body, attributes);
      },
      sns: () => Promise.reject(new Error('unused')),
      eventBridge: () => Promise.reject(new Error('unused')),
    },
  });
  await createQueue(h.store, 'flaky');
  h.invoker.start();
  const res = await h.invoker.invoke(fn.name, Buffer.from('{"id":"f1"}'), event);
  const rec = JSON.parse((await receiveOne(h.store, 'flaky')).body);
  assert.equal(rec.requestContext.requestId, res.requestId);
  assert.equal(rec.requestContext.condition, 'Success');
  assert.deepEqual(runsIn(runs), ['f1']);
  assert.ok(h.log.lines.some((l) => l.startsWith('warn: could not deliver the Success record') && l.includes('will retry')));
});
