// The exact bytes of both SQS protocols (and SNS's query errors), with raw HTTP requests: error
// bodies and headers, result wrappers, flattened maps and lists, escaping, old clients' paths.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, startAws, type AwsHarness } from './harness.ts';

const SQS_NS = 'http://queue.amazonaws.com/doc/2012-11-05/';

describe('SQS and SNS on the wire', () => {
  let aws: AwsHarness;
  before(async () => { aws = await startAws(); });
  after(() => aws.close());

  const json = (target: string, body: unknown) => fetch(`${aws.endpoint}/`, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${target}` },
  });
  const query = (params: Record<string, string>, path = '/') => fetch(`${aws.endpoint}${path}`, {
    method: 'POST', body: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  });

  it('answers JSON errors with __type, message and x-amzn-query-error', async () => {
    const res = await json('GetQueueUrl', { QueueName: 'ghost' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.0');
    assert.equal(res.headers.get('x-amzn-query-error'), 'AWS.SimpleQueueService.NonExistentQueue;Sender');
    assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    const body = await res.json() as Record<string, string>;
    assert.deepEqual(Object.keys(body), ['__type', 'message']);
    assert.equal(body.__type, 'com.amazonaws.sqs#QueueDoesNotExist');
    assert.match(body.message!, /^The specified queue does not exist/);
  });

  it('answers query errors with the ErrorResponse document', async () => {
    const res = await query({ Action: 'GetQueueUrl', Version: '2012-11-05', QueueName: 'ghost' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'text/xml');
    const xml = await res.text();
    assert.match(xml, new RegExp(`^<\\?xml version="1.0"\\?><ErrorResponse xmlns="${SQS_NS}"><Error><Type>Sender</Type>`
      + '<Code>AWS\\.SimpleQueueService\\.NonExistentQueue</Code><Message>The specified queue does not exist[^<]*</Message><Detail/></Error>'
      + '<RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$'));
    const unknown = await query({ Action: 'Frobnicate', Version: '2012-11-05' });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /<Code>InvalidAction<\/Code>/);
  });

  it('wraps results in <Op>Result, omits it for result-less actions, and flattens maps and lists', async () => {
    const created = await (await query({ Action: 'CreateQueue', Version: '2012-11-05', QueueName: 'wire-q',
      'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '31', 'Tag.1.Key': 'team', 'Tag.1.Value': 'core' })).text();
    const url = `${aws.endpoint}/${ACCOUNT}/wire-q`;
    assert.match(created, new RegExp(`<CreateQueueResponse xmlns="${SQS_NS}"><CreateQueueResult><QueueUrl>${url}</QueueUrl></CreateQueueResult>`
      + '<ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata></CreateQueueResponse>$'));

    const set = await (await query({ Action: 'SetQueueAttributes', Version: '2012-11-05', QueueUrl: url,
      'Attribute.1.Name': 'DelaySeconds', 'Attribute.1.Value': '0' })).text();
    assert.match(set, /<SetQueueAttributesResponse xmlns="[^"]+"><ResponseMetadata><RequestId>[^<]+<\/RequestId><\/ResponseMetadata><\/SetQueueAttributesResponse>$/);

    const attrs = await (await query({ Action: 'GetQueueAttributes', Version: '2012-11-05', QueueUrl: url,
      'AttributeName.1': 'VisibilityTimeout', 'AttributeName.2': 'DelaySeconds' })).text();
    assert.match(attrs, /<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout<\/Name><Value>31<\/Value><\/Attribute><Attribute><Name>DelaySeconds<\/Name><Value>0<\/Value><\/Attribute><\/GetQueueAttributesResult>/);

    const tags = await (await query({ Action: 'ListQueueTags', Version: '2012-11-05', QueueUrl: url })).text();
    assert.match(tags, /<ListQueueTagsResult><Tag><Key>team<\/Key><Value>core<\/Value><\/Tag><\/ListQueueTagsResult>/);

    const listed = await (await query({ Action: 'ListQueues', Version: '2012-11-05', QueueNamePrefix: 'wire-' })).text();
    assert.match(listed, new RegExp(`<ListQueuesResult><QueueUrl>${url}</QueueUrl></ListQueuesResult>`));
  });

  it('escapes bodies in XML, \\r included, and serves old clients that post to the queue path', async () => {
    // No QueueUrl parameter: the queue is the request path, as some old SDKs send it.
    const sent = await query({ Action: 'SendMessage', Version: '2012-11-05', MessageBody: 'a&b<c>"d"\r\ne',
      'MessageAttribute.1.Name': 'k', 'MessageAttribute.1.Value.DataType': 'String', 'MessageAttribute.1.Value.StringValue': 'v' }, `/${ACCOUNT}/wire-q`);
    assert.equal(sent.status, 200);
    assert.match(await sent.text(), /<SendMessageResult><MessageId>[0-9a-f-]{36}<\/MessageId><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody><MD5OfMessageAttributes>[0-9a-f]{32}<\/MD5OfMessageAttributes><\/SendMessageResult>/);
    const received = await (await query({ Action: 'ReceiveMessage', Version: '2012-11-05', QueueUrl: `${aws.endpoint}/${ACCOUNT}/wire-q`,
      'MessageAttributeName.1': 'All' })).text();
    assert.match(received, /<Body>a&amp;b&lt;c&gt;&quot;d&quot;&#xD;\ne<\/Body>/);
    assert.match(received, /<MessageAttribute><Name>k<\/Name><Value><StringValue>v<\/StringValue><DataType>String<\/DataType><\/Value><\/MessageAttribute>/);
  });

  it('answers JSON requests with JSON results and omits empty members', async () => {
    await json('CreateQueue', { QueueName: 'wire-json' });
    const res = await json('ReceiveMessage', { QueueUrl: `${aws.endpoint}/${ACCOUNT}/wire-json` });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {});
  });

  it('answers SNS query errors without Detail', async () => {
    const res = await query({ Action: 'GetTopicAttributes', Version: '2010-03-31', TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:ghost` });
    assert.equal(res.status, 404);
    assert.match(await res.text(), /^<\?xml version="1.0"\?><ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>NotFound<\/Code><Message>Topic does not exist[^<]*<\/Message><\/Error><RequestId>[^<]+<\/RequestId><\/ErrorResponse>$/);
  });
});
