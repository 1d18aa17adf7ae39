// SNS on the wire: query version and namespace (2010-03-31) and each operation's query shapes
// (`.member.N` lists, `.entry.N.key/value` maps); the JSON target prefix for clients that use JSON.
import type { RpcService } from '../protocol/rpc.ts';
import { blob, bool, list, map, str, struct } from '../protocol/shapes.ts';

const attributes = map(str);
const tags = list(struct({ Key: str, Value: str }));
const messageAttributes = map(struct({ DataType: str, StringValue: str, BinaryValue: blob }), 'Name', 'Value');
const subscriptions = list(struct({ SubscriptionArn: str, Owner: str, Protocol: str, Endpoint: str, TopicArn: str }));
const publishEntry = {
  Message: str, Subject: str, MessageStructure: str, MessageAttributes: messageAttributes,
  MessageDeduplicationId: str, MessageGroupId: str,
};

export const SNS_WIRE: RpcService = {
  jsonTargetPrefix: 'AmazonSimpleNotificationService',
  jsonNamespace: 'com.amazonaws.sns',
  queryVersion: '2010-03-31',
  xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/',
  queryErrorDetail: false,
  shapes: {
    CreateTopic: {
      input: struct({ Name: str, Attributes: attributes, Tags: tags, DataProtectionPolicy: str }),
      output: struct({ TopicArn: str }),
    },
    ListTopics: { input: struct({ NextToken: str }), output: struct({ Topics: list(struct({ TopicArn: str })), NextToken: str }) },
    GetTopicAttributes: { input: struct({ TopicArn: str }), output: struct({ Attributes: attributes }) },
    SetTopicAttributes: { input: struct({ TopicArn: str, AttributeName: str, AttributeValue: str }) },
    DeleteTopic: { input: struct({ TopicArn: str }) },
    Subscribe: {
      input: struct({ TopicArn: str, Protocol: str, Endpoint: str, Attributes: attributes, ReturnSubscriptionArn: bool }),
      output: struct({ SubscriptionArn: str }),
    },
    ConfirmSubscription: {
      input: struct({ TopicArn: str, Token: str, AuthenticateOnUnsubscribe: str }),
      output: struct({ SubscriptionArn: str }),
    },
    Unsubscribe: { input: struct({ SubscriptionArn: str }) },
    ListSubscriptions: { input: struct({ NextToken: str }), output: struct({ Subscriptions: subscriptions, NextToken: str }) },
    ListSubscriptionsByTopic: {
      input: struct({ TopicArn: str, NextToken: str }),
      output: struct({ Subscriptions: subscriptions, NextToken: str }),
    },
    GetSubscriptionAttributes: { input: struct({ SubscriptionArn: str }), output: struct({ Attributes: attributes }) },
    SetSubscriptionAttributes: { input: struct({ SubscriptionArn: str, AttributeName: str, AttributeValue: str }) },
    Publish: {
      input: struct({ TopicArn: str, TargetArn: str, PhoneNumber: str, ...publishEntry }),
      output: struct({ MessageId: str, SequenceNumber: str }),
    },
    PublishBatch: {
      input: struct({ TopicArn: str, PublishBatchRequestEntries: list(struct({ Id: str, ...publishEntry })) }),
      output: struct({
        Successful: list(struct({ Id: str, MessageId: str, SequenceNumber: str })),
        Failed: list(struct({ Id: str, Code: str, Message: str, SenderFault: bool })),
      }),
    },
    TagResource: { input: struct({ ResourceArn: str, Tags: tags }), output: struct({}) },
    UntagResource: { input: struct({ ResourceArn: str, TagKeys: list(str) }), output: struct({}) },
    ListTagsForResource: { input: struct({ ResourceArn: str }), output: struct({ Tags: tags }) },
  },
};
