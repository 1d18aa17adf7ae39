// SNS state: topics and subscriptions kept in the store's KvStore (so they survive restarts), their
// attribute rules, and the per-topic FIFO bookkeeping (deduplication window, sequence numbers).
import type { KvStore } from '../../store/types.ts';
import { validateFilterPolicy } from '../../events/sns-filter-policy.ts';
import { parseArn } from '../identifiers.ts';
import { invalidParameter } from './errors.ts';

export const MAX_TOPIC_NAME_LENGTH = 256;
export const MAX_MESSAGE_BYTES = 262_144;
export const MAX_SUBJECT_LENGTH = 100;
export const MAX_MESSAGE_ATTRIBUTES = 10;
export const MAX_BATCH_ENTRIES = 10;
export const LIST_PAGE_SIZE = 100;
/** FIFO topics drop a message whose deduplication id was seen in the last 5 minutes. */
export const FIFO_DEDUP_WINDOW_MS = 5 * 60_000;

export type Topic = {
  arn: string;
  name: string;
  fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
};

export type Subscription = {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  attributes: Record<string, string>;
  /** lambda and sqs are confirmed at once; http(s) when the endpoint calls ConfirmSubscription. */
  confirmed: boolean;
  token?: string;
  createdAt: number;
};

const TOPICS = 'sns.topics';
const subscriptionsOf = (topicArn: string) => `sns.subscriptions.${topicArn}`;
const dedupOf = (topicArn: string) => `sns.dedup.${topicArn}`;
const SEQUENCES = 'sns.sequences';

export function topicArn(region: string, accountId: string, name: string): string {
  return `arn:aws:sns:${region}:${accountId}:${name}`;
}

/** Subscription ARNs are the topic ARN plus `:<uuid>`, so the topic is known from the ARN alone. */
export function topicOfSubscription(subscriptionArn: string): string | undefined {
  const arn = parseArn(subscriptionArn);
  if (!arn || arn.service !== 'sns') return undefined;
  const colon = subscriptionArn.lastIndexOf(':');
  const topic = subscriptionArn.slice(0, colon);
  return topic.split(':').length === 6 ? topic : undefined;
}

export function topicNameOf(arn: string): string | undefined {
  const parsed = parseArn(arn);
  return parsed && parsed.service === 'sns' && !parsed.resource.includes(':') ? parsed.resource : undefined;
}

export type SnsState = ReturnType<typeof createSnsState>;

export function createSnsState(kv: KvStore) {
  return {
    getTopic: (arn: string) => kv.get<Topic>(TOPICS, arn),
    putTopic: (t: Topic) => kv.put(TOPICS, t.arn, t),
    async listTopics(): Promise<Topic[]> {
      return (await kv.list<Topic>(TOPICS)).map((e) => e.value).sort((a, b) => a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
    },
    async deleteTopic(arn: string): Promise<void> {
      for (const s of await kv.list<Subscription>(subscriptionsOf(arn))) await kv.delete(subscriptionsOf(arn), s.key);
      for (const d of await kv.list(dedupOf(arn))) await kv.delete(dedupOf(arn), d.key);
      await kv.delete(SEQUENCES, arn);
      await kv.delete(TOPICS, arn);
    },
    async getSubscription(arn: string): Promise<Subscription | undefined> {
      const topic = topicOfSubscription(arn);
      return topic === undefined ? undefined : kv.get<Subscription>(subscriptionsOf(topic), arn);
    },
    putSubscription: (s: Subscription) => kv.put(subscriptionsOf(s.topicArn), s.arn, s),
    deleteSubscription: (s: Subscription) => kv.delete(subscriptionsOf(s.topicArn), s.arn),
    /** Oldest first, as SNS lists them. */
    async subscriptions(topicArn: string): Promise<Subscription[]> {
      return (await kv.list<Subscription>(subscriptionsOf(topicArn))).map((e) => e.value)
        .sort((a, b) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : 1));
    },
    /** A FIFO publish seen within the window returns the original's id and sequence number. */
    async dedupHit(topicArn: string, dedupId: string, now: number): Promise<{ messageId: string; sequenceNumber: string } | undefined> {
      const hit = await kv.get<{ messageId: string; sequenceNumber: string; at: number }>(dedupOf(topicArn), dedupId);
      return hit && now - hit.at < FIFO_DEDUP_WINDOW_MS ? hit : undefined;
    },
    async recordDedup(topicArn: string, dedupId: string, messageId: string, sequenceNumber: string, now: number): Promise<void> {
      await kv.put(dedupOf(topicArn), dedupId, { messageId, sequenceNumber, at: now });
      // Forget expired ids now and then so the namespace stays small.
      if (Number(sequenceNumber) % 100 === 0) {
        for (const e of await kv.list<{ at: number }>(dedupOf(topicArn))) {
          if (now - e.value.at >= FIFO_DEDUP_WINDOW_MS) await kv.delete(dedupOf(topicArn), e.key);
        }
      }
    },
    /** Next per-topic sequence number, as a 20-digit string (SNS's are large and increasing). */
    async nextSequenceNumber(topicArn: string): Promise<string> {
      const next = ((await kv.get<number>(SEQUENCES, topicArn)) ?? 0) + 1;
      await kv.put(SEQUENCES, topicArn, next);
      return String(next).padStart(20, '0');
    },
  };
}

export function validateTopicName(name: string, fifo: boolean): void {
  const base = name.endsWith('.fifo') ? name.slice(0, -5) : name;
  if (name.length > MAX_TOPIC_NAME_LENGTH || base === '' || !/^[A-Za-z0-9_-]+$/.test(base) || fifo !== name.endsWith('.fifo')) {
    throw invalidParameter('Topic Name', fifo || name.endsWith('.fifo')
      ? 'Fifo Topic names must end with .fifo and be created with FifoTopic=true; names use letters, digits, underscores and hyphens, 1 to 256 characters.'
      : 'Topic names use letters, digits, underscores and hyphens, 1 to 256 characters.');
  }
}

const TOPIC_ATTRIBUTES = new Set([
  'DisplayName', 'Policy', 'DeliveryPolicy', 'KmsMasterKeyId', 'SignatureVersion', 'TracingConfig',
  'FifoTopic', 'ContentBasedDeduplication', 'ArchivePolicy', 'DataProtectionPolicy', 'FifoThroughputScope',
]);

/** Validates topic attributes a client sets; returns them normalised. */
export function normalizeTopicAttributes(attrs: Record<string, unknown>, fifo: boolean, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(attrs)) {
    const value = raw === null || raw === undefined ? '' : String(raw);
    const feedback = /(SuccessFeedbackRoleArn|FailureFeedbackRoleArn|SuccessFeedbackSampleRate)$/.test(name);
    if (!TOPIC_ATTRIBUTES.has(name) && !feedback) throw invalidParameter('AttributeName', `Unknown topic attribute ${name}.`);
    if (name === 'FifoTopic') {
      if (!creating) throw invalidParameter('AttributeName', 'FifoTopic can only be set when the topic is created.');
      if (value.toLowerCase() !== String(fifo)) throw invalidParameter('Attributes', 'FifoTopic must be true exactly for names ending in .fifo.');
      if (fifo) out[name] = 'true';
      continue;
    }
    if ((name === 'ContentBasedDeduplication' || name === 'FifoThroughputScope') && !fifo) {
      throw invalidParameter('Attributes', `${name} is only for FIFO topics.`);
    }
    if (name === 'ContentBasedDeduplication' && !/^(true|false)$/i.test(value)) {
      throw invalidParameter('Attributes', 'ContentBasedDeduplication must be true or false.');
    }
    if ((name === 'Policy' || name === 'DeliveryPolicy' || name === 'ArchivePolicy') && value !== '') {
      try { JSON.parse(value); } catch { throw invalidParameter('Attributes', `${name} is not valid JSON.`); }
    }
    out[name] = name === 'ContentBasedDeduplication' ? value.toLowerCase() : value;
  }
  return out;
}

export const SUBSCRIPTION_PROTOCOLS = ['lambda', 'sqs', 'http', 'https', 'email', 'email-json', 'sms', 'application', 'firehose'];
/** The protocols Gannet delivers to; the others are stored (so setups do not fail) but never receive. */
export const DELIVERED_PROTOCOLS = ['lambda', 'sqs', 'http', 'https'];

const SUBSCRIPTION_ATTRIBUTES = new Set([
  'RawMessageDelivery', 'FilterPolicy', 'FilterPolicyScope', 'RedrivePolicy', 'DeliveryPolicy', 'SubscriptionRoleArn', 'ReplayPolicy',
]);

export function normalizeSubscriptionAttributes(attrs: Record<string, unknown>, protocol: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(attrs)) {
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidParameter('AttributeName', `Unknown subscription attribute ${name}.`);
    if (name === 'RawMessageDelivery') {
      if (!/^(true|false)$/i.test(value)) throw invalidParameter('Attributes', 'RawMessageDelivery must be true or false.');
      if (value.toLowerCase() === 'true' && !['sqs', 'http', 'https', 'firehose'].includes(protocol)) {
        throw invalidParameter('Attributes', `Delivery protocol [${protocol}] does not support raw message delivery.`);
      }
      out[name] = value.toLowerCase();
    } else if (name === 'FilterPolicyScope') {
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw invalidParameter('Attributes', 'FilterPolicyScope must be MessageAttributes or MessageBody.');
      }
      out[name] = value;
    } else if (name === 'FilterPolicy') {
      if (value !== '') {
        const problem = validateFilterPolicy(value);
        if (problem) throw invalidParameter('FilterPolicy', problem);
      }
      out[name] = value;
    } else {
      if ((name === 'RedrivePolicy' || name === 'DeliveryPolicy') && value !== '') {
        try { JSON.parse(value); } catch { throw invalidParameter('Attributes', `${name} is not valid JSON.`); }
      }
      out[name] = value;
    }
  }
  return out;
}

export function defaultTopicPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17', Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission',
        'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: arn, Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
    }],
  });
}

export const DEFAULT_EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0,
      numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});
