// The AWS CLI 2.9 (query protocol, botocore's own XML parser) against the SQS provider.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { awsCli, awsCliJson, awsCliSkip } from '../../helpers/aws-cli.ts';
import { ACCOUNT, startAws, type AwsHarness } from './harness.ts';

describe('SQS with the AWS CLI', { skip: awsCliSkip }, () => {
  let aws: AwsHarness;
  before(async () => { aws = await startAws(); });
  after(() => aws.close());
  const cli = <T = any>(...args: string[]) => awsCliJson<T>(['sqs', ...args], { endpoint: aws.endpoint });

  it('creates, sends, receives and deletes over the query protocol', async () => {
    const { QueueUrl } = await cli('create-queue', '--queue-name', 'cli-q', '--attributes', 'VisibilityTimeout=40');
    assert.equal(QueueUrl, `${aws.endpoint}/${ACCOUNT}/cli-q`);
    assert.ok(aws.seen.query > 0 && aws.seen.json === 0, 'CLI 2.9 speaks query');

    const body = 'hi & <there> "quoted"\r\nsecond line';
    const sent = await cli('send-message', '--queue-url', QueueUrl, '--message-body', body,
      '--message-attributes', JSON.stringify({ kind: { DataType: 'String', StringValue: 'new' }, n: { DataType: 'Number', StringValue: '7' } }));
    assert.match(sent.MessageId, /^[0-9a-f-]{36}$/);
    assert.equal(sent.MD5OfMessageBody, '' + (await import('../../../src/services/sqs/index.ts')).md5OfBody(body));

    const batch = await cli('send-message-batch', '--queue-url', QueueUrl, '--entries', JSON.stringify([
      { Id: 'a', MessageBody: 'batch a' }, { Id: 'b', MessageBody: 'bad \u0001' }]));
    assert.deepEqual(batch.Successful.map((s: { Id: string }) => s.Id), ['a']);
    assert.equal(batch.Failed[0].Code, 'InvalidMessageContents');
    assert.equal(batch.Failed[0].SenderFault, true);

    const received = await cli('receive-message', '--queue-url', QueueUrl, '--max-number-of-messages', '10',
      '--attribute-names', 'All', '--message-attribute-names', 'All');
    assert.equal(received.Messages.length, 2);
    const m = received.Messages.find((x: { Body: string }) => x.Body === body);
    assert.ok(m, 'the body survives XML escaping, including \\r');
    assert.deepEqual(m.MessageAttributes.kind, { StringValue: 'new', DataType: 'String' });
    assert.equal(m.Attributes.ApproximateReceiveCount, '1');

    const attrs = await cli('get-queue-attributes', '--queue-url', QueueUrl, '--attribute-names', 'All');
    assert.equal(attrs.Attributes.VisibilityTimeout, '40');
    assert.equal(attrs.Attributes.ApproximateNumberOfMessagesNotVisible, '2');

    const deleted = await cli('delete-message-batch', '--queue-url', QueueUrl, '--entries', JSON.stringify(
      received.Messages.map((x: { ReceiptHandle: string }, i: number) => ({ Id: `d${i}`, ReceiptHandle: x.ReceiptHandle }))));
    assert.equal(deleted.Successful.length, 2);
  });

  it('reports errors with the query codes', async () => {
    const r = await awsCli(['sqs', 'get-queue-url', '--queue-name', 'missing'], { endpoint: aws.endpoint });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /AWS\.SimpleQueueService\.NonExistentQueue/);
  });
});
