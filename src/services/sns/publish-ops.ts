// SNS Publish and PublishBatch: validate the message, run FIFO deduplication and sequencing, then
// deliver to every confirmed subscription whose filter policy matches.
import { createHash, randomUUID } from 'node:crypto';
import { deliverNotification, type SnsMessageAttribute, type SnsNotification } from '../../events/sns-delivery.ts';
import type { RpcContext } from '../protocol/rpc.ts';
import { ServiceError } from '../protocol/service-error.ts';
import {
  batchEntryIdsNotDistinct, batchRequestTooLong, emptyBatchRequest, invalidBatchEntryId, invalidParameter,
  invalidParameterValue, tooManyEntriesInBatchRequest,
} from './errors.ts';
import { deliveryContext, requireString, topicByArn, type Input, type SnsContext } from './context.ts';
import { MAX_BATCH_ENTRIES, MAX_MESSAGE_ATTRIBUTES, MAX_MESSAGE_BYTES, MAX_SUBJECT_LENGTH, type Topic } from './model.ts';

export type PublishOptions = {
  subject?: string;
  attributes?: Record<string, SnsMessageAttribute>;
  groupId?: string;
  dedupId?: string;
  /** Where Gannet's SNS API is reachable, for UnsubscribeURL in envelopes. */
  origin?: string;
};

export async function publish(sns: SnsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  if (input.PhoneNumber !== undefined) throw invalidParameter('PhoneNumber', 'Gannet does not send SMS; publish to a topic');
  const arn = (input.TopicArn ?? input.TargetArn) as unknown;
  if (typeof arn !== 'string' || arn === '') throw invalidParameter('TopicArn or TargetArn', 'no value for required parameter');
  const topic = await topicByArn(sns, arn, input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn');
  const n = await publishEntry(sns, topic, input, rpc.origin);
  return n.sequenceNumber !== undefined ? { MessageId: n.messageId, SequenceNumber: n.sequenceNumber } : { MessageId: n.messageId };
}

export async function publishBatch(sns: SnsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const topic = await topicByArn(sns, requireString(input, 'TopicArn'));
  const entries = input.PublishBatchRequestEntries;
  if (!Array.isArray(entries) || entries.length === 0) throw emptyBatchRequest();
  if (entries.length > MAX_BATCH_ENTRIES) throw tooManyEntriesInBatchRequest(entries.length, MAX_BATCH_ENTRIES);
  const ids = new Set<string>();
  let total = 0;
  for (const e of entries as Input[]) {
    const id = e?.Id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw invalidBatchEntryId(String(id ?? ''));
    if (ids.has(id)) throw batchEntryIdsNotDistinct(id);
    ids.add(id);
    total += Buffer.byteLength(String(e.Message ?? ''), 'utf8');
  }
  if (total > MAX_MESSAGE_BYTES) throw batchRequestTooLong(total, MAX_MESSAGE_BYTES);

  const Successful: Record<string, string>[] = [];
  const Failed: { Id: string; Code: string; Message: string; SenderFault: boolean }[] = [];
  for (const e of entries as (Input & { Id: string })[]) {
    try {
      const n = await publishEntry(sns, topic, e, rpc.origin);
      Successful.push({ Id: e.Id, MessageId: n.messageId, ...(n.sequenceNumber !== undefined ? { SequenceNumber: n.sequenceNumber } : {}) });
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      Failed.push({ Id: e.Id, Code: err.queryCode, Message: err.message, SenderFault: err.fault === 'Sender' });
    }
  }
  return { Successful, Failed };
}

/** For Lambda destinations, S3 notifications and tests: publishes as Publish would. */
export async function publishToTopic(sns: SnsContext, topicArn: string, message: string, opts: PublishOptions = {}): Promise<string> {
  const topic = await topicByArn(sns, topicArn);
  const input: Input = { Message: message, Subject: opts.subject, MessageAttributes: opts.attributes,
    MessageGroupId: opts.groupId, MessageDeduplicationId: opts.dedupId };
  return (await publishEntry(sns, topic, input, opts.origin)).messageId;
}

async function publishEntry(sns: SnsContext, topic: Topic, input: Input, origin: string | undefined): Promise<SnsNotification> {
  const n = buildNotification(sns, topic, input);
  const accepted = topic.fifo ? await sequenceFifo(sns, topic, n) : true;
  if (!accepted) return n;
  const subs = (await sns.state.subscriptions(topic.arn)).filter((s) => s.confirmed);
  const ctx = deliveryContext(sns, origin);
  await Promise.all(subs.map(async (s) => {
    try {
      await deliverNotification(ctx, n, s);
    } catch (err) {
      // A broken subscription (queue deleted, bad endpoint) must not fail the publish, as on SNS.
      sns.env.log.warn(`SNS ${topic.arn}: delivery of message ${n.messageId} to ${s.protocol} ${s.endpoint} failed: ${(err as Error).message}`);
    }
  }));
  return n;
}

function buildNotification(sns: SnsContext, topic: Topic, input: Input): SnsNotification {
  const message = input.Message;
  if (typeof message !== 'string' || message === '') throw invalidParameter('Empty message');
  const attributes = validateAttributes(input.MessageAttributes);
  let size = Buffer.byteLength(message, 'utf8');
  for (const [k, a] of Object.entries(attributes)) size += Buffer.byteLength(k) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue ?? a.BinaryValue ?? '');
  if (size > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long', `the message and its attributes are ${size} bytes; the limit is ${MAX_MESSAGE_BYTES}`);

  const n: SnsNotification = { messageId: randomUUID(), topicArn: topic.arn, message, attributes, timestamp: sns.env.clock.now() };
  const subject = input.Subject;
  if (subject !== undefined && subject !== null) {
    if (typeof subject !== 'string' || subject === '' || subject.length > MAX_SUBJECT_LENGTH || /[\x00-\x1F\x7F]/.test(subject)) {
      throw invalidParameter('Subject', `1 to ${MAX_SUBJECT_LENGTH} printable characters without line breaks`);
    }
    n.subject = subject;
  }
  if (input.MessageStructure !== undefined && input.MessageStructure !== null) {
    if (input.MessageStructure !== 'json') throw invalidParameter('MessageStructure', 'the only structure is json');
    n.perProtocol = perProtocolMessages(message);
    n.message = n.perProtocol.default!;
  }
  applyFifoIds(topic, input, n);
  return n;
}

function perProtocolMessages(message: string): Record<string, string> {
  let parsed: unknown;
  try { parsed = JSON.parse(message); } catch { throw invalidParameter('Message Structure - JSON message body failed to parse'); }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidParameter('Message Structure - JSON message body failed to parse');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') throw invalidParameter(`Message Structure - the value of "${k}" must be a string`);
    out[k] = v;
  }
  if (out.default === undefined) throw invalidParameter('Message Structure - No default entry in JSON message body');
  return out;
}

function applyFifoIds(topic: Topic, input: Input, n: SnsNotification): void {
  const groupId = input.MessageGroupId;
  const dedupId = input.MessageDeduplicationId;
  if (!topic.fifo) {
    if (dedupId !== undefined && dedupId !== null) throw invalidParameter('MessageDeduplicationId', 'The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    return;
  }
  if (typeof groupId !== 'string' || groupId === '') throw invalidParameter('MessageGroupId', 'The MessageGroupId parameter is required for FIFO topics');
  n.groupId = groupId;
  if (typeof dedupId === 'string' && dedupId !== '') n.dedupId = dedupId;
  else if (topic.attributes.ContentBasedDeduplication === 'true') n.dedupId = createHash('sha256').update(n.message, 'utf8').digest('hex');
  else throw invalidParameter('MessageDeduplicationId', 'The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
}

/** Assigns the sequence number, or marks a duplicate within the window with the original's ids.
 *  Returns whether the message is new (and so delivered). */
async function sequenceFifo(sns: SnsContext, topic: Topic, n: SnsNotification): Promise<boolean> {
  const previous = sns.fifoTails.get(topic.arn) ?? Promise.resolve();
  const mine = previous.then(async () => {
    const now = sns.env.clock.now();
    const hit = await sns.state.dedupHit(topic.arn, n.dedupId!, now);
    if (hit) {
      n.messageId = hit.messageId;
      n.sequenceNumber = hit.sequenceNumber;
      return false;
    }
    n.sequenceNumber = await sns.state.nextSequenceNumber(topic.arn);
    await sns.state.recordDedup(topic.arn, n.dedupId!, n.messageId, n.sequenceNumber, now);
    return true;
  });
  const tail = mine.catch(() => {});
  sns.fifoTails.set(topic.arn, tail);
  try {
    return await mine;
  } finally {
    if (sns.fifoTails.get(topic.arn) === tail) sns.fifoTails.delete(topic.arn);
  }
}

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;

function validateAttributes(raw: unknown): Record<string, SnsMessageAttribute> {
  if (raw === undefined || raw === null) return {};
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_MESSAGE_ATTRIBUTES) {
    throw invalidParameterValue(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`);
  }
  const out: Record<string, SnsMessageAttribute> = {};
  for (const [name, value] of entries) {
    if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws|amazon)\./i.test(name)) {
      throw invalidParameterValue(`The message attribute name '${name}' is invalid: use letters, digits, '-', '_' and '.', not starting with AWS. or Amazon.`);
    }
    const v = (value ?? {}) as Partial<SnsMessageAttribute>;
    const dataType = typeof v.DataType === 'string' ? v.DataType : '';
    const base = dataType.split('.')[0];
    if (dataType !== 'String.Array' && base !== 'String' && base !== 'Number' && base !== 'Binary') {
      throw invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    if (base === 'Binary') {
      if (typeof v.BinaryValue !== 'string' || v.BinaryValue === '') throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`);
      out[name] = { DataType: dataType, BinaryValue: v.BinaryValue };
      continue;
    }
    if (typeof v.StringValue !== 'string' || v.StringValue === '') {
      throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`);
    }
    if (base === 'Number' && !/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(v.StringValue.trim())) {
      throw invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    }
    if (dataType === 'String.Array' && !isJsonArray(v.StringValue)) {
      throw invalidParameterValue(`The message attribute '${name}' with type 'String.Array' must be a JSON array.`);
    }
    out[name] = { DataType: dataType, StringValue: v.StringValue };
  }
  return out;
}

function isJsonArray(text: string): boolean {
  try { return Array.isArray(JSON.parse(text)); } catch { return false; }
}
