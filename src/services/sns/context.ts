// What every SNS operation works with: the service env, topic/subscription state, the SQS provider
// for deliveries to queues, and the helpers that read common parameters the same way everywhere.
import type { SnsDeliveryContext, SnsMessageAttribute } from '../../events/sns-delivery.ts';
import type { RpcContext } from '../protocol/rpc.ts';
import type { ServiceEnv } from '../types.ts';
import { invalidParameter, topicNotFound } from './errors.ts';
import { topicNameOf, type SnsState, type Topic } from './model.ts';

/** The part of the SQS provider SNS needs: sending to a queue by ARN. */
export type QueueSender = {
  sendToArn(queueArn: string, body: string, attrs?: Record<string, SnsMessageAttribute>, opts?: { groupId?: string; dedupId?: string }): Promise<void>;
};

export type SnsContext = {
  env: ServiceEnv;
  state: SnsState;
  sqs: QueueSender;
  /** Serialises FIFO publishes per topic, so deduplication and sequence numbers see each other. */
  fifoTails: Map<string, Promise<unknown>>;
};

export type Input = Record<string, unknown>;
export type SnsOperation = (sns: SnsContext, input: Input, rpc: RpcContext) => Promise<unknown>;

export function requireString(input: Input, name: string): string {
  const v = input[name];
  if (v === undefined || v === null || v === '') throw invalidParameter(name, 'no value for required parameter');
  if (typeof v !== 'string') throw invalidParameter(name, 'must be a string');
  return v;
}

export async function topicByArn(sns: SnsContext, arn: string, parameter = 'TopicArn'): Promise<Topic> {
  if (topicNameOf(arn) === undefined) throw invalidParameter(parameter, `${arn} is not a topic ARN`);
  const topic = await sns.state.getTopic(arn);
  if (!topic) throw topicNotFound(arn);
  return topic;
}

export function deliveryContext(sns: SnsContext, origin?: string): SnsDeliveryContext {
  const { env } = sns;
  const ctx: SnsDeliveryContext = {
    region: env.region, invoker: env.invoker, functions: env.functions, clock: env.clock, log: env.log,
    sendToQueue: (arn, body, attrs, opts) => sns.sqs.sendToArn(arn, body, attrs, opts),
  };
  if (origin !== undefined) ctx.origin = origin;
  return ctx;
}

/** Pages of 100 by ARN; the token is the last ARN returned. */
export function pageByArn<T extends { arn: string }>(items: T[], token: unknown, size: number): { page: T[]; next?: string } {
  let start = 0;
  if (typeof token === 'string' && token !== '') {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    const i = items.findIndex((t) => t.arn === after);
    start = i === -1 ? items.length : i + 1;
  }
  const page = items.slice(start, start + size);
  const out: { page: T[]; next?: string } = { page };
  if (start + size < items.length) out.next = Buffer.from(page[page.length - 1]!.arn, 'utf8').toString('base64url');
  return out;
}
