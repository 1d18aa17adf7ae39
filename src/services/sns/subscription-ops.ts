// SNS operations on subscriptions: subscribe (idempotent; lambda/sqs confirmed at once, http(s)
// confirmed by the endpoint), confirm, unsubscribe, list, attributes.
import { randomBytes, randomUUID } from 'node:crypto';
import { sendSubscriptionConfirmation } from '../../events/sns-delivery.ts';
import type { RpcContext } from '../protocol/rpc.ts';
import { parseArn } from '../identifiers.ts';
import { invalidParameter, subscriptionNotFound } from './errors.ts';
import { deliveryContext, pageByArn, requireString, topicByArn, type Input, type SnsContext } from './context.ts';
import {
  DEFAULT_EFFECTIVE_DELIVERY_POLICY, DELIVERED_PROTOCOLS, LIST_PAGE_SIZE, normalizeSubscriptionAttributes,
  SUBSCRIPTION_PROTOCOLS, topicOfSubscription, type Subscription, type Topic,
} from './model.ts';

const PENDING = 'pending confirmation';

export async function subscribe(sns: SnsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const topic = await topicByArn(sns, requireString(input, 'TopicArn'));
  const protocol = requireString(input, 'Protocol');
  const endpoint = typeof input.Endpoint === 'string' ? input.Endpoint : '';
  const sub = await subscribeTo(sns, topic, protocol, endpoint, (input.Attributes ?? {}) as Record<string, unknown>, rpc.origin);
  return { SubscriptionArn: sub.confirmed || input.ReturnSubscriptionArn === true ? sub.arn : PENDING };
}

/** Subscribe's semantics without a request; returns the (new or existing) subscription. With
 *  `converge` (a deploy of a declared subscription) an existing one takes the given attributes
 *  instead of failing on a difference. */
export async function subscribeTo(sns: SnsContext, topic: Topic, protocol: string, endpoint: string,
  requested: Record<string, unknown>, origin?: string, opts: { converge?: boolean } = {}): Promise<Subscription> {
  if (!SUBSCRIPTION_PROTOCOLS.includes(protocol)) throw invalidParameter('Protocol', `unknown protocol ${protocol}`);
  validateEndpoint(topic, protocol, endpoint);
  const attributes = normalizeSubscriptionAttributes(requested, protocol);

  const existing = (await sns.state.subscriptions(topic.arn)).find((s) => s.protocol === protocol && s.endpoint === endpoint);
  if (existing && opts.converge) {
    const same = JSON.stringify(Object.entries(existing.attributes).sort()) === JSON.stringify(Object.entries(attributes).sort());
    if (same) return existing;
    const updated = { ...existing, attributes };
    await sns.state.putSubscription(updated);
    return updated;
  }
  if (existing) {
    for (const [k, v] of Object.entries(attributes)) {
      if ((existing.attributes[k] ?? '') !== v) throw invalidParameter('Attributes', 'Subscription already exists with different attributes');
    }
    return existing;
  }
  const immediate = protocol === 'lambda' || protocol === 'sqs';
  const sub: Subscription = {
    arn: `${topic.arn}:${randomUUID()}`, topicArn: topic.arn, protocol, endpoint, owner: sns.env.accountId,
    attributes, confirmed: immediate, createdAt: sns.env.clock.now(),
  };
  if (protocol === 'http' || protocol === 'https') sub.token = randomBytes(32).toString('hex');
  await sns.state.putSubscription(sub);
  if (sub.token) sendSubscriptionConfirmation(deliveryContext(sns, origin), sub, sub.token, randomUUID());
  if (!DELIVERED_PROTOCOLS.includes(protocol)) {
    sns.env.log.warn(`SNS ${topic.arn}: Gannet keeps the ${protocol} subscription ${sub.arn} but does not deliver to ${protocol} endpoints`);
  }
  return sub;
}

function validateEndpoint(topic: Topic, protocol: string, endpoint: string): void {
  if (protocol === 'sqs') {
    const arn = parseArn(endpoint);
    if (!arn || arn.service !== 'sqs') throw invalidParameter('SQS endpoint ARN', `${endpoint || '(empty)'} is not a queue ARN`);
    if (arn.resource.endsWith('.fifo') && !topic.fifo) {
      throw invalidParameter('Endpoint', 'FIFO SQS Queues can not be subscribed to standard SNS topics');
    }
  } else if (protocol === 'lambda') {
    const arn = parseArn(endpoint);
    if (!arn || arn.service !== 'lambda') throw invalidParameter('Lambda endpoint ARN', `${endpoint || '(empty)'} is not a function ARN`);
  } else if (protocol === 'http' || protocol === 'https') {
    if (!endpoint.toLowerCase().startsWith(`${protocol}://`)) throw invalidParameter('Endpoint', `an ${protocol} subscription needs an ${protocol}:// URL`);
  } else if (endpoint === '') {
    throw invalidParameter('Endpoint', 'no value for required parameter');
  }
}

export async function confirmSubscription(sns: SnsContext, input: Input): Promise<unknown> {
  const topic = await topicByArn(sns, requireString(input, 'TopicArn'));
  const token = requireString(input, 'Token');
  const sub = (await sns.state.subscriptions(topic.arn)).find((s) => s.token === token);
  if (!sub) throw invalidParameter('Token', 'no pending subscription of this topic has that token');
  if (!sub.confirmed) await sns.state.putSubscription({ ...sub, confirmed: true });
  return { SubscriptionArn: sub.arn };
}

/** Unsubscribing twice succeeds, as on SNS. */
export async function unsubscribe(sns: SnsContext, input: Input): Promise<unknown> {
  const arn = requireString(input, 'SubscriptionArn');
  if (topicOfSubscription(arn) === undefined) throw invalidParameter('SubscriptionArn', `${arn} is not a subscription ARN`);
  const sub = await sns.state.getSubscription(arn);
  if (sub) await sns.state.deleteSubscription(sub);
  return {};
}

function listed(s: Subscription): Record<string, string> {
  return { SubscriptionArn: s.confirmed ? s.arn : 'PendingConfirmation', Owner: s.owner, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn };
}

export async function listSubscriptions(sns: SnsContext, input: Input): Promise<unknown> {
  const all: Subscription[] = [];
  for (const t of await sns.state.listTopics()) all.push(...await sns.state.subscriptions(t.arn));
  const { page, next } = pageByArn(all, input.NextToken, LIST_PAGE_SIZE);
  return { Subscriptions: page.map(listed), ...(next !== undefined ? { NextToken: next } : {}) };
}

export async function listSubscriptionsByTopic(sns: SnsContext, input: Input): Promise<unknown> {
  const topic = await topicByArn(sns, requireString(input, 'TopicArn'));
  const { page, next } = pageByArn(await sns.state.subscriptions(topic.arn), input.NextToken, LIST_PAGE_SIZE);
  return { Subscriptions: page.map(listed), ...(next !== undefined ? { NextToken: next } : {}) };
}

async function subscriptionByArn(sns: SnsContext, arn: string): Promise<Subscription> {
  if (topicOfSubscription(arn) === undefined) throw invalidParameter('SubscriptionArn', `${arn} is not a subscription ARN`);
  const sub = await sns.state.getSubscription(arn);
  if (!sub) throw subscriptionNotFound(arn);
  return sub;
}

export async function getSubscriptionAttributes(sns: SnsContext, input: Input): Promise<unknown> {
  const sub = await subscriptionByArn(sns, requireString(input, 'SubscriptionArn'));
  const attributes: Record<string, string> = {
    Owner: sub.owner, RawMessageDelivery: 'false', TopicArn: sub.topicArn, Endpoint: sub.endpoint, Protocol: sub.protocol,
    PendingConfirmation: String(!sub.confirmed), ConfirmationWasAuthenticated: String(sub.confirmed), SubscriptionArn: sub.arn,
  };
  if (sub.protocol === 'http' || sub.protocol === 'https') attributes.EffectiveDeliveryPolicy = DEFAULT_EFFECTIVE_DELIVERY_POLICY;
  Object.assign(attributes, sub.attributes);
  if (attributes.FilterPolicy && !attributes.FilterPolicyScope) attributes.FilterPolicyScope = 'MessageAttributes';
  return { Attributes: attributes };
}

export async function setSubscriptionAttributes(sns: SnsContext, input: Input): Promise<unknown> {
  const sub = await subscriptionByArn(sns, requireString(input, 'SubscriptionArn'));
  const name = requireString(input, 'AttributeName');
  const changes = normalizeSubscriptionAttributes({ [name]: input.AttributeValue ?? '' }, sub.protocol);
  const attributes = { ...sub.attributes, ...changes };
  if (attributes[name] === '') delete attributes[name];
  await sns.state.putSubscription({ ...sub, attributes });
  return {};
}
