// SQS message operations with the real SDK (which throws on a wrong MD5OfMessageBody), one test
// body run over both wire protocols.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand,
  DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { md5OfMessageAttributes } from '../../../src/services/sqs/index.ts';
import { ACCOUNT, PROTOCOLS, rejection, startAws, type AwsHarness } from './harness.ts';

for (const protocol of PROTOCOLS) {
  describe(`SQS messages over ${protocol}`, () => {
    let aws: AwsHarness;
    let sqs: SQSClient;
    let n = 0;
    const queue = async (attrs: Record<string, string> = {}) =>
      (await sqs.send(new CreateQueueCommand({ QueueName: `m${++n}`, Attributes: attrs }))).QueueUrl!;
    before(async () => { aws = await startAws(); sqs = aws.sqs(protocol); });
    after(() => aws.close());

    it('sends and receives bodies and attributes with matching MD5s', async () => {
      const QueueUrl = await queue();
      const body = 'héllo <world> & "friends"\r\n✓ 𝄞';
      const attrs = {
        kind: { DataType: 'String', StringValue: 'new' },
        count: { DataType: 'Number', StringValue: '42' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
        'trace.id': { DataType: 'String.custom', StringValue: 'abc' },
      };
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageAttributes: attrs,
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } } }));
      const expectedAttrMd5 = md5OfMessageAttributes({
        kind: attrs.kind, count: attrs.count, 'trace.id': attrs['trace.id'],
        blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]).toString('base64') },
      });
      assert.equal(sent.MD5OfMessageAttributes, expectedAttrMd5);
      assert.equal(sent.MD5OfMessageSystemAttributes, md5OfMessageAttributes({
        AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } }));
      assert.match(sent.MessageId ?? '', /^[0-9a-f-]{36}$/);

      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
      assert.equal(Messages?.length, 1);
      const m = Messages![0]!;
      assert.equal(m.Body, body);
      assert.equal(m.MessageId, sent.MessageId);
      assert.equal(m.MD5OfMessageAttributes, expectedAttrMd5);
      assert.deepEqual(m.MessageAttributes?.kind, { DataType: 'String', StringValue: 'new' });
      assert.deepEqual(Buffer.from(m.MessageAttributes?.blob?.BinaryValue ?? []), Buffer.from([0, 1, 2, 255]));
      assert.equal(m.Attributes?.SenderId, ACCOUNT);
      assert.equal(m.Attributes?.ApproximateReceiveCount, '1');
      assert.match(m.Attributes?.SentTimestamp ?? '', /^\d{13}$/);
      assert.match(m.Attributes?.ApproximateFirstReceiveTimestamp ?? '', /^\d{13}$/);
      assert.equal(m.Attributes?.AWSTraceHeader, 'Root=1-5759e988-bd862e3fe1be46a994272793');
    });

    it('returns only the requested attributes: names, prefixes and none', async () => {
      const QueueUrl = await queue();
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: {
        'order.id': { DataType: 'String', StringValue: '1' }, 'order.kind': { DataType: 'String', StringValue: 'k' },
        other: { DataType: 'String', StringValue: 'o' },
      } }));
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['order.*'], AttributeNames: ['SentTimestamp'] as never, VisibilityTimeout: 0 }));
      const m = Messages![0]!;
      assert.deepEqual(Object.keys(m.MessageAttributes ?? {}).sort(), ['order.id', 'order.kind']);
      assert.equal(m.MD5OfMessageAttributes, md5OfMessageAttributes({
        'order.id': { DataType: 'String', StringValue: '1' }, 'order.kind': { DataType: 'String', StringValue: 'k' } }));
      assert.deepEqual(Object.keys(m.Attributes ?? {}), ['SentTimestamp']);
      const { Messages: bare } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(bare![0]!.MessageAttributes, undefined);
      assert.equal(bare![0]!.MD5OfMessageAttributes, undefined);
      assert.equal(bare![0]!.Attributes, undefined);
    });

    it('rejects invalid bodies, sizes and attributes', async () => {
      const QueueUrl = await queue({ MaximumMessageSize: '1024' });
      const chars = await rejection(() => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bad \u0000 char' })));
      assert.equal(chars.name, 'InvalidMessageContents');
      const big = await rejection(() => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1025) })));
      assert.equal(big.name, 'InvalidParameterValue');
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1024) }));
      const attr = await rejection(() => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x',
        MessageAttributes: { a: { DataType: 'Float', StringValue: '1' } } })));
      assert.equal(attr.name, 'InvalidParameterValue');
      const empty = await rejection(() => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '' })));
      assert.equal(empty.name, 'MissingParameter');
      const max = await rejection(() => sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })));
      assert.equal(max.name, 'InvalidParameterValue');
    });

    it('accepts the default 256 KiB limit exactly', async () => {
      const QueueUrl = await queue();
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(262_144) }));
      const over = await rejection(() => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(262_145) })));
      assert.equal(over.name, 'InvalidParameterValue');
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(Messages![0]!.Body!.length, 262_144);
    });

    it('sends batches with per-entry failures and refuses malformed batches', async () => {
      const QueueUrl = await queue();
      const res = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [
        { Id: 'a', MessageBody: 'one', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
        { Id: 'b', MessageBody: 'two\u0001' },
        { Id: 'c', MessageBody: 'three', DelaySeconds: 901 },
        { Id: 'd', MessageBody: 'four' },
      ] }));
      assert.deepEqual(res.Successful?.map((s) => s.Id), ['a', 'd']);
      assert.equal(res.Successful?.[0]?.MD5OfMessageAttributes, md5OfMessageAttributes({ k: { DataType: 'String', StringValue: 'v' } }));
      assert.deepEqual(res.Failed?.map((f) => [f.Id, f.Code, f.SenderFault]), [['b', 'InvalidMessageContents', true], ['c', 'InvalidParameterValue', true]]);

      const tooMany = await rejection(() => sqs.send(new SendMessageBatchCommand({ QueueUrl,
        Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })) })));
      assert.equal(tooMany.name, 'TooManyEntriesInBatchRequest');
      assert.equal(tooMany.Code, 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest');
      const dup = await rejection(() => sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'x', MessageBody: '1' }, { Id: 'x', MessageBody: '2' }] })));
      assert.equal(dup.name, 'BatchEntryIdsNotDistinct');
      const badId = await rejection(() => sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'no spaces', MessageBody: '1' }] })));
      assert.equal(badId.name, 'InvalidBatchEntryId');
      const emptyBatch = await rejection(() => sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })));
      assert.equal(emptyBatch.name, 'EmptyBatchRequest');
      const tooLong = await rejection(() => sqs.send(new SendMessageBatchCommand({ QueueUrl,
        Entries: [{ Id: 'a', MessageBody: 'x'.repeat(200_000) }, { Id: 'b', MessageBody: 'x'.repeat(100_000) }] })));
      assert.equal(tooLong.name, 'BatchRequestTooLong');
    });

    it('receives up to MaxNumberOfMessages and deletes them, one and in batches', async () => {
      const QueueUrl = await queue();
      await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 5 }, (_, i) => ({ Id: `m${i}`, MessageBody: `body ${i}` })) }));
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      assert.equal(Messages?.length, 5);
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle }));
      // A stale but well-formed handle succeeds; a malformed one is refused per entry.
      const res = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [
        ...Messages!.slice(1).map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
        { Id: 'stale', ReceiptHandle: Messages![0]!.ReceiptHandle },
        { Id: 'junk', ReceiptHandle: 'not a handle' },
      ] }));
      assert.equal(res.Successful?.length, 5);
      assert.deepEqual(res.Failed?.map((f) => [f.Id, f.Code]), [['junk', 'ReceiptHandleIsInvalid']]);
      const counts = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
      assert.equal(counts.Attributes?.ApproximateNumberOfMessages, '0');
      assert.equal(counts.Attributes?.ApproximateNumberOfMessagesNotVisible, '0');

      const invalid = await rejection(() => sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'garbage!' })));
      assert.equal(invalid.name, 'ReceiptHandleIsInvalid');
      assert.equal(invalid.$metadata.httpStatusCode, 404);
    });

    it('hides received messages for the visibility timeout and counts receives', async () => {
      const QueueUrl = await queue({ VisibilityTimeout: '600' });
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'v' }));
      const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
      assert.equal(first.Messages?.length, 1);
      const hidden = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(hidden.Messages, undefined);

      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first.Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 }));
      const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'], VisibilityTimeout: 1 }));
      assert.equal(second.Messages?.[0]?.Attributes?.ApproximateReceiveCount, '2');
      assert.notEqual(second.Messages![0]!.ReceiptHandle, first.Messages![0]!.ReceiptHandle);
      // The first handle is stale now: changing visibility with it fails.
      const stale = await rejection(() => sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first.Messages![0]!.ReceiptHandle, VisibilityTimeout: 5 })));
      assert.equal(stale.name, 'MessageNotInflight');
      // After the 1 s visibility timeout runs out, a long poll sees the message again.
      const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'], WaitTimeSeconds: 10 }));
      assert.equal(third.Messages?.[0]?.Attributes?.ApproximateReceiveCount, '3');
      // Extending visibility keeps the handle valid for deletion.
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: third.Messages![0]!.ReceiptHandle, VisibilityTimeout: 300 }));
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: third.Messages![0]!.ReceiptHandle }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
      assert.equal(Attributes?.ApproximateNumberOfMessagesNotVisible, '0');
    });

    it('changes visibility in batches with per-entry failures', async () => {
      const QueueUrl = await queue();
      await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }] }));
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2 }));
      const res = await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: [
        { Id: 'a', ReceiptHandle: Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 },
        { Id: 'b', ReceiptHandle: Messages![1]!.ReceiptHandle, VisibilityTimeout: 43_201 },
      ] }));
      assert.deepEqual(res.Successful?.map((s) => s.Id), ['a']);
      assert.deepEqual(res.Failed?.map((f) => [f.Id, f.Code]), [['b', 'InvalidParameterValue']]);
      const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2 }));
      assert.equal(again.Messages?.length, 1);
    });

    it('long polls until a message arrives, returning early', async () => {
      const QueueUrl = await queue();
      const started = Date.now();
      const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
      await new Promise((r) => setTimeout(r, 200));
      await aws.sqs(protocol).send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake up' }));
      const { Messages } = await polling;
      assert.equal(Messages?.[0]?.Body, 'wake up');
      // Ends on the send, long before the 20 s wait (a generous ratio, not a timing measurement).
      assert.ok(Date.now() - started < 15_000);
    });

    it('delays messages by queue default and per message', async () => {
      const QueueUrl = await queue({ DelaySeconds: '1' });
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'queue-delayed' }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'not delayed', DelaySeconds: 0 }));
      const now = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      assert.deepEqual(now.Messages?.map((m) => m.Body), ['not delayed']);
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }));
      assert.equal(Attributes?.ApproximateNumberOfMessagesDelayed, '1');
      const later = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
      assert.equal(later.Messages?.[0]?.Body, 'queue-delayed');
    });
  });
}
