// SNS operations on topics: create (idempotent), attributes, list, delete, tags.
import { invalidParameter, resourceNotFound } from './errors.ts';
import { pageByArn, requireString, topicByArn, type Input, type SnsContext } from './context.ts';
import {
  defaultTopicPolicy, DEFAULT_EFFECTIVE_DELIVERY_POLICY, LIST_PAGE_SIZE, normalizeTopicAttributes, topicArn,
  topicNameOf, validateTopicName, type Topic,
} from './model.ts';

const MAX_TAGS = 50;

export async function createTopic(sns: SnsContext, input: Input): Promise<unknown> {
  const name = requireString(input, 'Name');
  const arn = await ensureTopic(sns, name, (input.Attributes ?? {}) as Record<string, unknown>, tagsFromList(input.Tags));
  return { TopicArn: arn };
}

/** CreateTopic's semantics without a request: creates the topic or accepts an existing one whose
 *  requested attributes match. With `converge` (declared resources, reloaded as a deploy would),
 *  an existing topic's attributes and tags are brought to the requested ones instead. */
export async function ensureTopic(sns: SnsContext, name: string, requested: Record<string, unknown> = {},
  tags: Record<string, string> = {}, opts: { converge?: boolean } = {}): Promise<string> {
  const fifo = String(requested.FifoTopic ?? '').toLowerCase() === 'true';
  validateTopicName(name, fifo);
  const attributes = normalizeTopicAttributes(requested, fifo, true);
  const arn = topicArn(sns.env.region, sns.env.accountId, name);
  const existing = await sns.state.getTopic(arn);
  if (existing) {
    const changed = Object.entries(attributes).filter(([k, v]) => (existing.attributes[k] ?? '') !== v);
    const newTags = Object.entries(tags).some(([k, v]) => existing.tags[k] !== v);
    if (!opts.converge && changed.length > 0) throw invalidParameter('Attributes', 'Topic already exists with different attributes');
    if (opts.converge && (changed.length > 0 || newTags)) {
      await sns.state.putTopic({ ...existing, attributes: { ...existing.attributes, ...attributes }, tags: { ...existing.tags, ...tags } });
    }
    return arn;
  }
  await sns.state.putTopic({ arn, name, fifo, attributes, tags, createdAt: sns.env.clock.now() });
  return arn;
}

export async function getTopicAttributes(sns: SnsContext, input: Input): Promise<unknown> {
  const topic = await topicByArn(sns, requireString(input, 'TopicArn'));
  const subs = await sns.state.subscriptions(topic.arn);
  const confirmed = subs.filter((s) => s.confirmed).length;
  const attributes: Record<string, string> = {
    Policy: defaultTopicPolicy(topic.arn, sns.env.accountId),
    Owner: sns.env.accountId,
    SubscriptionsPending: String(subs.length - confirmed),
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: DEFAULT_EFFECTIVE_DELIVERY_POLICY,
    SubscriptionsConfirmed: String(confirmed),
    DisplayName: '',
    SubscriptionsDeleted: '0',
  };
  if (topic.fifo) Object.assign(attributes, { FifoTopic: 'true', ContentBasedDeduplication: 'false' });
  Object.assign(attributes, topic.attributes);
  return { Attributes: attributes };
}

export async function setTopicAttributes(sns: SnsContext, input: Input): Promise<unknown> {
  const topic = await topicByArn(sns, requireString(input, 'TopicArn'));
  const name = requireString(input, 'AttributeName');
  const changes = normalizeTopicAttributes({ [name]: input.AttributeValue ?? '' }, topic.fifo, false);
  const attributes = { ...topic.attributes, ...changes };
  if (attributes[name] === '') delete attributes[name];
  await sns.state.putTopic({ ...topic, attributes });
  return {};
}

/** Deleting a topic that does not exist succeeds, as on SNS. */
export async function deleteTopic(sns: SnsContext, input: Input): Promise<unknown> {
  const arn = requireString(input, 'TopicArn');
  if (topicNameOf(arn) === undefined) throw invalidParameter('TopicArn', `${arn} is not a topic ARN`);
  await sns.state.deleteTopic(arn);
  return {};
}

export async function listTopics(sns: SnsContext, input: Input): Promise<unknown> {
  const { page, next } = pageByArn(await sns.state.listTopics(), input.NextToken, LIST_PAGE_SIZE);
  const out: Record<string, unknown> = { Topics: page.map((t) => ({ TopicArn: t.arn })) };
  if (next !== undefined) out.NextToken = next;
  return out;
}

async function taggedTopic(sns: SnsContext, input: Input): Promise<Topic> {
  const arn = requireString(input, 'ResourceArn');
  const topic = topicNameOf(arn) === undefined ? undefined : await sns.state.getTopic(arn);
  if (!topic) throw resourceNotFound(arn);
  return topic;
}

export async function tagResource(sns: SnsContext, input: Input): Promise<unknown> {
  const topic = await taggedTopic(sns, input);
  const tags = { ...topic.tags, ...tagsFromList(input.Tags) };
  if (Object.keys(tags).length > MAX_TAGS) throw invalidParameter('Tags', `a topic can have at most ${MAX_TAGS} tags`);
  await sns.state.putTopic({ ...topic, tags });
  return {};
}

export async function untagResource(sns: SnsContext, input: Input): Promise<unknown> {
  const topic = await taggedTopic(sns, input);
  const tags = { ...topic.tags };
  for (const key of Array.isArray(input.TagKeys) ? input.TagKeys : []) delete tags[String(key)];
  await sns.state.putTopic({ ...topic, tags });
  return {};
}

export async function listTagsForResource(sns: SnsContext, input: Input): Promise<unknown> {
  const topic = await taggedTopic(sns, input);
  return { Tags: Object.entries(topic.tags).map(([Key, Value]) => ({ Key, Value })) };
}

function tagsFromList(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!Array.isArray(raw)) throw invalidParameter('Tags', 'expected a list of {Key, Value}');
  const out: Record<string, string> = {};
  for (const t of raw as { Key?: unknown; Value?: unknown }[]) {
    if (typeof t?.Key !== 'string' || t.Key === '' || t.Key.length > 128) throw invalidParameter('Tags', 'every tag needs a Key of 1 to 128 characters');
    out[t.Key] = t.Value === undefined || t.Value === null ? '' : String(t.Value);
  }
  if (Object.keys(out).length > MAX_TAGS) throw invalidParameter('Tags', `a topic can have at most ${MAX_TAGS} tags`);
  return out;
}
