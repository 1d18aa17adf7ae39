// `sns` events and SNS subscriptions from `resources:` through `gannet dev`: functions receive the
// event AWS delivers, filter policies apply, queues get SNS's envelope or the raw message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { startGannetDev, type GannetDev } from '../helpers/gannet-process.ts';
import { awsCliJson, awsCliSkip } from '../helpers/aws-cli.ts';
import { assertSameShape } from '../helpers/event-shape.ts';
import { eventually, printed } from '../helpers/function-output.ts';

const dir = fileURLToPath(new URL('./fixtures/topics', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/aws-events/${name}`, import.meta.url)), 'utf8'));
const realEvent = fixture('sns-event.json');
const realEnvelope = fixture('sns-sqs-envelope.json');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const topicArn = (name: string) => `arn:aws:sns:us-east-1:000000000000:topics-e2e-${name}`;

type SnsRecord = {
  EventSource: string; EventVersion: string; EventSubscriptionArn: string;
  Sns: { Type: string; MessageId: string; TopicArn: string; Subject: string | null; Message: string; Timestamp: string;
    SignatureVersion: string; Signature: string; SigningCertUrl: string; UnsubscribeUrl: string;
    MessageAttributes: Record<string, { Type: string; Value: string }> };
};
type Recorded = { fn: string; event: { Records: SnsRecord[] } };

describe('sns events and subscriptions under gannet dev', { concurrency: true }, () => {
  let dev: GannetDev;
  let sns: SNSClient;
  let sqs: SQSClient;
  let dataDir: string;
  const records = (fn: string) => printed<Recorded>(dev.stdout(), 'RECORDED').filter((r) => r.fn === `topics-e2e-dev-${fn}`).map((r) => {
    assert.equal(r.event.Records.length, 1, 'SNS invokes a function with exactly one record');
    return r.event.Records[0]!;
  });
  const drain = async (queue: string, want: number): Promise<Message[]> => {
    const got: Message[] = [];
    await eventually(`${want} messages on ${queue}`, async () => {
      const r = await sqs.send(new ReceiveMessageCommand({
        QueueUrl: `${dev.awsUrl}/000000000000/topics-e2e-${queue}`, MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }));
      got.push(...(r.Messages ?? []));
      return got.length >= want;
    });
    return got;
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gannet-topics-'));
    dev = await startGannetDev(undefined, dir, ['--no-watch', '--data-dir', dataDir]);
    sns = new SNSClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
    sqs = new SQSClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
  });
  after(async () => {
    sns?.destroy();
    sqs?.destroy();
    await dev?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a function subscribed by topic name receives the SNS event AWS delivers', async () => {
    const published = await sns.send(new PublishCommand({
      TopicArn: topicArn('news'), Message: 'Hello from SNS!', Subject: 'TestInvoke',
      MessageAttributes: {
        Test: { DataType: 'String', StringValue: 'TestString' },
        TestBinary: { DataType: 'Binary', BinaryValue: Buffer.from('TestBinary') },
      },
    }));
    const record = await eventually('the SNS event', () => records('notified').find((r) => r.Sns.MessageId === published.MessageId));

    assertSameShape(record, realEvent.Records[0]);
    assert.equal(record.EventSource, 'aws:sns');
    assert.equal(record.EventVersion, '1.0');
    assert.ok(record.EventSubscriptionArn.startsWith(`${topicArn('news')}:`), record.EventSubscriptionArn);
    assert.equal(record.Sns.Type, 'Notification');
    assert.equal(record.Sns.TopicArn, topicArn('news'));
    assert.equal(record.Sns.Subject, 'TestInvoke');
    assert.equal(record.Sns.Message, 'Hello from SNS!');
    assert.equal(record.Sns.SignatureVersion, '1');
    assert.match(record.Sns.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(record.Sns.SigningCertUrl, /^https:\/\/sns\.us-east-1\.amazonaws\.com\/SimpleNotificationService-\w+\.pem$/);
    assert.ok(record.Sns.UnsubscribeUrl.includes('Action=Unsubscribe'), record.Sns.UnsubscribeUrl);
    assert.deepEqual(record.Sns.MessageAttributes, {
      Test: { Type: 'String', Value: 'TestString' },
      TestBinary: { Type: 'Binary', Value: Buffer.from('TestBinary').toString('base64') },
    });
  });

  test('a message published with the AWS CLI reaches the function, Subject null when absent', { skip: awsCliSkip }, async () => {
    const out = await awsCliJson<{ MessageId: string }>(['sns', 'publish', '--topic-arn', topicArn('news'), '--message', 'from the CLI'], { endpoint: dev.awsUrl });
    const record = await eventually('the CLI message', () => records('notified').find((r) => r.Sns.MessageId === out.MessageId));
    assert.equal(record.Sns.Message, 'from the CLI');
    assert.equal(record.Sns.Subject, null);
    assert.deepEqual(record.Sns.MessageAttributes, {});
  });

  test('filter policies choose what a function and a raw queue receive; the envelope queues get everything', async () => {
    const alerts: [string, Record<string, MessageAttributeValue>][] = [
      ['routine payments', { severity: { DataType: 'String', StringValue: 'routine' }, team: { DataType: 'String', StringValue: 'payments' } }],
      ['urgent search', { severity: { DataType: 'String', StringValue: 'urgent' }, team: { DataType: 'String', StringValue: 'search' } }],
      ['urgent payments', { severity: { DataType: 'String', StringValue: 'urgent' }, team: { DataType: 'String', StringValue: 'payments' } }],
      ['urgent payroll', { severity: { DataType: 'String', StringValue: 'urgent' }, team: { DataType: 'String', StringValue: 'payroll' } }],
    ];
    const ids = new Map<string, string>();
    for (const [message, attributes] of alerts) {
      const r = await sns.send(new PublishCommand({ TopicArn: topicArn('alerts'), Message: message, Subject: 'alert', MessageAttributes: attributes }));
      ids.set(message, r.MessageId!);
    }

    // The function's policy: severity urgent and a team starting with "pay".
    await eventually('the two matching alerts at the function', () => records('urgentOnly').length >= 2);
    const [envelopes, audit, raw] = await Promise.all([drain('envelope', 4), drain('audit', 4), drain('raw', 3)]);
    assert.deepEqual(records('urgentOnly').map((r) => r.Sns.Message).sort(), ['urgent payments', 'urgent payroll']);

    // SNS → SQS without raw delivery: the JSON envelope, as AWS writes it.
    assert.equal(envelopes.length, 4);
    for (const m of [...envelopes, ...audit]) {
      const envelope = JSON.parse(m.Body!);
      const { MessageAttributes: attributes, ...rest } = envelope;
      const { MessageAttributes: realAttributes, ...realRest } = realEnvelope;
      assertSameShape(rest, realRest);
      assert.deepEqual(Object.keys(attributes).sort(), ['severity', 'team']);
      for (const a of Object.values(attributes)) assertSameShape(a, realAttributes.kind);
      assert.equal(envelope.Type, 'Notification');
      assert.equal(envelope.TopicArn, topicArn('alerts'));
      assert.equal(envelope.Subject, 'alert');
      assert.equal(envelope.MessageId, ids.get(envelope.Message));
      assert.equal(envelope.MessageAttributes.severity.Type, 'String');
      assert.deepEqual(m.MessageAttributes, undefined, 'the envelope carries the attributes, not the SQS message');
    }
    assert.deepEqual(audit.map((m) => JSON.parse(m.Body!).Message).sort(), alerts.map(([m]) => m).sort(), 'the topic\'s inline Subscription delivers too');

    // RawMessageDelivery: the message itself, its attributes as SQS message attributes; filter severity urgent.
    assert.deepEqual(raw.map((m) => m.Body).sort(), ['urgent payments', 'urgent payroll', 'urgent search']);
    for (const m of raw) {
      assert.equal(m.MessageAttributes?.severity?.StringValue, 'urgent');
      assert.equal(m.MessageAttributes?.severity?.DataType, 'String');
    }
  });
});
