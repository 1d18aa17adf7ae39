// The SNS provider: one operation table served over the query protocol (and JSON, for clients that
// use it), plus the small surface the integrator wires `sns` events, `resources:` and destinations to.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SnsMessageAttribute } from '../../events/sns-delivery.ts';
import type { AwsServiceProvider, CallerIdentity, ServiceEnv } from '../types.ts';
import { notImplemented, serveRpc } from '../protocol/rpc.ts';
import { topicByArn, type QueueSender, type SnsContext, type SnsOperation } from './context.ts';
import { createSnsState } from './model.ts';
import { publish, publishBatch, publishToTopic, type PublishOptions } from './publish-ops.ts';
import {
  confirmSubscription, getSubscriptionAttributes, listSubscriptions, listSubscriptionsByTopic,
  setSubscriptionAttributes, subscribe, subscribeTo, unsubscribe,
} from './subscription-ops.ts';
import {
  createTopic, deleteTopic, ensureTopic, getTopicAttributes, listTagsForResource, listTopics, setTopicAttributes,
  tagResource, untagResource,
} from './topic-ops.ts';
import { SNS_WIRE } from './wire.ts';

/** One method per SNS operation Gannet implements; anything else answers InvalidAction. */
type SnsApi = {
  CreateTopic: SnsOperation; ListTopics: SnsOperation; GetTopicAttributes: SnsOperation; SetTopicAttributes: SnsOperation;
  DeleteTopic: SnsOperation; Subscribe: SnsOperation; ConfirmSubscription: SnsOperation; Unsubscribe: SnsOperation;
  ListSubscriptions: SnsOperation; ListSubscriptionsByTopic: SnsOperation;
  GetSubscriptionAttributes: SnsOperation; SetSubscriptionAttributes: SnsOperation;
  Publish: SnsOperation; PublishBatch: SnsOperation;
  TagResource: SnsOperation; UntagResource: SnsOperation; ListTagsForResource: SnsOperation;
};

const SNS_API: SnsApi = {
  CreateTopic: createTopic, ListTopics: listTopics, GetTopicAttributes: getTopicAttributes, SetTopicAttributes: setTopicAttributes,
  DeleteTopic: deleteTopic, Subscribe: subscribe, ConfirmSubscription: confirmSubscription, Unsubscribe: unsubscribe,
  ListSubscriptions: listSubscriptions, ListSubscriptionsByTopic: listSubscriptionsByTopic,
  GetSubscriptionAttributes: getSubscriptionAttributes, SetSubscriptionAttributes: setSubscriptionAttributes,
  Publish: publish, PublishBatch: publishBatch,
  TagResource: tagResource, UntagResource: untagResource, ListTagsForResource: listTagsForResource,
};

export type { PublishOptions };

export type SnsProvider = AwsServiceProvider & {
  /** Publishes as Publish would (filter policies, FIFO rules, deliveries); resolves once SQS and Lambda
   *  deliveries are durably queued. Throws NotFound for a missing topic. */
  publishToArn(topicArn: string, message: string, opts?: PublishOptions): Promise<void>;
  /** Creates the topic, or brings an existing one's attributes and tags to the given ones (as a deploy
   *  of `resources:` would); `.fifo` names need FifoTopic: 'true'. Returns its ARN. */
  ensureTopic(name: string, attributes?: Record<string, string>, tags?: Record<string, string>): Promise<string>;
  /** Subscribes an endpoint (function ARN, queue ARN, URL) unless the same subscription exists; returns its ARN.
   *  Attributes: RawMessageDelivery, FilterPolicy (JSON text), FilterPolicyScope, … With `converge`
   *  (as a deploy of a declared subscription) an existing subscription takes exactly these attributes. */
  subscribe(topicArn: string, protocol: 'lambda' | 'sqs' | 'http' | 'https', endpoint: string, attributes?: Record<string, string>,
    opts?: { converge?: boolean }): Promise<string>;
  /** Removes a subscription; one that is gone already is fine (Unsubscribe's semantics). */
  unsubscribe(subscriptionArn: string): Promise<void>;
};

export function createSnsProvider(env: ServiceEnv, sqs: QueueSender): SnsProvider {
  const sns: SnsContext = { env, state: createSnsState(env.store.kv), sqs, fifoTails: new Map() };
  return {
    name: 'sns',
    handle(req: IncomingMessage, res: ServerResponse, caller: CallerIdentity): Promise<void> {
      return serveRpc(req, res, caller, SNS_WIRE, (operation, input, rpc) => {
        const op = Object.hasOwn(SNS_API, operation) ? SNS_API[operation as keyof SnsApi] : undefined;
        if (!op) throw notImplemented(`SNS ${operation}`);
        return op(sns, input, rpc);
      }, env.log);
    },
    async publishToArn(topicArn, message, opts) {
      await publishToTopic(sns, topicArn, message, opts);
    },
    ensureTopic: (name, attributes = {}, tags = {}) => ensureTopic(sns, name, attributes, tags, { converge: true }),
    async subscribe(topicArn, protocol, endpoint, attributes = {}, opts = {}) {
      const topic = await topicByArn(sns, topicArn);
      return (await subscribeTo(sns, topic, protocol, endpoint, attributes, undefined, opts)).arn;
    },
    async unsubscribe(subscriptionArn) {
      await unsubscribe(sns, { SubscriptionArn: subscriptionArn });
    },
  };
}

export type { SnsMessageAttribute };
