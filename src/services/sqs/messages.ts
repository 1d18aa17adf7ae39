// One SQS message's rules: body characters and size, message and system attributes, FIFO group and
// deduplication ids, and the shape a received message is returned in.
import { createHash } from 'node:crypto';
import type { ClaimedMessage, NewMessage, QueueConfig } from '../../store/types.ts';
import { invalidMessageContents, invalidParameterValue, missingParameter } from './errors.ts';
import { md5OfBody, md5OfMessageAttributes, type MessageAttributeValue } from './md5.ts';
import { MAX_DELAY_SECONDS, MAX_MESSAGE_ATTRIBUTES, queueSetting, settableAttribute } from './model.ts';

/** XML 1.0 characters: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF. */
const INVALID_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const NUMBER_VALUE = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export type PreparedMessage = {
  message: NewMessage;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  md5OfMessageSystemAttributes?: string;
  /** Body plus attribute names, types and values, as SQS counts it against MaximumMessageSize. */
  size: number;
};

export type SendEntry = Record<string, unknown>;

/** Validates one SendMessage(Batch) entry against its queue and turns it into a store message. */
export function prepareMessage(cfg: QueueConfig, entry: SendEntry, senderId: string): PreparedMessage {
  const body = entry.MessageBody;
  if (typeof body !== 'string' || body.length === 0) throw missingParameter('MessageBody');
  if (INVALID_XML_CHAR.test(body)) throw invalidMessageContents();

  const attributes = validateMessageAttributes(entry.MessageAttributes);
  const system = validateSystemAttributes(entry.MessageSystemAttributes);
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, v] of Object.entries(attributes)) size += attributeSize(name, v);
  const max = queueSetting(cfg, 'MaximumMessageSize');
  if (size > max) {
    throw invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes (this one is ${size}).`);
  }

  const message: NewMessage = { body, attributes, systemAttributes: { SenderId: senderId } };
  if (system.AWSTraceHeader) message.systemAttributes!.AWSTraceHeader = system.AWSTraceHeader.StringValue!;
  const delay = entry.DelaySeconds;
  if (delay !== undefined && delay !== null) {
    if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_SECONDS) {
      throw invalidParameterValue(`Value ${String(delay)} for parameter DelaySeconds is invalid. Reason: must be an integer from 0 to ${MAX_DELAY_SECONDS}.`);
    }
    if (cfg.fifo && delay !== 0) {
      throw invalidParameterValue(`Value ${delay} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type (FIFO queues only have a queue-level delay).`);
    }
  }
  message.delayMs = (typeof delay === 'number' ? delay : queueSetting(cfg, 'DelaySeconds')) * 1000;
  applyFifoIds(cfg, entry, message);

  const prepared: PreparedMessage = { message, md5OfBody: md5OfBody(body), size };
  const attrMd5 = md5OfMessageAttributes(attributes);
  if (attrMd5) prepared.md5OfMessageAttributes = attrMd5;
  const sysMd5 = md5OfMessageAttributes(system);
  if (sysMd5) prepared.md5OfMessageSystemAttributes = sysMd5;
  return prepared;
}

function applyFifoIds(cfg: QueueConfig, entry: SendEntry, message: NewMessage): void {
  const groupId = entry.MessageGroupId;
  const dedupId = entry.MessageDeduplicationId;
  if (!cfg.fifo) {
    if (dedupId !== undefined) {
      throw invalidParameterValue('The request include parameter that is not valid for this queue type: MessageDeduplicationId is for FIFO queues only.');
    }
    return;
  }
  if (typeof groupId !== 'string' || groupId === '') throw missingParameter('MessageGroupId');
  checkFifoId('MessageGroupId', groupId);
  message.groupId = groupId;
  if (typeof dedupId === 'string' && dedupId !== '') {
    checkFifoId('MessageDeduplicationId', dedupId);
    message.dedupId = dedupId;
  } else if (settableAttribute(cfg, 'ContentBasedDeduplication') === 'true') {
    message.dedupId = createHash('sha256').update(message.body, 'utf8').digest('hex');
  } else {
    throw invalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
}

function checkFifoId(name: string, value: string): void {
  if (value.length > 128 || !/^[\x21-\x7E]+$/.test(value)) {
    throw invalidParameterValue(`Value ${value} for parameter ${name} is invalid. Reason: up to 128 characters from ASCII 33 to 126.`);
  }
}

function validateMessageAttributes(raw: unknown): Record<string, MessageAttributeValue> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object') throw invalidParameterValue('MessageAttributes must be a map of name to {DataType, StringValue|BinaryValue}.');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_MESSAGE_ATTRIBUTES) {
    throw invalidParameterValue(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`);
  }
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')
      || lower.startsWith('aws.') || lower.startsWith('amazon.')) {
      throw invalidParameterValue(`Message (user) attribute name ${name} is invalid. Use letters, digits, '-', '_' and '.', not starting with AWS. or Amazon., with no '..'.`);
    }
    out[name] = validateAttributeValue(name, value, 'message (user)');
  }
  return out;
}

function validateAttributeValue(name: string, value: unknown, kind: string): MessageAttributeValue {
  const v = (value ?? {}) as Partial<MessageAttributeValue>;
  const dataType = typeof v.DataType === 'string' ? v.DataType : '';
  const base = dataType.split('.')[0];
  if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
    throw invalidParameterValue(`The type of ${kind} attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
  }
  if (v.StringListValues?.length || v.BinaryListValues?.length) {
    throw invalidParameterValue(`Message attribute list values in SendMessage operation are not supported (attribute '${name}').`);
  }
  if (base === 'Binary') {
    if (typeof v.BinaryValue !== 'string' || v.BinaryValue === '') {
      throw invalidParameterValue(`The ${kind} attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`);
    }
    return { DataType: dataType, BinaryValue: v.BinaryValue };
  }
  if (typeof v.StringValue !== 'string' || v.StringValue === '') {
    throw invalidParameterValue(`The ${kind} attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`);
  }
  if (INVALID_XML_CHAR.test(v.StringValue)) throw invalidMessageContents();
  if (base === 'Number' && !NUMBER_VALUE.test(v.StringValue.trim())) {
    throw invalidParameterValue(`Could not cast ${kind} attribute '${name}' value to number.`);
  }
  return { DataType: dataType, StringValue: v.StringValue };
}

function validateSystemAttributes(raw: unknown): Record<string, MessageAttributeValue> {
  if (raw === undefined || raw === null) return {};
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name !== 'AWSTraceHeader') {
      throw invalidParameterValue(`Message system attribute name '${name}' is invalid; the only one a sender may set is AWSTraceHeader.`);
    }
    const v = validateAttributeValue(name, value, 'message system');
    if (v.DataType !== 'String') throw invalidParameterValue(`Message system attribute AWSTraceHeader must have DataType String.`);
    out[name] = v;
  }
  return out;
}

function attributeSize(name: string, v: MessageAttributeValue): number {
  const value = v.BinaryValue !== undefined ? Buffer.byteLength(v.BinaryValue, 'base64') : Buffer.byteLength(v.StringValue ?? '', 'utf8');
  return Buffer.byteLength(name, 'utf8') + Buffer.byteLength(v.DataType, 'utf8') + value;
}

export const SYSTEM_ATTRIBUTE_NAMES = [
  'SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp',
  'SequenceNumber', 'MessageDeduplicationId', 'MessageGroupId', 'AWSTraceHeader', 'DeadLetterQueueSourceArn',
] as const;

export type ReceiveSelection = { system: Set<string>; messageAttributes: string[] };

/** Which system and message attributes a ReceiveMessage asked for ('All' and 'prefix.*' included). */
export function receiveSelection(input: Record<string, unknown>): ReceiveSelection {
  const names = [...asStrings(input.AttributeNames), ...asStrings(input.MessageSystemAttributeNames)];
  const system = new Set<string>(names.includes('All') ? SYSTEM_ATTRIBUTE_NAMES : names);
  return { system, messageAttributes: asStrings(input.MessageAttributeNames) };
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

export function selectMessageAttributes(all: Record<string, MessageAttributeValue>, wanted: string[]): Record<string, MessageAttributeValue> {
  if (wanted.length === 0) return {};
  if (wanted.includes('All') || wanted.includes('.*')) return all;
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, v] of Object.entries(all)) {
    const hit = wanted.some((w) => w.endsWith('.*') ? name.startsWith(w.slice(0, -1)) : w === name);
    if (hit) out[name] = v;
  }
  return out;
}

function systemAttributes(msg: ClaimedMessage, wanted: Set<string>, defaultSender: string, now: number): Record<string, string> {
  const all: Record<string, string | undefined> = {
    SenderId: msg.systemAttributes.SenderId ?? defaultSender,
    SentTimestamp: String(msg.sentAt),
    ApproximateReceiveCount: String(msg.receiveCount),
    ApproximateFirstReceiveTimestamp: String(msg.firstReceivedAt ?? now),
    SequenceNumber: msg.sequenceNumber,
    MessageDeduplicationId: msg.dedupId,
    MessageGroupId: msg.groupId,
    AWSTraceHeader: msg.systemAttributes.AWSTraceHeader,
    DeadLetterQueueSourceArn: msg.systemAttributes.DeadLetterQueueSourceArn,
  };
  const out: Record<string, string> = {};
  for (const name of wanted) {
    const v = all[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** A claimed message as ReceiveMessage returns it. */
export function receivedMessage(msg: ClaimedMessage, receiptHandle: string, sel: ReceiveSelection,
  defaultSender: string, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    MessageId: msg.id,
    ReceiptHandle: receiptHandle,
    MD5OfBody: md5OfBody(msg.body),
    Body: msg.body,
  };
  const attrs = systemAttributes(msg, sel.system, defaultSender, now);
  if (Object.keys(attrs).length > 0) out.Attributes = attrs;
  const messageAttributes = selectMessageAttributes(msg.attributes as Record<string, MessageAttributeValue>, sel.messageAttributes);
  const md5 = md5OfMessageAttributes(messageAttributes);
  if (md5) {
    out.MD5OfMessageAttributes = md5;
    out.MessageAttributes = messageAttributes;
  }
  return out;
}
