// SNS deliveries: the one place that builds what a subscriber receives — the JSON envelope for
// SQS/HTTP (aws-compat §14.3), the raw form, and the Lambda event (§10.3) — and hands it on:
// SQS by sending to the queue, Lambda as an async invocation, HTTP(S) by POST with retries.
import { createHash } from 'node:crypto';
import type { Invoker } from '../invoke/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import type { FunctionDirectory } from '../services/types.ts';
import { parseFunctionRef } from '../services/identifiers.ts';
import { filterPolicyMatches, type FilterScope } from './sns-filter-policy.ts';

export type SnsMessageAttribute = { DataType: string; StringValue?: string; BinaryValue?: string };

/** One published message, as every subscriber's delivery is built from it. */
export type SnsNotification = {
  messageId: string;
  topicArn: string;
  subject?: string;
  /** The message text (MessageStructure=json: the `default` text). */
  message: string;
  /** MessageStructure=json: per-protocol texts (`sqs`, `lambda`, `http`…) overriding `message`. */
  perProtocol?: Record<string, string>;
  attributes: Record<string, SnsMessageAttribute>;
  timestamp: number;
  /** FIFO topics. */
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
};

export type SnsSubscriber = {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  attributes: Record<string, string>;
};

export type SnsUrls = { signingCertUrl: string; unsubscribeUrl: string };

/** AWS's certificate URL form; the Unsubscribe URL points at Gannet when its origin is known. */
export function snsUrls(region: string, subscriptionArn: string, origin?: string): SnsUrls {
  const base = origin ?? `https://sns.${region}.amazonaws.com`;
  return {
    signingCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-0000000000000000000000000000000.pem`,
    unsubscribeUrl: `${base}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`,
  };
}

/** The text a subscriber of `protocol` receives (MessageStructure=json picks its key, else `default`). */
export function messageForProtocol(n: SnsNotification, protocol: string): string {
  return n.perProtocol?.[protocol] ?? n.message;
}

/** Gannet cannot sign with AWS's key; this is a stable stand-in so consumers that only read the
 *  field work. Consumers that verify SNS signatures must skip verification against Gannet. */
function signature(n: SnsNotification, message: string): string {
  return createHash('sha256').update(`${n.messageId}\n${n.topicArn}\n${message}\n${n.timestamp}`).digest('base64');
}

function envelopeAttributes(attrs: Record<string, SnsMessageAttribute>): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attrs)) out[name] = { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? '' };
  return out;
}

/** The JSON envelope SQS and HTTP(S) subscribers receive without raw delivery (§14.3). */
export function snsEnvelope(n: SnsNotification, sub: SnsSubscriber, urls: SnsUrls): Record<string, unknown> {
  const message = messageForProtocol(n, sub.protocol);
  const out: Record<string, unknown> = { Type: 'Notification', MessageId: n.messageId };
  if (n.sequenceNumber !== undefined) out.SequenceNumber = n.sequenceNumber;
  out.TopicArn = n.topicArn;
  if (n.subject !== undefined) out.Subject = n.subject;
  Object.assign(out, {
    Message: message,
    Timestamp: new Date(n.timestamp).toISOString(),
    SignatureVersion: '1',
    Signature: signature(n, message),
    SigningCertURL: urls.signingCertUrl,
    UnsubscribeURL: urls.unsubscribeUrl,
  });
  if (Object.keys(n.attributes).length > 0) out.MessageAttributes = envelopeAttributes(n.attributes);
  return out;
}

/** The event a Lambda subscriber is invoked with (§10.3): one record, `Subject` null when absent. */
export function snsLambdaEvent(n: SnsNotification, sub: SnsSubscriber, urls: SnsUrls): { Records: unknown[] } {
  const message = messageForProtocol(n, 'lambda');
  return {
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: sub.arn,
      Sns: {
        Type: 'Notification',
        MessageId: n.messageId,
        TopicArn: n.topicArn,
        Subject: n.subject ?? null,
        Message: message,
        Timestamp: new Date(n.timestamp).toISOString(),
        SignatureVersion: '1',
        Signature: signature(n, message),
        SigningCertUrl: urls.signingCertUrl,
        UnsubscribeUrl: urls.unsubscribeUrl,
        MessageAttributes: envelopeAttributes(n.attributes),
      },
    }],
  };
}

export type SnsDeliveryContext = {
  region: string;
  invoker: Invoker;
  functions: FunctionDirectory;
  /** Sends to an SQS queue by ARN (the SQS provider's sendToArn). */
  sendToQueue(queueArn: string, body: string, attrs: Record<string, SnsMessageAttribute>, opts: { groupId?: string; dedupId?: string }): Promise<void>;
  clock: Clock;
  log: Logger;
  /** Where Gannet's SNS API is reachable, for Unsubscribe/Subscribe URLs. */
  origin?: string;
};

/** Whether the subscription's filter policy lets this message through. */
export function subscriberWants(n: SnsNotification, sub: SnsSubscriber): boolean {
  const scope = (sub.attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterScope;
  return filterPolicyMatches(sub.attributes.FilterPolicy, scope, { attributes: n.attributes, body: n.message });
}

/** Delivers to one confirmed subscription after its filter policy. SQS and Lambda deliveries are
 *  durable when this resolves; HTTP(S) deliveries continue in the background with retries. */
export async function deliverNotification(ctx: SnsDeliveryContext, n: SnsNotification, sub: SnsSubscriber): Promise<void> {
  if (!subscriberWants(n, sub)) return;
  const urls = snsUrls(ctx.region, sub.arn, ctx.origin);
  const raw = sub.attributes.RawMessageDelivery === 'true';
  switch (sub.protocol) {
    case 'sqs': {
      const opts: { groupId?: string; dedupId?: string } = {};
      if (n.groupId !== undefined) opts.groupId = n.groupId;
      if (n.dedupId !== undefined) opts.dedupId = n.dedupId;
      if (raw) await ctx.sendToQueue(sub.endpoint, messageForProtocol(n, 'sqs'), rawQueueAttributes(n.attributes), opts);
      else await ctx.sendToQueue(sub.endpoint, JSON.stringify(snsEnvelope(n, sub, urls)), {}, opts);
      return;
    }
    case 'lambda': {
      const fn = ctx.functions.find(sub.endpoint);
      if (!fn) {
        ctx.log.warn(`SNS ${n.topicArn}: subscription ${sub.arn} names function ${sub.endpoint}, which does not exist; message ${n.messageId} not delivered to it`);
        return;
      }
      const qualifier = parseFunctionRef(sub.endpoint)?.qualifier;
      const payload = Buffer.from(JSON.stringify(snsLambdaEvent(n, sub, urls)));
      await ctx.invoker.invoke(fn.name, payload, {
        mode: 'async', trigger: { kind: 'sns', topicArn: n.topicArn }, ...(qualifier ? { qualifier } : {}),
      });
      return;
    }
    case 'http': case 'https': {
      const body = raw ? messageForProtocol(n, sub.protocol) : JSON.stringify(snsEnvelope(n, sub, urls));
      const headers: Record<string, string> = {
        'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': n.messageId,
        'x-amz-sns-topic-arn': n.topicArn, 'x-amz-sns-subscription-arn': sub.arn,
      };
      if (raw) headers['x-amz-sns-rawdelivery'] = 'true';
      void postWithRetries(ctx, sub, body, headers);
      return;
    }
    default:
      ctx.log.debug(`SNS ${n.topicArn}: Gannet does not deliver to ${sub.protocol} subscriptions (${sub.arn})`);
  }
}

/** SNS → SQS raw delivery carries message attributes over as SQS message attributes (at most 10). */
function rawQueueAttributes(attrs: Record<string, SnsMessageAttribute>): Record<string, SnsMessageAttribute> {
  return Object.fromEntries(Object.entries(attrs).slice(0, 10));
}

/** The first message an HTTP(S) endpoint gets: it confirms by visiting SubscribeURL (or ConfirmSubscription). */
export function sendSubscriptionConfirmation(ctx: SnsDeliveryContext, sub: SnsSubscriber, token: string, messageId: string): void {
  const base = ctx.origin ?? `https://sns.${ctx.region}.amazonaws.com`;
  const urls = snsUrls(ctx.region, sub.arn, ctx.origin);
  const message = `You have chosen to subscribe to the topic ${sub.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
  const body = JSON.stringify({
    Type: 'SubscriptionConfirmation', MessageId: messageId, Token: token, TopicArn: sub.topicArn, Message: message,
    SubscribeURL: `${base}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(sub.topicArn)}&Token=${token}`,
    Timestamp: new Date(ctx.clock.now()).toISOString(), SignatureVersion: '1',
    Signature: createHash('sha256').update(`${messageId}\n${token}`).digest('base64'), SigningCertURL: urls.signingCertUrl,
  });
  void postWithRetries(ctx, sub, body, {
    'x-amz-sns-message-type': 'SubscriptionConfirmation', 'x-amz-sns-message-id': messageId, 'x-amz-sns-topic-arn': sub.topicArn,
  });
}

/** AWS retries HTTP deliveries on failure; Gannet tries four times over about seven seconds. */
const HTTP_RETRY_DELAYS_MS = [1000, 2000, 4000];
const HTTP_TIMEOUT_MS = 15_000;

async function postWithRetries(ctx: SnsDeliveryContext, sub: SnsSubscriber, body: string, headers: Record<string, string>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(sub.endpoint, {
        method: 'POST', body,
        headers: { 'content-type': 'text/plain; charset=UTF-8', 'user-agent': 'Amazon Simple Notification Service Agent', ...headers },
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      if (res.status < 500 && res.status !== 429) {
        if (res.status >= 300) ctx.log.warn(`SNS delivery to ${sub.endpoint} (${sub.arn}) answered ${res.status}; not retried`);
        return;
      }
      throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      const delay = HTTP_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        ctx.log.warn(`SNS delivery to ${sub.endpoint} (${sub.arn}) failed after ${attempt + 1} attempts: ${(err as Error).message}`);
        return;
      }
      await ctx.clock.sleep(delay);
    }
  }
}
