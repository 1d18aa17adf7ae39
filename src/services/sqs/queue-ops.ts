// SQS operations on queues: create, look up, attributes, list, delete, purge, tags, DLQ sources.
import type { QueueConfig } from '../../store/types.ts';
import type { RpcContext } from '../protocol/rpc.ts';
import {
  invalidAttributeName, invalidParameterValue, purgeQueueInProgress, queueDoesNotExist, queueNameExists,
} from './errors.ts';
import {
  arnOf, optionalInteger, requireString, resolveQueue, urlOf,
  type Input, type SqsContext,
} from './context.ts';
import { sweepRetention } from './message-ops.ts';
import {
  isKnownAttribute, MAX_LIST_QUEUES, normalizeQueueAttributes, parseRedrivePolicy, PURGE_INTERVAL_MS,
  queueNameOf, READ_ONLY_ATTRIBUTES, redrivePolicyOf, settableAttribute, settableAttributeNames, validateQueueName,
} from './model.ts';

const MAX_TAGS = 50;

export async function createQueue(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const name = requireString(input, 'QueueName');
  await ensureQueue(sqs, name, (input.Attributes ?? {}) as Record<string, unknown>, input.tags);
  return { QueueUrl: urlOf(sqs, rpc, name) };
}

/** CreateQueue's semantics without a request: creates the queue, or accepts an existing one whose
 *  attributes match (QueueNameExists otherwise). With `converge` (declared resources, reloaded as
 *  a deploy would), an existing queue's attributes and tags are brought to the requested ones. */
export async function ensureQueue(sqs: SqsContext, name: string, requested: Record<string, unknown> = {},
  rawTags?: unknown, opts: { converge?: boolean } = {}): Promise<void> {
  const fifo = String(requested.FifoQueue ?? '').trim().toLowerCase() === 'true';
  validateQueueName(name, fifo);
  const attributes = normalizeQueueAttributes(requested, fifo, true);
  await checkRedriveTarget(sqs, attributes, fifo);
  const tags = validateTags(rawTags);

  const existing = await sqs.env.store.queues.get(name);
  if (existing && opts.converge && !existing.internal) return convergeQueue(sqs, existing, attributes, tags);
  if (existing) { sameQueue(existing, attributes); return; }
  const now = sqs.env.clock.now();
  const cfg: QueueConfig = {
    name, fifo, tags, createdAt: now, internal: false,
    attributes: { ...attributes, LastModifiedTimestamp: String(now) },
  };
  try {
    await sqs.env.store.queues.create(cfg);
  } catch (err) {
    // Two creates raced: the loser answers like an idempotent create (or QueueNameExists).
    const raced = await sqs.env.store.queues.get(name);
    if (!raced) throw err;
    sameQueue(raced, attributes);
  }
}

async function convergeQueue(sqs: SqsContext, existing: QueueConfig, attributes: Record<string, string>,
  tags: Record<string, string>): Promise<void> {
  const changed = Object.entries(attributes).filter(([k, v]) => settableAttribute(existing, k) !== v);
  const patch: { attributes?: Record<string, string>; tags?: Record<string, string> } = {};
  if (changed.length > 0) {
    patch.attributes = { ...existing.attributes, ...Object.fromEntries(changed), LastModifiedTimestamp: String(sqs.env.clock.now()) };
  }
  if (Object.entries(tags).some(([k, v]) => existing.tags[k] !== v)) patch.tags = { ...existing.tags, ...tags };
  if (patch.attributes || patch.tags) await sqs.env.store.queues.update(existing.name, patch);
}

/** CreateQueue on an existing name succeeds only when every requested attribute matches. */
function sameQueue(existing: QueueConfig, requested: Record<string, string>): void {
  if (existing.internal) throw queueNameExists(existing.name);
  for (const [k, v] of Object.entries(requested)) {
    if (settableAttribute(existing, k) !== v) throw queueNameExists(existing.name);
  }
}

export async function getQueueUrl(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const name = requireString(input, 'QueueName');
  const cfg = await sqs.env.store.queues.get(name);
  if (!cfg || cfg.internal) throw queueDoesNotExist(name);
  return { QueueUrl: urlOf(sqs, rpc, name) };
}

export async function getQueueAttributes(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  const requested = Array.isArray(input.AttributeNames) ? input.AttributeNames.map(String) : [];
  for (const n of requested) if (n !== 'All' && !isKnownAttribute(n)) throw invalidAttributeName(n);
  const names = requested.includes('All') ? [...settableAttributeNames(), ...READ_ONLY_ATTRIBUTES] : requested;
  if (names.length === 0) return {};

  const needsCounts = names.some((n) => n.startsWith('Approximate'));
  if (needsCounts) await sweepRetention(sqs, cfg);
  const counts = needsCounts ? await sqs.env.store.queues.counts(cfg.name) : undefined;
  const seconds = (ms: number) => String(Math.floor(ms / 1000));
  const readOnly: Record<string, string | undefined> = {
    ApproximateNumberOfMessages: counts && String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: counts && String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: counts && String(counts.delayed),
    CreatedTimestamp: seconds(cfg.createdAt),
    LastModifiedTimestamp: seconds(Number(cfg.attributes.LastModifiedTimestamp ?? cfg.createdAt)),
    QueueArn: arnOf(sqs, cfg.name),
  };
  const attributes: Record<string, string> = {};
  for (const n of names) {
    const v = n in readOnly ? readOnly[n] : settableAttribute(cfg, n);
    if (v !== undefined) attributes[n] = v;
  }
  return { Attributes: attributes };
}

export async function setQueueAttributes(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  const requested = (input.Attributes ?? {}) as Record<string, unknown>;
  const changes = normalizeQueueAttributes(requested, cfg.fifo, false);
  await checkRedriveTarget(sqs, changes, cfg.fifo);
  const attributes: Record<string, string> = { ...cfg.attributes, ...changes, LastModifiedTimestamp: String(sqs.env.clock.now()) };
  for (const [k, v] of Object.entries(attributes)) if (v === '') delete attributes[k];
  await sqs.env.store.queues.update(cfg.name, { attributes });
  return {};
}

async function checkRedriveTarget(sqs: SqsContext, attributes: Record<string, string>, fifo: boolean): Promise<void> {
  const text = attributes.RedrivePolicy;
  if (!text) return;
  const policy = parseRedrivePolicy(text);
  const name = queueNameOf(policy.deadLetterTargetArn);
  const dlq = name === undefined ? undefined : await sqs.env.store.queues.get(name);
  if (!dlq || dlq.internal) {
    throw invalidParameterValue(`Value ${text} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist: create ${policy.deadLetterTargetArn} first.`);
  }
  if (dlq.fifo !== fifo) {
    throw invalidParameterValue(`Value ${text} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.`);
  }
}

export async function listQueues(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : undefined;
  const max = optionalInteger(input, 'MaxResults', 1, MAX_LIST_QUEUES, `Must be between 1 and ${MAX_LIST_QUEUES}, if provided.`);
  const names = (await sqs.env.store.queues.list(prefix || undefined))
    .filter((q) => !q.internal && (!prefix || q.name.startsWith(prefix)))
    .map((q) => q.name)
    .sort();
  return page(names.map((n) => urlOf(sqs, rpc, n)), names, input.NextToken, max, 'QueueUrls');
}

export async function listDeadLetterSourceQueues(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const dlq = await resolveQueue(sqs, input, rpc);
  const max = optionalInteger(input, 'MaxResults', 1, MAX_LIST_QUEUES, `Must be between 1 and ${MAX_LIST_QUEUES}, if provided.`);
  const names = (await sqs.env.store.queues.list())
    .filter((q) => !q.internal && queueNameOf(redrivePolicyOf(q)?.deadLetterTargetArn ?? '') === dlq.name)
    .map((q) => q.name)
    .sort();
  const out = page(names.map((n) => urlOf(sqs, rpc, n)), names, input.NextToken, max, 'queueUrls');
  return { queueUrls: [], ...out };
}

/** Pages by name: the token is the last name returned, so deletes between pages do not skip queues. */
function page(urls: string[], names: string[], token: unknown, max: number | undefined, key: string): Record<string, unknown> {
  let start = 0;
  if (typeof token === 'string' && token !== '') {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    start = names.findIndex((n) => n > after);
    if (start === -1) start = names.length;
  }
  const end = Math.min(names.length, start + (max ?? MAX_LIST_QUEUES));
  const out: Record<string, unknown> = {};
  if (end > start) out[key] = urls.slice(start, end);
  if (max !== undefined && end < names.length) out.NextToken = Buffer.from(names[end - 1]!, 'utf8').toString('base64url');
  return out;
}

export async function deleteQueue(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  await sqs.env.store.queues.remove(cfg.name);
  sqs.purgedAt.delete(cfg.name);
  sqs.expiredAt.delete(cfg.name);
  return {};
}

export async function purgeQueue(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  const now = sqs.env.clock.now();
  const last = sqs.purgedAt.get(cfg.name);
  if (last !== undefined && now - last < PURGE_INTERVAL_MS) throw purgeQueueInProgress(cfg.name);
  sqs.purgedAt.set(cfg.name, now);
  await sqs.env.store.queues.purge(cfg.name);
  return {};
}

export async function tagQueue(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  const tags = { ...cfg.tags, ...validateTags(input.Tags) };
  if (Object.keys(tags).length > MAX_TAGS) throw invalidParameterValue(`Too many tags: a queue can have at most ${MAX_TAGS}.`);
  await sqs.env.store.queues.update(cfg.name, { tags });
  return {};
}

export async function untagQueue(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  const tags = { ...cfg.tags };
  for (const key of Array.isArray(input.TagKeys) ? input.TagKeys : []) delete tags[String(key)];
  await sqs.env.store.queues.update(cfg.name, { tags });
  return {};
}

export async function listQueueTags(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  return Object.keys(cfg.tags).length > 0 ? { Tags: cfg.tags } : {};
}

function validateTags(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidParameterValue('Tags must be a map of key to value.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k.length === 0 || k.length > 128) throw invalidParameterValue(`Tag key "${k}" must be 1 to 128 characters.`);
    const value = v === null || v === undefined ? '' : String(v);
    if (value.length > 256) throw invalidParameterValue(`Tag value for "${k}" must be at most 256 characters.`);
    out[k] = value;
  }
  if (Object.keys(out).length > MAX_TAGS) throw invalidParameterValue(`Too many tags: a queue can have at most ${MAX_TAGS}.`);
  return out;
}
