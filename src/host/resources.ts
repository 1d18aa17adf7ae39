// `resources.Resources` and the resources events imply, created on Gannet's AWS services when the
// service starts (and again, idempotently, on reload): SQS queues, SNS topics and subscriptions,
// S3 buckets (buckets.ts). Other types are listed once as not created locally.
import type { ServiceSpec } from '../config/types.ts';
import type { Logger } from '../shared/log.ts';
import type { Store } from '../store/types.ts';
import type { AwsEndpoint } from './aws.ts';
import { guarded } from './event-sources.ts';
import { createBuckets } from './buckets.ts';

const QUEUE_ATTRIBUTES = ['VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'MaximumMessageSize',
  'ReceiveMessageWaitTimeSeconds', 'FifoQueue', 'ContentBasedDeduplication', 'KmsMasterKeyId', 'SqsManagedSseEnabled',
  'DeduplicationScope', 'FifoThroughputLimit'];
const ACCEPTED_TYPES = new Set(['AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy', 'AWS::S3::BucketPolicy', 'AWS::Lambda::Permission']);

type Ctx = {
  spec: ServiceSpec; aws: AwsEndpoint; log: Logger; resolve: (v: unknown) => unknown;
  /** Collects the ARNs of the subscriptions the service declares (see pruneSubscriptions). */
  subscriptions: string[];
};

export async function createResources(c: Ctx): Promise<void> {
  const { spec, aws, log, resolve } = c;
  const name = (logicalId: string, attr: string) => String(resolve({ 'Fn::GetAtt': [logicalId, attr] }));
  const byType = (type: string) => spec.resources.filter((r) => r.type === type);

  // Queues without a redrive policy first: they may be the dead-letter queues of the others.
  const queues = byType('AWS::SQS::Queue').sort((a, b) => Number('RedrivePolicy' in a.properties) - Number('RedrivePolicy' in b.properties));
  for (const q of queues) {
    const props = resolve(q.properties) as Record<string, unknown>;
    const attributes: Record<string, string> = {};
    for (const key of QUEUE_ATTRIBUTES) if (props[key] !== undefined) attributes[key] = String(props[key]);
    if (props.RedrivePolicy !== undefined) {
      attributes.RedrivePolicy = typeof props.RedrivePolicy === 'string' ? props.RedrivePolicy : JSON.stringify(props.RedrivePolicy);
    }
    await guarded(log, `resource ${q.logicalId} (AWS::SQS::Queue)`, () => aws.sqs.ensureQueue(name(q.logicalId, 'QueueName'), attributes, tagsOf(props.Tags)));
  }

  for (const t of byType('AWS::SNS::Topic')) {
    const props = resolve(t.properties) as Record<string, unknown>;
    const attributes: Record<string, string> = {};
    for (const key of ['DisplayName', 'FifoTopic', 'ContentBasedDeduplication']) if (props[key] !== undefined) attributes[key] = String(props[key]);
    await guarded(log, `resource ${t.logicalId} (AWS::SNS::Topic)`, async () => {
      const topicArn = await aws.sns.ensureTopic(name(t.logicalId, 'TopicName'), attributes, tagsOf(props.Tags));
      for (const sub of (props.Subscription ?? []) as { Protocol: string; Endpoint: string }[]) {
        c.subscriptions.push(await aws.sns.subscribe(topicArn, sub.Protocol as 'sqs', String(sub.Endpoint), {}, { converge: true }));
      }
    });
  }

  for (const s of byType('AWS::SNS::Subscription')) {
    const props = resolve(s.properties) as Record<string, unknown>;
    const attributes: Record<string, string> = {};
    if (props.RawMessageDelivery !== undefined) attributes.RawMessageDelivery = String(props.RawMessageDelivery);
    if (props.FilterPolicy !== undefined) attributes.FilterPolicy = typeof props.FilterPolicy === 'string' ? props.FilterPolicy : JSON.stringify(props.FilterPolicy);
    if (props.FilterPolicyScope !== undefined) attributes.FilterPolicyScope = String(props.FilterPolicyScope);
    if (props.RedrivePolicy !== undefined) attributes.RedrivePolicy = typeof props.RedrivePolicy === 'string' ? props.RedrivePolicy : JSON.stringify(props.RedrivePolicy);
    await guarded(log, `resource ${s.logicalId} (AWS::SNS::Subscription)`, async () => {
      c.subscriptions.push(await aws.sns.subscribe(String(props.TopicArn), String(props.Protocol) as 'sqs', String(props.Endpoint), attributes, { converge: true }));
    });
  }

  await createBuckets(c);

  const handled = new Set(['AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::SNS::Subscription', 'AWS::S3::Bucket']);
  const others = spec.resources.filter((r) => !handled.has(r.type) && !ACCEPTED_TYPES.has(r.type));
  if (others.length > 0) {
    log.warn(`resources not created locally: ${others.map((r) => `${r.logicalId} (${r.type})`).join(', ')}`);
  }
}

const MANAGED_NS = 'gannet-host';

/**
 * Removes the subscriptions an earlier start of this service declared and this one does not (an
 * `sns` event or an AWS::SNS::Subscription deleted from serverless.yml), as a deploy would.
 * Subscriptions made through the API are left alone.
 */
export async function pruneSubscriptions(c: { spec: ServiceSpec; aws: AwsEndpoint; store: Store; log: Logger }, declared: string[]): Promise<void> {
  const key = `declared-subscriptions/${c.spec.service}/${c.spec.stage}`;
  const before = await c.store.kv.get<string[]>(MANAGED_NS, key) ?? [];
  const now = new Set(declared);
  for (const arn of before) {
    if (!now.has(arn)) await guarded(c.log, `removing subscription ${arn}`, () => c.aws.sns.unsubscribe(arn));
  }
  await c.store.kv.put(MANAGED_NS, key, [...now]);
}

/** `resources.Outputs` with their values as CloudFormation would show them (intrinsics resolved). */
export function serviceOutputs(spec: ServiceSpec, resolve: (v: unknown) => unknown): { name: string; value: unknown; description?: string }[] {
  const out: { name: string; value: unknown; description?: string }[] = [];
  for (const [name, output] of Object.entries(spec.outputs)) {
    const o = (output ?? {}) as { Value?: unknown; Description?: unknown };
    const entry: { name: string; value: unknown; description?: string } = { name, value: resolve(o.Value) };
    if (typeof o.Description === 'string') entry.description = o.Description;
    out.push(entry);
  }
  return out;
}

export function tagsOf(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(tags)) for (const t of tags as { Key: string; Value: string }[]) out[t.Key] = String(t.Value);
  return out;
}
