// FIFO queues (ordering, one group in flight, deduplication) and redrive to a dead-letter queue,
// with the real SDK over both wire protocols; retention with a fake clock.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand,
  SendMessageCommand, type SQSClient,
} from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { FakeClock } from '../../store/fake-clock.ts';
import { ACCOUNT, PROTOCOLS, REGION, rejection, startAws, type AwsHarness } from './harness.ts';

for (const protocol of PROTOCOLS) {
  describe(`SQS FIFO and redrive over ${protocol}`, () => {
    let aws: AwsHarness;
    let sqs: SQSClient;
    before(async () => { aws = await startAws(); sqs = aws.sqs(protocol); });
    after(() => aws.close());

    it('keeps group order, holds a group while one of its messages is in flight, and numbers messages', async () => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders.fifo', Attributes: { FifoQueue: 'true' } }));
      const sent = [];
      for (const [group, body] of [['g1', 'a1'], ['g2', 'b1'], ['g1', 'a2'], ['g1', 'a3'], ['g2', 'b2']] as const) {
        sent.push(await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: body })));
      }
      const seqs = sent.map((s) => BigInt(s.SequenceNumber!));
      assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!), 'sequence numbers increase');

      const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, MessageSystemAttributeNames: ['All'] }));
      const bodies = first.Messages!.map((m) => m.Body);
      // Whatever is returned of a group comes in order; nothing of a group returned twice out of order.
      assert.ok(bodies.includes('a1'));
      const a1 = first.Messages!.find((m) => m.Body === 'a1')!;
      assert.equal(a1.Attributes?.MessageGroupId, 'g1');
      assert.equal(a1.Attributes?.MessageDeduplicationId, 'a1');
      assert.equal(a1.Attributes?.SequenceNumber, sent[0]!.SequenceNumber);

      // While messages of both groups are in flight nothing more is delivered.
      const blocked = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      assert.equal(blocked.Messages, undefined);
      for (const m of first.Messages!) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));

      const rest: string[] = [];
      for (let i = 0; i < 10 && rest.length + bodies.length < 5; i++) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
        for (const m of Messages ?? []) {
          rest.push(m.Body!);
          await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
        }
      }
      const all = [...bodies, ...rest] as string[];
      assert.deepEqual(all.filter((b) => b.startsWith('a')), ['a1', 'a2', 'a3']);
      assert.deepEqual(all.filter((b) => b.startsWith('b')), ['b1', 'b2']);
    });

    it('drops duplicates within the window, by explicit id or by content', async () => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'dedup.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }));
      const one = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'same', MessageGroupId: 'g' }));
      const two = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'same', MessageGroupId: 'g' }));
      assert.equal(two.MessageId, one.MessageId);
      const three = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'other', MessageGroupId: 'g', MessageDeduplicationId: 'id-1' }));
      const four = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'other but new', MessageGroupId: 'g', MessageDeduplicationId: 'id-1' }));
      assert.equal(four.MessageId, three.MessageId);
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ContentBasedDeduplication', 'FifoQueue'] }));
      assert.deepEqual(Attributes, { ApproximateNumberOfMessages: '2', ContentBasedDeduplication: 'true', FifoQueue: 'true' });

      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['MessageDeduplicationId'] }));
      assert.equal(Messages![0]!.Attributes?.MessageDeduplicationId, createHash('sha256').update('same').digest('hex'));
    });

    it('enforces FIFO parameters', async () => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'strict.fifo', Attributes: { FifoQueue: 'true' } }));
      const noGroup = await rejection(() => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' })));
      assert.equal(noGroup.name, 'MissingParameter');
      const noDedup = await rejection(() => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })));
      assert.equal(noDedup.name, 'InvalidParameterValue');
      const delay = await rejection(() => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 })));
      assert.equal(delay.name, 'InvalidParameterValue');
      const batch = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [
        { Id: 'ok', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1' },
        { Id: 'bad', MessageBody: 'y', MessageDeduplicationId: 'd2' },
      ] }));
      assert.equal(batch.Successful?.[0]?.Id, 'ok');
      assert.match(batch.Successful?.[0]?.SequenceNumber ?? '', /^\d+$/);
      assert.deepEqual(batch.Failed?.map((f) => [f.Id, f.Code]), [['bad', 'MissingParameter']]);
      const standard = (await sqs.send(new CreateQueueCommand({ QueueName: 'std' }))).QueueUrl;
      const dedupOnStandard = await rejection(() => sqs.send(new SendMessageCommand({ QueueUrl: standard, MessageBody: 'x', MessageDeduplicationId: 'd' })));
      assert.equal(dedupOnStandard.name, 'InvalidParameterValue');
    });

    it('moves a message to the dead-letter queue once it was received maxReceiveCount times', async () => {
      const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'work-dlq' }));
      const dlqArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:work-dlq`;
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'work', Attributes: {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
      } }));
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }));
      for (let i = 1; i <= 2; i++) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
        assert.equal(Messages?.[0]?.Attributes?.ApproximateReceiveCount, String(i));
      }
      const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(third.Messages, undefined);
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
      assert.equal(Messages?.length, 1);
      const m = Messages![0]!;
      assert.equal(m.MessageId, sent.MessageId);
      assert.equal(m.Body, 'poison');
      assert.equal(m.MessageAttributes?.k?.StringValue, 'v');
      assert.equal(m.Attributes?.DeadLetterQueueSourceArn, `arn:aws:sqs:${REGION}:${ACCOUNT}:work`);
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
      assert.equal(Attributes?.ApproximateNumberOfMessages, '0');
      assert.equal(Attributes?.ApproximateNumberOfMessagesNotVisible, '0');
    });
  });
}

describe('SQS retention', () => {
  it('drops messages older than MessageRetentionPeriod', async (t) => {
    const clock = new FakeClock(Date.now());
    const aws = await startAws({ clock });
    t.after(() => aws.close());
    const sqs = aws.sqs('json');
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'short', Attributes: { MessageRetentionPeriod: '60' } }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'old' }));
    await clock.advance(30_000);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'young' }));
    await clock.advance(31_000);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    assert.equal(Attributes?.ApproximateNumberOfMessages, '1');
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(Messages?.map((m) => m.Body), ['young']);
  });
});
