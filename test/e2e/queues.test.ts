// `sqs` events through `gannet dev`, as a user runs them: messages sent with the AWS CLI (query
// protocol) and the SDK (JSON protocol) reach the function in the event AWS delivers; failures,
// partial batch responses, batching and reserved concurrency behave as on Lambda; `resources:`
// values reach the environment and Outputs are printed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startGannetDev, type GannetDev } from '../helpers/gannet-process.ts';
import { awsCliJson, awsCliSkip } from '../helpers/aws-cli.ts';
import { assertSameShape } from '../helpers/event-shape.ts';
import { eventually, printed } from '../helpers/function-output.ts';

const dir = fileURLToPath(new URL('./fixtures/queues', import.meta.url));
const realEvent = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/aws-events/sqs-event.json', import.meta.url)), 'utf8'));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

type SqsRecord = {
  messageId: string; body: string; md5OfBody: string; md5OfMessageAttributes: string | null; eventSourceARN: string;
  eventSource: string; awsRegion: string; attributes: Record<string, string>;
  messageAttributes: Record<string, { stringValue: string | null; binaryValue: string | null; dataType: string }>;
};
type Recorded = { fn: string; event: { Records: SqsRecord[] } };

describe('sqs events under gannet dev', { concurrency: true }, () => {
  let dev: GannetDev;
  let sqs: SQSClient;
  let dataDir: string;
  const url = (name: string) => `${dev.awsUrl}/000000000000/queues-e2e-${name}`;
  const recorded = (fn: string) => printed<Recorded>(dev.stdout(), 'RECORDED').filter((r) => r.fn === `queues-e2e-dev-${fn}`);

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gannet-queues-'));
    dev = await startGannetDev(undefined, dir, ['--no-watch', '--data-dir', dataDir]);
    sqs = new SQSClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
  });
  after(async () => {
    sqs?.destroy();
    await dev?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a message sent with the AWS CLI (query protocol) reaches the function as AWS delivers it', { skip: awsCliSkip }, async () => {
    const sent = await awsCliJson<{ MessageId: string; MD5OfMessageAttributes: string }>(['sqs', 'send-message',
      '--queue-url', url('inbox'), '--message-body', 'Test message.',
      '--message-attributes', '{"myAttribute":{"DataType":"String","StringValue":"myValue"}}'], { endpoint: dev.awsUrl });
    const record = await eventually('the CLI message at the recorder', () =>
      recorded('recorder').flatMap((r) => r.event.Records).find((m) => m.messageId === sent.MessageId));

    assertSameShape(record, realEvent.Records[0]);
    assert.equal(record.body, 'Test message.');
    assert.equal(record.md5OfBody, md5('Test message.'));
    assert.equal(record.md5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.deepEqual(record.messageAttributes, { myAttribute: { stringValue: 'myValue', binaryValue: null, stringListValues: [], binaryListValues: [], dataType: 'String' } });
    assert.equal(record.eventSource, 'aws:sqs');
    assert.equal(record.eventSourceARN, 'arn:aws:sqs:us-east-1:000000000000:queues-e2e-inbox');
    assert.equal(record.awsRegion, 'us-east-1');
    assert.equal(record.attributes.ApproximateReceiveCount, '1');
    assert.match(record.attributes.SentTimestamp!, /^\d{13}$/);
    assert.match(record.attributes.ApproximateFirstReceiveTimestamp!, /^\d{13}$/);
    assert.ok(Number(record.attributes.ApproximateFirstReceiveTimestamp) >= Number(record.attributes.SentTimestamp));
  });

  test('messages sent with the SDK (JSON protocol) reach the function, binary attributes in base64', async () => {
    const plain = await sqs.send(new SendMessageCommand({ QueueUrl: url('inbox'), MessageBody: 'plain from the SDK' }));
    const binary = await sqs.send(new SendMessageCommand({
      QueueUrl: url('inbox'), MessageBody: 'binary from the SDK',
      MessageAttributes: { blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 250]) } },
    }));
    const records = () => recorded('recorder').flatMap((r) => r.event.Records);
    const a = await eventually('the plain SDK message', () => records().find((m) => m.messageId === plain.MessageId));
    const b = await eventually('the binary SDK message', () => records().find((m) => m.messageId === binary.MessageId));

    assertSameShape(a, realEvent.Records[1]);
    assert.equal(a.md5OfMessageAttributes, null);
    assert.deepEqual(a.messageAttributes, {});
    assert.equal(b.md5OfMessageAttributes, binary.MD5OfMessageAttributes);
    assert.deepEqual(b.messageAttributes, { blob: { stringValue: null, binaryValue: 'AAEC+g==', stringListValues: [], binaryListValues: [], dataType: 'Binary' } });
  });

  test('a failing batch comes back after the visibility timeout, then goes to the DLQ after maxReceiveCount', async () => {
    const body = `doomed-${Date.now()}`;
    await sqs.send(new SendMessageCommand({ QueueUrl: url('flaky'), MessageBody: body }));
    const dead = await eventually('the message in the DLQ', async () => {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url('flaky-dlq'), WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }));
      return r.Messages?.find((m) => m.Body === body);
    });
    assert.equal(dead.Attributes?.DeadLetterQueueSourceArn, 'arn:aws:sqs:us-east-1:000000000000:queues-e2e-flaky');
    // Function logs reach gannet dev's output a moment after the invocation ends.
    const attempts = () => printed<{ body: string; count: string }[]>(dev.stdout(), 'FAILING').flat().filter((m) => m.body === body);
    await eventually('both attempts in the output', () => attempts().length >= 2);
    assert.deepEqual(attempts().map((m) => m.count), ['1', '2'], 'received twice (maxReceiveCount 2), then redriven');
  });

  test('ReportBatchItemFailures deletes the successes and leaves only the reported failures', async () => {
    const tag = Date.now();
    await sqs.send(new SendMessageBatchCommand({
      QueueUrl: url('partial'),
      Entries: [`good-a-${tag}`, `bad-${tag}`, `good-b-${tag}`].map((b, i) => ({ Id: `m${i}`, MessageBody: b })),
    }));
    await eventually('the reported failure in the DLQ', async () => {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url('partial-dlq'), WaitTimeSeconds: 1 }));
      return r.Messages?.find((m) => m.Body === `bad-${tag}`);
    });
    const seen = () => printed<{ body: string; count: string }[]>(dev.stdout(), 'PARTIAL').flat().filter((m) => m.body.endsWith(`-${tag}`));
    await eventually('both deliveries of the failure in the output', () => seen().filter((m) => m.body === `bad-${tag}`).length >= 2);
    const times = (b: string) => seen().filter((m) => m.body === b).length;
    assert.equal(times(`good-a-${tag}`), 1, 'a success is deleted, never redelivered');
    assert.equal(times(`good-b-${tag}`), 1);
    assert.equal(times(`bad-${tag}`), 2, 'the reported failure is redelivered until maxReceiveCount');
  });

  test('batchSize caps a batch and maximumBatchingWindow waits for more messages', async () => {
    const send = (b: string) => sqs.send(new SendMessageCommand({ QueueUrl: url('batched'), MessageBody: b }));
    await send('w0');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // well inside the 5 s window
    for (const b of ['w1', 'w2', 'w3', 'w4', 'w5']) await send(b);
    const batches = await eventually('all six messages', () => {
      const got = recorded('batched').map((r) => r.event.Records.map((m) => m.body));
      return got.flat().length >= 6 ? got : undefined;
    });
    assert.deepEqual(batches.flat().sort(), ['w0', 'w1', 'w2', 'w3', 'w4', 'w5']);
    for (const b of batches) assert.ok(b.length <= 4, `a batch of ${b.length} exceeds batchSize 4`);
    assert.deepEqual(batches[0], ['w0', 'w1', 'w2', 'w3'], 'the first batch waited in its window until full');
  });

  test('filterPatterns: only matching records reach the function; the others are deleted', async () => {
    await sqs.send(new SendMessageBatchCommand({
      QueueUrl: url('picky'),
      Entries: [{ Id: 'r', MessageBody: '{"type":"refund"}' }, { Id: 't', MessageBody: 'not json' }, { Id: 'o', MessageBody: '{"type":"order"}' }],
    }));
    await eventually('the order at the function', () => recorded('picky').some((r) => r.event.Records.some((m) => m.body === '{"type":"order"}')));
    const left = await eventually('the queue to empty', async () => {
      const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url('picky'), AttributeNames: ['All'] }));
      return a.Attributes!.ApproximateNumberOfMessages === '0' && a.Attributes!.ApproximateNumberOfMessagesNotVisible === '0' ? a : undefined;
    });
    assert.ok(left);
    assert.deepEqual(recorded('picky').flatMap((r) => r.event.Records.map((m) => m.body)), ['{"type":"order"}']);
  });

  test("the function's reservedConcurrency bounds the batches in flight", async () => {
    await sqs.send(new SendMessageBatchCommand({
      QueueUrl: url('limited'), Entries: [0, 1, 2, 3, 4, 5, 6].map((i) => ({ Id: `l${i}`, MessageBody: `l${i}` })),
    }));
    const runs = await eventually('seven runs', () => {
      const r = printed<{ body: string; begin: number; end: number }>(dev.stdout(), 'SLOW');
      return r.length >= 7 ? r : undefined;
    });
    let most = 0;
    for (const r of runs) most = Math.max(most, runs.filter((o) => o.begin <= r.begin && r.begin < o.end).length);
    assert.ok(most <= 2, `${most} invocations overlapped; reservedConcurrency is 2`);
    assert.deepEqual(runs.map((r) => r.body).sort(), ['l0', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6']);
  });

  test('Ref and GetAtt reach the environment as CloudFormation returns them, and the queue URL works', async () => {
    const lambda = new LambdaClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
    try {
      const out = await lambda.send(new InvokeCommand({ FunctionName: 'queues-e2e-dev-env' }));
      const env = JSON.parse(Buffer.from(out.Payload!).toString('utf8'));
      assert.deepEqual(env, {
        INBOX_URL: url('inbox'),
        INBOX_ARN: 'arn:aws:sqs:us-east-1:000000000000:queues-e2e-inbox',
        INBOX_NAME: 'queues-e2e-inbox',
        INBOX_URL_ATTR: url('inbox'),
        TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:queues-e2e-alerts',
        TOPIC_NAME: 'queues-e2e-alerts',
        JOINED: 'queues-e2e-inbox:us-east-1',
        SUBBED: 'queue queues-e2e-inbox in us-east-1 of 000000000000',
      });
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl: env.INBOX_URL, MessageBody: 'via the Ref URL' }));
      await eventually('the message sent to the Ref URL', () => recorded('recorder').some((r) => r.event.Records.some((m) => m.messageId === sent.MessageId)));
    } finally {
      lambda.destroy();
    }
  });

  test('Outputs are printed at start; an unsupported resource type is listed once; accepted ones are not', () => {
    const err = dev.stderr();
    assert.ok(err.includes(`output InboxUrl: ${url('inbox')}`), err);
    assert.ok(err.includes('output AlertsArn: arn:aws:sns:us-east-1:000000000000:queues-e2e-alerts'), err);
    assert.equal(err.split('Orders (AWS::DynamoDB::Table)').length - 1, 1, err);
    assert.doesNotMatch(err, /InboxPolicy/);
  });
});
