// SQS on the wire: JSON target prefix, query version and namespace, and each operation's query
// shapes (wire names and flattening as in the SQS service model, 2012-11-05).
import type { RpcService } from '../protocol/rpc.ts';
import { blob, bool, flatList, flatMap, int, named, str, struct } from '../protocol/shapes.ts';

const attributeValue = struct({
  StringValue: str,
  BinaryValue: blob,
  StringListValues: named('StringListValue', flatList(str)),
  BinaryListValues: named('BinaryListValue', flatList(blob)),
  DataType: str,
});

const messageAttributes = named('MessageAttribute', flatMap(attributeValue));
const systemAttributes = named('MessageSystemAttribute', flatMap(attributeValue));
const queueAttributes = named('Attribute', flatMap(str));
const tags = named('Tag', flatMap(str, 'Key', 'Value'));
const queueUrl = { QueueUrl: str };

const batchError = struct({ Id: str, SenderFault: bool, Code: str, Message: str });
const failed = named('BatchResultErrorEntry', flatList(batchError));

const sendEntry = {
  MessageBody: str, DelaySeconds: int, MessageAttributes: messageAttributes,
  MessageSystemAttributes: systemAttributes, MessageDeduplicationId: str, MessageGroupId: str,
};

const sendResult = {
  MessageId: str, MD5OfMessageBody: str, MD5OfMessageAttributes: str,
  MD5OfMessageSystemAttributes: str, SequenceNumber: str,
};

const message = struct({
  MessageId: str, ReceiptHandle: str, MD5OfBody: str, Body: str,
  Attributes: named('Attribute', flatMap(str)),
  MD5OfMessageAttributes: str,
  MessageAttributes: messageAttributes,
});

export const SQS_WIRE: RpcService = {
  jsonTargetPrefix: 'AmazonSQS',
  jsonNamespace: 'com.amazonaws.sqs',
  queryVersion: '2012-11-05',
  xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/',
  queryErrorDetail: true,
  shapes: {
    CreateQueue: {
      input: struct({ QueueName: str, Attributes: queueAttributes, tags }),
      output: struct({ QueueUrl: str }),
    },
    GetQueueUrl: {
      input: struct({ QueueName: str, QueueOwnerAWSAccountId: str }),
      output: struct({ QueueUrl: str }),
    },
    GetQueueAttributes: {
      input: struct({ ...queueUrl, AttributeNames: named('AttributeName', flatList(str)) }),
      output: struct({ Attributes: queueAttributes }),
    },
    SetQueueAttributes: { input: struct({ ...queueUrl, Attributes: queueAttributes }) },
    ListQueues: {
      input: struct({ QueueNamePrefix: str, NextToken: str, MaxResults: int }),
      output: struct({ QueueUrls: named('QueueUrl', flatList(str)), NextToken: str }),
    },
    DeleteQueue: { input: struct(queueUrl) },
    PurgeQueue: { input: struct(queueUrl) },
    SendMessage: {
      input: struct({ ...queueUrl, ...sendEntry }),
      output: struct(sendResult),
    },
    SendMessageBatch: {
      input: struct({ ...queueUrl, Entries: named('SendMessageBatchRequestEntry', flatList(struct({ Id: str, ...sendEntry }))) }),
      output: struct({
        Successful: named('SendMessageBatchResultEntry', flatList(struct({ Id: str, ...sendResult }))),
        Failed: failed,
      }),
    },
    ReceiveMessage: {
      input: struct({
        ...queueUrl,
        // Both lists travel as AttributeName.N in query; the provider takes their union.
        AttributeNames: named('AttributeName', flatList(str)),
        MessageSystemAttributeNames: named('AttributeName', flatList(str)),
        MessageAttributeNames: named('MessageAttributeName', flatList(str)),
        MaxNumberOfMessages: int, VisibilityTimeout: int, WaitTimeSeconds: int, ReceiveRequestAttemptId: str,
      }),
      output: struct({ Messages: named('Message', flatList(message)) }),
    },
    DeleteMessage: { input: struct({ ...queueUrl, ReceiptHandle: str }) },
    DeleteMessageBatch: {
      input: struct({ ...queueUrl, Entries: named('DeleteMessageBatchRequestEntry', flatList(struct({ Id: str, ReceiptHandle: str }))) }),
      output: struct({ Successful: named('DeleteMessageBatchResultEntry', flatList(struct({ Id: str }))), Failed: failed }),
    },
    ChangeMessageVisibility: { input: struct({ ...queueUrl, ReceiptHandle: str, VisibilityTimeout: int }) },
    ChangeMessageVisibilityBatch: {
      input: struct({
        ...queueUrl,
        Entries: named('ChangeMessageVisibilityBatchRequestEntry', flatList(struct({ Id: str, ReceiptHandle: str, VisibilityTimeout: int }))),
      }),
      output: struct({ Successful: named('ChangeMessageVisibilityBatchResultEntry', flatList(struct({ Id: str }))), Failed: failed }),
    },
    TagQueue: { input: struct({ ...queueUrl, Tags: tags }) },
    UntagQueue: { input: struct({ ...queueUrl, TagKeys: named('TagKey', flatList(str)) }) },
    ListQueueTags: { input: struct(queueUrl), output: struct({ Tags: tags }) },
    ListDeadLetterSourceQueues: {
      input: struct({ ...queueUrl, NextToken: str, MaxResults: int }),
      output: struct({ queueUrls: named('QueueUrl', flatList(str)), NextToken: str }),
    },
  },
};
