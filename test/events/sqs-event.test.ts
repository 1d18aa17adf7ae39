import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failedItems, sqsEvent } from '../../src/events/sqs-event.ts';

test('the SQS event uses camelCase keys, string attributes and null MD5 without attributes', () => {
  const ev = sqsEvent([{ MessageId: 'm1', ReceiptHandle: 'r1', Body: 'test', MD5OfBody: '098f6bcd4621d373cade4e832627b4f6',
    Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1' } },
  { MessageId: 'm2', ReceiptHandle: 'r2', Body: 'x', MD5OfBody: 'y', MD5OfMessageAttributes: 'z',
    MessageAttributes: { kind: { DataType: 'String', StringValue: 'v' } } }], 'arn:aws:sqs:us-east-1:000000000000:q', 'us-east-1');
  const [a, b] = ev.Records;
  assert.deepEqual(Object.keys(a!), ['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes',
    'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion']);
  assert.equal(a!.md5OfMessageAttributes, null);
  assert.deepEqual(a!.messageAttributes, {});
  assert.equal(a!.eventSource, 'aws:sqs');
  assert.deepEqual(b!.messageAttributes, { kind: { stringValue: 'v', binaryValue: null, stringListValues: [], binaryListValues: [], dataType: 'String' } });
});

test('partial batch responses: listed ids stay, anything malformed fails the whole batch', () => {
  const ids = ['a', 'b', 'c'];
  assert.deepEqual([...failedItems({ batchItemFailures: [{ itemIdentifier: 'b' }] }, ids)], ['b']);
  assert.deepEqual([...failedItems({ batchItemFailures: [] }, ids)], []);
  assert.deepEqual([...failedItems(null, ids)], []);
  assert.deepEqual([...failedItems({}, ids)], []);
  assert.deepEqual([...failedItems({ batchItemFailures: [{ itemIdentifier: 'zzz' }] }, ids)], ids);
  assert.deepEqual([...failedItems({ batchItemFailures: [{ itemIdentifier: '' }] }, ids)], ids);
});
