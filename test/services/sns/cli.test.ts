// The AWS CLI 2.9 against SNS: create-topic, subscribe, publish, list-*, with delivery to SQS.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { awsCli, awsCliJson, awsCliSkip } from '../../helpers/aws-cli.ts';
import { ACCOUNT, REGION, startAws, type AwsHarness } from '../sqs/harness.ts';

describe('SNS with the AWS CLI', { skip: awsCliSkip }, () => {
  let aws: AwsHarness;
  before(async () => { aws = await startAws(); });
  after(() => aws.close());
  const cli = <T = any>(...args: string[]) => awsCliJson<T>(['sns', ...args], { endpoint: aws.endpoint });

  it('creates, subscribes, publishes with attributes and lists', async () => {
    const { QueueUrl } = await aws.sqs('json').send(new CreateQueueCommand({ QueueName: 'cli-inbox' }));
    const { TopicArn } = await cli('create-topic', '--name', 'cli-topic', '--attributes', 'DisplayName=CLI', '--tags', 'Key=team,Value=core');
    assert.equal(TopicArn, `arn:aws:sns:${REGION}:${ACCOUNT}:cli-topic`);
    const { SubscriptionArn } = await cli('subscribe', '--topic-arn', TopicArn, '--protocol', 'sqs',
      '--notification-endpoint', `arn:aws:sqs:${REGION}:${ACCOUNT}:cli-inbox`,
      '--attributes', JSON.stringify({ FilterPolicy: JSON.stringify({ kind: ['keep'] }) }));
    assert.match(SubscriptionArn, new RegExp(`^${TopicArn}:`));

    const published = await cli('publish', '--topic-arn', TopicArn, '--message', 'kept <&>', '--subject', 'S',
      '--message-attributes', JSON.stringify({ kind: { DataType: 'String', StringValue: 'keep' } }));
    assert.match(published.MessageId, /^[0-9a-f-]{36}$/);
    await cli('publish', '--topic-arn', TopicArn, '--message', 'dropped',
      '--message-attributes', JSON.stringify({ kind: { DataType: 'String', StringValue: 'drop' } }));

    const { Messages } = await aws.sqs('json').send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.equal(Messages?.length, 1);
    const env = JSON.parse(Messages![0]!.Body!);
    assert.equal(env.Message, 'kept <&>');
    assert.equal(env.MessageId, published.MessageId);
    assert.deepEqual(env.MessageAttributes, { kind: { Type: 'String', Value: 'keep' } });

    const topics = await cli('list-topics');
    assert.deepEqual(topics.Topics, [{ TopicArn }]);
    const subs = await cli('list-subscriptions-by-topic', '--topic-arn', TopicArn);
    assert.equal(subs.Subscriptions[0].SubscriptionArn, SubscriptionArn);
    assert.equal(subs.Subscriptions[0].Protocol, 'sqs');
    const attrs = await cli('get-subscription-attributes', '--subscription-arn', SubscriptionArn);
    assert.equal(JSON.parse(attrs.Attributes.FilterPolicy).kind[0], 'keep');
  });

  it('reports a missing topic with the NotFound code', async () => {
    const r = await awsCli(['sns', 'publish', '--topic-arn', `arn:aws:sns:${REGION}:${ACCOUNT}:missing`, '--message', 'x'], { endpoint: aws.endpoint });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /\(NotFound\)/);
  });
});
