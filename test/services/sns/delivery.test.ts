// SNS deliveries end to end with the real SDKs: to SQS (envelope and raw), to Lambda (async
// invocations with the SNS event), to HTTP endpoints (confirmation, then notifications), filter
// policies, MessageStructure json, FIFO topics and PublishBatch.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  ConfirmSubscriptionCommand, CreateTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, PublishBatchCommand, PublishCommand,
  SubscribeCommand, type SNSClient,
} from '@aws-sdk/client-sns';
import { snsEnvelope, snsLambdaEvent, snsUrls } from '../../../src/events/sns-delivery.ts';
import { ACCOUNT, REGION, rejection, startAws, type AwsHarness } from '../sqs/harness.ts';

const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

describe('SNS deliveries', () => {
  let aws: AwsHarness;
  let sns: SNSClient;
  let sqs: SQSClient;
  before(async () => { aws = await startAws(); sns = aws.sns(); sqs = aws.sqs('json'); });
  after(() => aws.close());

  const queue = async (name: string, attrs: Record<string, string> = {}) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attrs }))).QueueUrl!;
  const receiveAll = async (QueueUrl: string) =>
    (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }))).Messages ?? [];

  it('delivers to SQS in the SNS envelope', async () => {
    const url = await queue('envelope');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-sqs' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('envelope') }));
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'payload "text"', Subject: 'Greetings',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'new' }, n: { DataType: 'Number', StringValue: '5' } } }));
    const [m, ...more] = await receiveAll(url);
    assert.equal(more.length, 0);
    const env = JSON.parse(m!.Body!);
    assert.deepEqual(Object.keys(env), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion',
      'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    assert.equal(env.Type, 'Notification');
    assert.equal(env.MessageId, MessageId);
    assert.equal(env.TopicArn, TopicArn);
    assert.equal(env.Subject, 'Greetings');
    assert.equal(env.Message, 'payload "text"');
    assert.match(env.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(env.SignatureVersion, '1');
    assert.match(env.SigningCertURL, /^https:\/\/sns\.us-east-1\.amazonaws\.com\/SimpleNotificationService-.*\.pem$/);
    assert.equal(env.UnsubscribeURL, `${aws.endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(SubscriptionArn!)}`);
    assert.deepEqual(env.MessageAttributes, { kind: { Type: 'String', Value: 'new' }, n: { Type: 'Number', Value: '5' } });
    assert.equal(m!.MessageAttributes, undefined, 'envelope delivery carries attributes inside the body only');

    await sns.send(new PublishCommand({ TopicArn, Message: 'bare' }));
    const [bare] = await receiveAll(url);
    const bareEnv = JSON.parse(bare!.Body!);
    assert.equal('Subject' in bareEnv, false);
    assert.equal('MessageAttributes' in bareEnv, false);
  });

  it('delivers raw messages with their attributes as SQS attributes', async () => {
    const url = await queue('raw');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-raw' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('raw'), Attributes: { RawMessageDelivery: 'true' } }));
    await sns.send(new PublishCommand({ TopicArn, Message: '{"id": 7}', MessageAttributes: {
      kind: { DataType: 'String', StringValue: 'new' }, bin: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) } } }));
    const [m] = await receiveAll(url);
    assert.equal(m!.Body, '{"id": 7}');
    assert.deepEqual(m!.MessageAttributes?.kind, { DataType: 'String', StringValue: 'new' });
    assert.deepEqual(Buffer.from(m!.MessageAttributes?.bin?.BinaryValue ?? []), Buffer.from([1, 2, 3]));
  });

  it('applies filter policies on attributes and on the body before delivering', async () => {
    const attrUrl = await queue('filtered-attrs');
    const bodyUrl = await queue('filtered-body');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'filtered' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('filtered-attrs'), Attributes: {
      RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ kind: ['order', { prefix: 'refund-' }], amount: [{ numeric: ['>=', 100] }] }) } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('filtered-body'), Attributes: {
      RawMessageDelivery: 'true', FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify({ order: { status: ['paid'] } }) } }));
    const publish = (body: string, kind?: string, amount?: number) => sns.send(new PublishCommand({ TopicArn, Message: body, MessageAttributes: {
      ...(kind ? { kind: { DataType: 'String', StringValue: kind } } : {}),
      ...(amount !== undefined ? { amount: { DataType: 'Number', StringValue: String(amount) } } : {}) } }));
    await publish('{"order": {"status": "paid"}}', 'order', 150);
    await publish('{"order": {"status": "open"}}', 'refund-7', 100);
    await publish('not json', 'order', 5);
    await publish('{"order": {"status": "paid"}, "n": 2}', 'other', 500);
    await publish('{"order": {"status": "paid"}, "n": 3}');
    assert.deepEqual((await receiveAll(attrUrl)).map((m) => m.Body).sort(), ['{"order": {"status": "open"}}', '{"order": {"status": "paid"}}']);
    assert.deepEqual((await receiveAll(bodyUrl)).map((m) => m.Body).sort(),
      ['{"order": {"status": "paid"}, "n": 2}', '{"order": {"status": "paid"}, "n": 3}', '{"order": {"status": "paid"}}']);
  });

  it('invokes Lambda subscribers asynchronously with the SNS event', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-lambda' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fnArn('svc-dev-worker') }));
    const before = aws.invocations.length;
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'Hello from SNS!', MessageAttributes: {
      Test: { DataType: 'String', StringValue: 'TestString' } } }));
    const inv = aws.invocations.slice(before);
    assert.equal(inv.length, 1);
    assert.equal(inv[0]!.functionName, 'svc-dev-worker');
    assert.deepEqual(inv[0]!.opts, { mode: 'async', trigger: { kind: 'sns', topicArn: TopicArn } });
    const record = (inv[0]!.payload as { Records: Record<string, any>[] }).Records;
    assert.equal(record.length, 1);
    assert.equal(record[0]!.EventSource, 'aws:sns');
    assert.equal(record[0]!.EventVersion, '1.0');
    assert.equal(record[0]!.EventSubscriptionArn, SubscriptionArn);
    const s = record[0]!.Sns;
    assert.deepEqual(Object.keys(s), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion',
      'Signature', 'SigningCertUrl', 'UnsubscribeUrl', 'MessageAttributes']);
    assert.equal(s.MessageId, MessageId);
    assert.equal(s.Subject, null);
    assert.equal(s.Message, 'Hello from SNS!');
    assert.deepEqual(s.MessageAttributes, { Test: { Type: 'String', Value: 'TestString' } });

    // A subscription to a function that does not exist is logged, and the publish still succeeds.
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fnArn('svc-dev-missing') }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'again' }));
    assert.ok(aws.logs.some((l) => l.includes('svc-dev-missing')));
  });

  it('sends each protocol its own text with MessageStructure json', async () => {
    const url = await queue('structured');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'structured' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('structured'), Attributes: { RawMessageDelivery: 'true' } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fnArn('svc-dev-audit') }));
    const before = aws.invocations.length;
    await sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'for everyone', sqs: 'for queues' }) }));
    assert.deepEqual((await receiveAll(url)).map((m) => m.Body), ['for queues']);
    assert.equal((aws.invocations[before]!.payload as any).Records[0].Sns.Message, 'for everyone');
    const noDefault = await rejection(() => sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: '{"sqs": "x"}' })));
    assert.equal(noDefault.name, 'InvalidParameterException');
  });

  it('deduplicates and sequences FIFO topics into FIFO queues', async () => {
    const url = await queue('fanout.fifo', { FifoQueue: 'true' });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'fanout.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('fanout.fifo'), Attributes: { RawMessageDelivery: 'true' } }));
    const a = await sns.send(new PublishCommand({ TopicArn, Message: 'one', MessageGroupId: 'g' }));
    const b = await sns.send(new PublishCommand({ TopicArn, Message: 'one', MessageGroupId: 'g' }));
    const c = await sns.send(new PublishCommand({ TopicArn, Message: 'two', MessageGroupId: 'g' }));
    assert.equal(b.MessageId, a.MessageId);
    assert.equal(b.SequenceNumber, a.SequenceNumber);
    assert.ok(BigInt(c.SequenceNumber!) > BigInt(a.SequenceNumber!));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId'] }));
    assert.deepEqual(got.Messages?.map((m) => m.Body), ['one', 'two']);
    assert.equal(got.Messages?.[0]?.Attributes?.MessageGroupId, 'g');
    const noGroup = await rejection(() => sns.send(new PublishCommand({ TopicArn, Message: 'x' })));
    assert.equal(noGroup.name, 'InvalidParameterException');
    const standardToFifo = await rejection(async () => {
      const { TopicArn: std } = await sns.send(new CreateTopicCommand({ Name: 'std' }));
      await sns.send(new SubscribeCommand({ TopicArn: std, Protocol: 'sqs', Endpoint: queueArn('fanout.fifo') }));
    });
    assert.equal(standardToFifo.name, 'InvalidParameterException');
  });

  it('publishes batches with per-entry failures', async () => {
    const url = await queue('batch');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'batch' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('batch'), Attributes: { RawMessageDelivery: 'true' } }));
    const res = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [
      { Id: 'a', Message: 'first' }, { Id: 'b', Message: 'second', Subject: 'bad\nsubject' }, { Id: 'c', Message: 'third' },
    ] }));
    assert.deepEqual(res.Successful?.map((s) => s.Id), ['a', 'c']);
    assert.ok(res.Successful?.every((s) => /^[0-9a-f-]{36}$/.test(s.MessageId ?? '')));
    assert.deepEqual(res.Failed?.map((f) => [f.Id, f.Code, f.SenderFault]), [['b', 'InvalidParameter', true]]);
    assert.deepEqual((await receiveAll(url)).map((m) => m.Body).sort(), ['first', 'third']);
    const dup = await rejection(() => sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'x', Message: '1' }, { Id: 'x', Message: '2' }] })));
    assert.equal(dup.name, 'BatchEntryIdsNotDistinctException');
    const many = await rejection(() => sns.send(new PublishBatchCommand({ TopicArn,
      PublishBatchRequestEntries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'm' })) })));
    assert.equal(many.name, 'TooManyEntriesInBatchRequestException');
  });

  it('confirms HTTP subscriptions and then POSTs notifications', async (t) => {
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    let notify: () => void = () => {};
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { received.push({ headers: req.headers, body }); res.end('ok'); notify(); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => new Promise<void>((r) => server.close(() => r())));
    const next = (count: number) => new Promise<void>((resolve) => {
      notify = () => { if (received.length >= count) resolve(); };
      notify();
    });
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-http' }));
    const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
    assert.equal(sub.SubscriptionArn, 'pending confirmation');
    await next(1);
    const confirmation = JSON.parse(received[0]!.body);
    assert.equal(received[0]!.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
    assert.equal(confirmation.Type, 'SubscriptionConfirmation');
    assert.ok(confirmation.SubscribeURL.startsWith(`${aws.endpoint}/?Action=ConfirmSubscription`));

    // Publishing before confirmation delivers nothing; visiting SubscribeURL (a plain GET) confirms.
    await sns.send(new PublishCommand({ TopicArn, Message: 'too early' }));
    const visit = await fetch(confirmation.SubscribeURL);
    assert.equal(visit.status, 200);
    assert.match(await visit.text(), /<ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:/);
    const confirmed = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation.Token }));
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: confirmed.SubscriptionArn }));
    assert.equal(Attributes?.PendingConfirmation, 'false');

    await sns.send(new PublishCommand({ TopicArn, Message: 'on time', Subject: 'hi' }));
    await next(2);
    assert.equal(received.length, 2);
    assert.equal(received[1]!.headers['x-amz-sns-message-type'], 'Notification');
    assert.equal(received[1]!.headers['x-amz-sns-subscription-arn'], confirmed.SubscriptionArn);
    assert.equal(JSON.parse(received[1]!.body).Message, 'on time');
  });

  it('publishes, creates topics and subscribes through the programmatic surface', async () => {
    const url = await queue('programmatic');
    const arn = await aws.snsProvider.ensureTopic('programmatic', { DisplayName: 'First' });
    assert.equal(await aws.snsProvider.ensureTopic('programmatic', { DisplayName: 'Second' }, { team: 'core' }), arn);
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    assert.equal(Attributes?.DisplayName, 'Second', 'declared topics converge on reload');
    const subArn = await aws.snsProvider.subscribe(arn, 'sqs', queueArn('programmatic'), { RawMessageDelivery: 'true' });
    assert.equal(await aws.snsProvider.subscribe(arn, 'sqs', queueArn('programmatic'), { RawMessageDelivery: 'true' }), subArn);
    await aws.snsProvider.publishToArn(arn, 'from a destination', { attributes: { k: { DataType: 'String', StringValue: 'v' } } });
    const [m] = await receiveAll(url);
    assert.equal(m!.Body, 'from a destination');
    assert.equal(m!.MessageAttributes?.k?.StringValue, 'v');
    await assert.rejects(aws.snsProvider.publishToArn(`arn:aws:sns:${REGION}:${ACCOUNT}:nope`, 'x'), { awsCode: 'NotFoundException' });
  });
});

describe('SNS payload builders', () => {
  it('build the envelope and the Lambda event from one notification', () => {
    const n = { messageId: 'm-1', topicArn: 'arn:aws:sns:us-east-1:000000000000:t', message: 'hi', attributes: {}, timestamp: Date.UTC(2024, 0, 31, 12, 34, 56, 789) };
    const sub = { arn: 'arn:aws:sns:us-east-1:000000000000:t:s-1', topicArn: n.topicArn, protocol: 'sqs', endpoint: 'q', attributes: {} };
    const urls = snsUrls('us-east-1', sub.arn);
    const env = snsEnvelope(n, sub, urls);
    assert.equal(env.Timestamp, '2024-01-31T12:34:56.789Z');
    assert.equal(env.UnsubscribeURL, 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At%3As-1');
    const event = snsLambdaEvent(n, sub, urls).Records[0] as Record<string, any>;
    assert.equal(event.Sns.Subject, null);
    assert.deepEqual(event.Sns.MessageAttributes, {});
    assert.equal(event.Sns.Signature, env.Signature);
    assert.equal(event.Sns.UnsubscribeUrl, env.UnsubscribeURL);
  });
});
