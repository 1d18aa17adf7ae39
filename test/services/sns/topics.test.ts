// SNS topics and subscriptions with the real SDK (query protocol): create, attributes, lists,
// tags, subscription attributes, errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTopicCommand, DeleteTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand, ListSubscriptionsCommand, ListTagsForResourceCommand, ListTopicsCommand,
  SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SubscribeCommand, TagResourceCommand, UnsubscribeCommand,
  UntagResourceCommand, type SNSClient,
} from '@aws-sdk/client-sns';
import { ACCOUNT, REGION, rejection, startAws, type AwsHarness } from '../sqs/harness.ts';

const topicArn = (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

describe('SNS topics and subscriptions', () => {
  let aws: AwsHarness;
  let sns: SNSClient;
  before(async () => { aws = await startAws(); sns = aws.sns(); });
  after(() => aws.close());

  it('creates topics idempotently, standard and FIFO', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events', Attributes: { DisplayName: 'Events' } }));
    assert.equal(TopicArn, topicArn('events'));
    assert.equal((await sns.send(new CreateTopicCommand({ Name: 'events' }))).TopicArn, TopicArn);
    const differs = await rejection(() => sns.send(new CreateTopicCommand({ Name: 'events', Attributes: { DisplayName: 'Other' } })));
    assert.equal(differs.name, 'InvalidParameterException');
    assert.equal(differs.Code, 'InvalidParameter');

    const fifo = await sns.send(new CreateTopicCommand({ Name: 'orders.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    assert.equal(fifo.TopicArn, topicArn('orders.fifo'));
    const badFifo = await rejection(() => sns.send(new CreateTopicCommand({ Name: 'orders.fifo2', Attributes: { FifoTopic: 'true' } })));
    assert.equal(badFifo.name, 'InvalidParameterException');
    const badName = await rejection(() => sns.send(new CreateTopicCommand({ Name: 'has space' })));
    assert.equal(badName.name, 'InvalidParameterException');
  });

  it('reads and sets topic attributes', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'attrs' }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Shown' }));
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes?.DisplayName, 'Shown');
    assert.equal(Attributes?.TopicArn, TopicArn);
    assert.equal(Attributes?.Owner, ACCOUNT);
    assert.equal(Attributes?.SubscriptionsConfirmed, '0');
    assert.equal(JSON.parse(Attributes?.Policy ?? '{}').Statement[0].Resource, TopicArn);
    const { Attributes: fifo } = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn('orders.fifo') }));
    assert.equal(fifo?.FifoTopic, 'true');
    assert.equal(fifo?.ContentBasedDeduplication, 'true');

    const missing = await rejection(() => sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn('nope') })));
    assert.equal(missing.name, 'NotFoundException');
    assert.equal(missing.Code, 'NotFound');
    assert.equal(missing.$metadata.httpStatusCode, 404);
    const unknown = await rejection(() => sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Colour', AttributeValue: 'x' })));
    assert.equal(unknown.name, 'InvalidParameterException');
  });

  it('lists topics in pages of 100', async () => {
    for (let i = 0; i < 105; i++) await sns.send(new CreateTopicCommand({ Name: `page-${String(i).padStart(3, '0')}` }));
    const first = await sns.send(new ListTopicsCommand({}));
    assert.equal(first.Topics?.length, 100);
    assert.ok(first.NextToken);
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    const all = [...first.Topics!, ...second.Topics!].map((t) => t.TopicArn);
    assert.equal(new Set(all).size, all.length);
    assert.ok(all.includes(topicArn('page-104')) && all.includes(topicArn('events')));
    assert.equal(second.NextToken, undefined);
  });

  it('subscribes idempotently and manages subscription attributes', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'subs' }));
    const q = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('inbox'),
      Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ kind: ['a'] }) } }));
    assert.match(q.SubscriptionArn ?? '', new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    const again = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('inbox'), Attributes: { RawMessageDelivery: 'true' } }));
    assert.equal(again.SubscriptionArn, q.SubscriptionArn);
    const l = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fnArn('svc-dev-worker') }));

    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: q.SubscriptionArn }));
    assert.equal(Attributes?.RawMessageDelivery, 'true');
    assert.equal(Attributes?.FilterPolicyScope, 'MessageAttributes');
    assert.equal(Attributes?.PendingConfirmation, 'false');
    assert.equal(Attributes?.Protocol, 'sqs');
    assert.equal(Attributes?.Endpoint, queueArn('inbox'));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: q.SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageBody' }));
    assert.equal((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: q.SubscriptionArn }))).Attributes?.FilterPolicyScope, 'MessageBody');

    const badPolicy = await rejection(() => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: q.SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"a": "b"}' })));
    assert.equal(badPolicy.name, 'InvalidParameterException');
    const rawLambda = await rejection(() => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: l.SubscriptionArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' })));
    assert.equal(rawLambda.name, 'InvalidParameterException');
    const badEndpoint = await rejection(() => sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'not-an-arn' })));
    assert.equal(badEndpoint.name, 'InvalidParameterException');

    const byTopic = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.deepEqual(byTopic.Subscriptions?.map((s) => [s.Protocol, s.Endpoint, s.Owner, s.TopicArn]),
      [['sqs', queueArn('inbox'), ACCOUNT, TopicArn], ['lambda', fnArn('svc-dev-worker'), ACCOUNT, TopicArn]]);
    const all = await sns.send(new ListSubscriptionsCommand({}));
    assert.ok(all.Subscriptions?.some((s) => s.SubscriptionArn === l.SubscriptionArn));

    await sns.send(new UnsubscribeCommand({ SubscriptionArn: l.SubscriptionArn }));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: l.SubscriptionArn }));
    const gone = await rejection(() => sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: l.SubscriptionArn })));
    assert.equal(gone.name, 'NotFoundException');
    assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions?.length, 1);
  });

  it('tags topics and deletes them with their subscriptions', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'team', Value: 'core' }] }));
    await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'tier', Value: 'x' }] }));
    await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['tier'] }));
    const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    assert.deepEqual(Tags, [{ Key: 'team', Value: 'core' }, { Key: 'env', Value: 'dev' }]);
    const missing = await rejection(() => sns.send(new ListTagsForResourceCommand({ ResourceArn: topicArn('ghost') })));
    assert.equal(missing.name, 'ResourceNotFoundException');

    const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('x') }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    const gone = await rejection(() => sns.send(new GetTopicAttributesCommand({ TopicArn })));
    assert.equal(gone.name, 'NotFoundException');
    const subGone = await rejection(() => sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn })));
    assert.equal(subGone.name, 'NotFoundException');
  });
});
