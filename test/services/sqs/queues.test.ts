// SQS queue operations with the real SDK, one test body run over both wire protocols.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand, ListQueueTagsCommand, PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand,
  TagQueueCommand, UntagQueueCommand, type SQSClient,
} from '@aws-sdk/client-sqs';
import { ACCOUNT, PROTOCOLS, REGION, rejection, startAws, type AwsHarness } from './harness.ts';

for (const protocol of PROTOCOLS) {
  describe(`SQS queues over ${protocol}`, () => {
    let aws: AwsHarness;
    let sqs: SQSClient;
    before(async () => { aws = await startAws(); sqs = aws.sqs(protocol); });
    after(() => aws.close());

    it('speaks the protocol under test', async () => {
      const before = aws.seen[protocol];
      await sqs.send(new ListQueuesCommand({}));
      assert.equal(aws.seen[protocol], before + 1);
    });

    it('creates queues idempotently and refuses different attributes', async () => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '45' } }));
      assert.equal(QueueUrl, `${aws.endpoint}/${ACCOUNT}/orders`);
      const again = await sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '45' } }));
      assert.equal(again.QueueUrl, QueueUrl);
      // Attributes left out are not compared; the default value counts as matching.
      await sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { DelaySeconds: '0' } }));
      const err = await rejection(() => sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '46' } })));
      assert.equal(err.name, 'QueueNameExists');
      assert.equal(err.Code, 'QueueAlreadyExists');
      assert.equal(err.$metadata.httpStatusCode, 400);
    });

    it('validates queue names and attributes', async () => {
      const badName = await rejection(() => sqs.send(new CreateQueueCommand({ QueueName: 'bad name!' })));
      assert.equal(badName.name, 'InvalidParameterValue');
      const fifoName = await rejection(() => sqs.send(new CreateQueueCommand({ QueueName: 'plain.fifo' })));
      assert.equal(fifoName.name, 'InvalidParameterValue');
      const badValue = await rejection(() => sqs.send(new CreateQueueCommand({ QueueName: 'v', Attributes: { VisibilityTimeout: '43201' } })));
      assert.equal(badValue.name, 'InvalidAttributeValue');
      const unknown = await rejection(() => sqs.send(new CreateQueueCommand({ QueueName: 'v', Attributes: { Colour: 'red' } as never })));
      assert.equal(unknown.name, 'InvalidAttributeName');
      const missing = await rejection(() => sqs.send(new CreateQueueCommand({} as never)));
      assert.equal(missing.name, 'MissingParameter');
    });

    it('answers QueueDoesNotExist with the legacy code in both protocols', async () => {
      const err = await rejection(() => sqs.send(new GetQueueUrlCommand({ QueueName: 'ghost' })));
      assert.equal(err.name, 'QueueDoesNotExist');
      assert.equal(err.Code, 'AWS.SimpleQueueService.NonExistentQueue');
      assert.equal(err.$metadata.httpStatusCode, 400);
      const send = await rejection(() => sqs.send(new SendMessageCommand({ QueueUrl: `${aws.endpoint}/${ACCOUNT}/ghost`, MessageBody: 'x' })));
      assert.equal(send.name, 'QueueDoesNotExist');
    });

    it('finds queues by URL, AWS-form URL or ARN', async () => {
      await sqs.send(new CreateQueueCommand({ QueueName: 'lookup' }));
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'lookup' }));
      assert.equal(QueueUrl, `${aws.endpoint}/${ACCOUNT}/lookup`);
      // A client configured with an explicit endpoint keeps sending there, whatever host the URL names.
      for (const ref of [`https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/lookup`, `arn:aws:sqs:${REGION}:${ACCOUNT}:lookup`]) {
        const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: ref, AttributeNames: ['QueueArn'] }));
        assert.deepEqual(Attributes, { QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:lookup` });
      }
    });

    it('reports every attribute with All, and single ones by name', async () => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'attrs', Attributes: { DelaySeconds: '0', MaximumMessageSize: '2048' } }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b' }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'c', DelaySeconds: 600 }));
      await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
      const { Attributes: all } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
      assert.equal(all?.ApproximateNumberOfMessages, '1');
      assert.equal(all?.ApproximateNumberOfMessagesNotVisible, '1');
      assert.equal(all?.ApproximateNumberOfMessagesDelayed, '1');
      assert.equal(all?.VisibilityTimeout, '30');
      assert.equal(all?.MaximumMessageSize, '2048');
      assert.equal(all?.MessageRetentionPeriod, '345600');
      assert.equal(all?.ReceiveMessageWaitTimeSeconds, '0');
      assert.equal(all?.QueueArn, `arn:aws:sqs:${REGION}:${ACCOUNT}:attrs`);
      assert.match(all?.CreatedTimestamp ?? '', /^\d{10}$/);
      assert.match(all?.LastModifiedTimestamp ?? '', /^\d{10}$/);
      assert.equal(all?.FifoQueue, undefined);
      assert.equal(all?.RedrivePolicy, undefined);

      const { Attributes: one } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'ApproximateNumberOfMessages'] }));
      assert.deepEqual(one, { VisibilityTimeout: '30', ApproximateNumberOfMessages: '1' });
      const bad = await rejection(() => sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Nope' as never] })));
      assert.equal(bad.name, 'InvalidAttributeName');
    });

    it('sets attributes, including a RedrivePolicy given as JSON with a string count', async () => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'settable' }));
      const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'settable-dlq' }));
      const dlqArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:settable-dlq`;
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: {
        VisibilityTimeout: '5', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '3' }),
      } }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] }));
      assert.equal(Attributes?.VisibilityTimeout, '5');
      assert.deepEqual(JSON.parse(Attributes?.RedrivePolicy ?? '{}'), { deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });

      const { queueUrls } = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl }));
      assert.deepEqual(queueUrls, [QueueUrl]);

      const missingDlq = await rejection(() => sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:nowhere`, maxReceiveCount: 3 }),
      } })));
      assert.equal(missingDlq.name, 'InvalidParameterValue');
      const readOnly = await rejection(() => sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { QueueArn: 'x' } as never })));
      assert.equal(readOnly.name, 'InvalidAttributeName');
    });

    it('lists queues by prefix, with pages when MaxResults is given', async () => {
      for (const n of ['list-a', 'list-b', 'list-c', 'other']) await sqs.send(new CreateQueueCommand({ QueueName: n }));
      const all = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'list-' }));
      assert.deepEqual(all.QueueUrls, ['list-a', 'list-b', 'list-c'].map((n) => `${aws.endpoint}/${ACCOUNT}/${n}`));
      assert.equal(all.NextToken, undefined);
      const first = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'list-', MaxResults: 2 }));
      assert.equal(first.QueueUrls?.length, 2);
      assert.ok(first.NextToken);
      const second = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'list-', MaxResults: 2, NextToken: first.NextToken }));
      assert.deepEqual(second.QueueUrls, [`${aws.endpoint}/${ACCOUNT}/list-c`]);
      assert.equal(second.NextToken, undefined);
      const none = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'zzz' }));
      assert.equal(none.QueueUrls, undefined);
    });

    it('tags, untags and lists tags', async () => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'tagged', tags: { team: 'core' } }));
      await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { env: 'dev', tier: 'gold' } }));
      await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['tier'] }));
      const { Tags } = await sqs.send(new ListQueueTagsCommand({ QueueUrl }));
      assert.deepEqual(Tags, { team: 'core', env: 'dev' });
    });

    it('purges once a minute and deletes queues', async () => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'purged' }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
      await sqs.send(new PurgeQueueCommand({ QueueUrl }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      assert.equal(Attributes?.ApproximateNumberOfMessages, '0');
      const again = await rejection(() => sqs.send(new PurgeQueueCommand({ QueueUrl })));
      assert.equal(again.name, 'PurgeQueueInProgress');
      assert.equal(again.$metadata.httpStatusCode, 403);

      await sqs.send(new DeleteQueueCommand({ QueueUrl }));
      const gone = await rejection(() => sqs.send(new GetQueueUrlCommand({ QueueName: 'purged' })));
      assert.equal(gone.name, 'QueueDoesNotExist');
    });
  });
}

describe('SQS programmatic surface', () => {
  it('ensureQueue creates, then converges attributes and tags as a redeploy would', async (t) => {
    const aws = await startAws();
    t.after(() => aws.close());
    const sqs = aws.sqs('json');
    const arn = await aws.sqsProvider.ensureQueue('declared', { VisibilityTimeout: '30' }, { team: 'a' });
    assert.equal(arn, `arn:aws:sqs:${REGION}:${ACCOUNT}:declared`);
    assert.equal(await aws.sqsProvider.ensureQueue('declared', { VisibilityTimeout: '60' }, { env: 'dev' }), arn);
    const QueueUrl = `${aws.endpoint}/${ACCOUNT}/declared`;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }));
    assert.equal(Attributes?.VisibilityTimeout, '60');
    assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { team: 'a', env: 'dev' });
    await assert.rejects(aws.sqsProvider.ensureQueue('declared', { VisibilityTimeout: 'soon' }), { awsCode: 'InvalidAttributeValue' });

    await aws.sqsProvider.sendToArn(arn, 'via ARN', { k: { DataType: 'String', StringValue: 'v' } });
    const got = await aws.sqsProvider.receive(arn, { max: 10, waitSeconds: 0 });
    assert.equal(got[0]?.Body, 'via ARN');
    assert.equal(got[0]?.MessageAttributes?.k?.StringValue, 'v');
    await aws.sqsProvider.delete(arn, got.map((m) => m.ReceiptHandle));
    assert.deepEqual(await aws.sqsProvider.receive(arn, { max: 10, waitSeconds: 0 }), []);
    await assert.rejects(aws.sqsProvider.sendToArn(`arn:aws:sqs:${REGION}:${ACCOUNT}:nope`, 'x'), { awsCode: 'QueueDoesNotExist' });
  });
});
