// Declared SNS subscriptions follow serverless.yml across restarts and reloads, as a deploy does:
// a changed filter policy applies, a removed `sns` event or AWS::SNS::Subscription unsubscribes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { startServiceHost, type ServiceHost } from '../../src/host/index.ts';
import type { Logger } from '../../src/shared/log.ts';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:subs-news';

const service = (policy: string | undefined, queueSubscription: boolean) => [
  'service: subs',
  'provider: {name: aws, runtime: nodejs20.x}',
  'functions:',
  '  listener:',
  '    handler: handler.listen',
  '    events:',
  '      - sns:',
  '          arn: !Ref News',
  '          topicName: subs-news',
  ...(policy === undefined ? [] : [`          filterPolicy: {kind: [${policy}]}`]),
  'resources:',
  '  Resources:',
  '    News: {Type: AWS::SNS::Topic, Properties: {TopicName: subs-news}}',
  '    Inbox: {Type: AWS::SQS::Queue, Properties: {QueueName: subs-inbox}}',
  ...(queueSubscription ? ['    InboxSubscription: {Type: AWS::SNS::Subscription, Properties: {TopicArn: !Ref News, Protocol: sqs, Endpoint: !GetAtt Inbox.Arn}}'] : []),
  '',
].join('\n');

/** The topic's subscriptions and their attributes, read through the SNS API as a client would. */
async function subscriptions(host: ServiceHost): Promise<{ protocol: string; attributes: Record<string, string> }[]> {
  const sns = new SNSClient({ endpoint: host.awsUrl!, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    const list = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: TOPIC }));
    const out = [];
    for (const s of list.Subscriptions ?? []) {
      const a = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn! }));
      out.push({ protocol: s.Protocol!, attributes: a.Attributes ?? {} });
    }
    return out.sort((x, y) => x.protocol.localeCompare(y.protocol));
  } finally {
    sns.destroy();
  }
}

test('declared subscriptions converge on restart and reload; removed ones are unsubscribed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-subs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'handler.mjs'), 'export const listen = async () => {};\n');
  const warnings: string[] = [];
  const log: Logger = { info: () => {}, debug: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  const start = () => startServiceHost({ dir, log, dataDir: join(dir, 'data'), awsPort: 0, spares: 0, asyncWorker: false });

  writeFileSync(join(dir, 'serverless.yml'), service('old', true));
  let host = await start();
  assert.equal((await subscriptions(host))[0]?.attributes.FilterPolicy, '{"kind":["old"]}');
  await host.close();

  // A restart with a new filter policy: the existing subscription takes it.
  writeFileSync(join(dir, 'serverless.yml'), service('new', true));
  host = await start();
  t.after(() => host.close());
  const restarted = await subscriptions(host);
  assert.deepEqual(restarted.map((s) => s.protocol), ['lambda', 'sqs']);
  assert.equal(restarted[0]!.attributes.FilterPolicy, '{"kind":["new"]}');

  // A reload without the filter policy and without the queue subscription.
  writeFileSync(join(dir, 'serverless.yml'), service(undefined, false));
  await host.reload();
  const reloaded = await subscriptions(host);
  assert.deepEqual(reloaded.map((s) => s.protocol), ['lambda'], 'the removed AWS::SNS::Subscription is unsubscribed');
  assert.equal(reloaded[0]!.attributes.FilterPolicy, undefined, 'the removed filter policy is gone');
  assert.deepEqual(warnings, []);
});
