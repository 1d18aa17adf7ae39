// SQS's rules about queues: limits, names, attributes (defaults, validation, read-only ones),
// queue references (URL, ARN, name), redrive policies and receipt handles.
import type { QueueConfig } from '../../store/types.ts';
import { parseQueueRef } from '../identifiers.ts';
import { invalidAttributeName, invalidAttributeValue, invalidParameterValue } from './errors.ts';

export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 262_144;
export const DEFAULT_MAX_MESSAGE_BYTES = 262_144;
/** AWS announced 1 MiB messages in 2025; queues may opt in via MaximumMessageSize. */
export const MAX_MAX_MESSAGE_BYTES = 1_048_576;
export const MAX_MESSAGE_ATTRIBUTES = 10;
export const MAX_RECEIVE_MESSAGES = 10;
export const MAX_WAIT_SECONDS = 20;
export const MAX_VISIBILITY_SECONDS = 43_200;
export const MAX_DELAY_SECONDS = 900;
export const PURGE_INTERVAL_MS = 60_000;
export const MAX_QUEUE_NAME_LENGTH = 80;
export const MAX_LIST_QUEUES = 1000;

type AttributeRule = {
  /** Value shown by GetQueueAttributes when never set (undefined: not shown). */
  standardDefault?: string;
  fifoDefault?: string;
  fifoOnly?: boolean;
  /** Normalises a valid value; throws InvalidAttributeValue otherwise. */
  normalize: (name: string, value: string) => string;
};

function integerIn(min: number, max: number) {
  return (name: string, value: string): string => {
    const trimmed = value.trim();
    const n = Number(trimmed);
    if (!/^-?\d+$/.test(trimmed) || n < min || n > max) {
      throw invalidAttributeValue(`Invalid value for the parameter ${name}: "${value}" (expected an integer from ${min} to ${max}).`);
    }
    return String(n);
  };
}

function oneOf(...allowed: string[]) {
  return (name: string, value: string): string => {
    const match = allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase());
    if (match === undefined) throw invalidAttributeValue(`Invalid value for the parameter ${name}: "${value}" (expected ${allowed.join(' or ')}).`);
    return match;
  };
}

function jsonText(name: string, value: string): string {
  try { JSON.parse(value); } catch { throw invalidAttributeValue(`Invalid value for the parameter ${name}: it is not valid JSON.`); }
  return value;
}

const anyText = (_name: string, value: string): string => value;

const RULES: Record<string, AttributeRule> = {
  DelaySeconds: { standardDefault: '0', fifoDefault: '0', normalize: integerIn(0, MAX_DELAY_SECONDS) },
  MaximumMessageSize: { standardDefault: String(DEFAULT_MAX_MESSAGE_BYTES), fifoDefault: String(DEFAULT_MAX_MESSAGE_BYTES), normalize: integerIn(1024, MAX_MAX_MESSAGE_BYTES) },
  MessageRetentionPeriod: { standardDefault: '345600', fifoDefault: '345600', normalize: integerIn(60, 1_209_600) },
  ReceiveMessageWaitTimeSeconds: { standardDefault: '0', fifoDefault: '0', normalize: integerIn(0, MAX_WAIT_SECONDS) },
  VisibilityTimeout: { standardDefault: '30', fifoDefault: '30', normalize: integerIn(0, MAX_VISIBILITY_SECONDS) },
  SqsManagedSseEnabled: { standardDefault: 'true', fifoDefault: 'true', normalize: oneOf('true', 'false') },
  Policy: { normalize: jsonText },
  RedrivePolicy: { normalize: (name, value) => value.trim() === '' ? '' : formatRedrivePolicy(parseRedrivePolicy(value, name)) },
  RedriveAllowPolicy: { normalize: jsonText },
  KmsMasterKeyId: { normalize: anyText },
  KmsDataKeyReusePeriodSeconds: { normalize: integerIn(60, 86_400) },
  FifoQueue: { fifoDefault: 'true', fifoOnly: true, normalize: oneOf('true', 'false') },
  ContentBasedDeduplication: { fifoDefault: 'false', fifoOnly: true, normalize: oneOf('true', 'false') },
  DeduplicationScope: { fifoDefault: 'queue', fifoOnly: true, normalize: oneOf('messageGroup', 'queue') },
  FifoThroughputLimit: { fifoDefault: 'perQueue', fifoOnly: true, normalize: oneOf('perQueue', 'perMessageGroupId') },
};

export const READ_ONLY_ATTRIBUTES = [
  'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp', 'LastModifiedTimestamp', 'QueueArn',
] as const;

export function isKnownAttribute(name: string): boolean {
  return name in RULES || (READ_ONLY_ATTRIBUTES as readonly string[]).includes(name);
}

/** Validates attributes a client wants to set and returns them normalised (strings, canonical case). */
export function normalizeQueueAttributes(attrs: Record<string, unknown>, fifo: boolean, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(attrs)) {
    const rule = RULES[name];
    if (!rule) throw invalidAttributeName(name);
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (rule.fifoOnly && !fifo) {
      if (name === 'FifoQueue' && value.trim().toLowerCase() === 'false') continue;
      throw invalidAttributeName(`${name} (only FIFO queues, whose names end in .fifo, have it)`);
    }
    if (name === 'FifoQueue' && !creating) throw invalidAttributeValue('FifoQueue can only be set when the queue is created.');
    const normalized = rule.normalize(name, value);
    if (name === 'FifoQueue' && normalized !== 'true') {
      throw invalidParameterValue('A queue whose name ends in .fifo must be created with FifoQueue=true.');
    }
    out[name] = normalized;
  }
  return out;
}

/** The value GetQueueAttributes shows for a settable attribute: as set, else the default. */
export function settableAttribute(cfg: QueueConfig, name: string): string | undefined {
  const set = cfg.attributes[name];
  if (set !== undefined && set !== '') return set;
  const rule = RULES[name];
  return cfg.fifo ? rule?.fifoDefault : rule?.standardDefault;
}

export function settableAttributeNames(): string[] {
  return Object.keys(RULES);
}

export function queueSetting(cfg: QueueConfig, name: 'DelaySeconds' | 'MaximumMessageSize' | 'MessageRetentionPeriod'
  | 'ReceiveMessageWaitTimeSeconds' | 'VisibilityTimeout'): number {
  return Number(settableAttribute(cfg, name));
}

export function validateQueueName(name: string, fifo: boolean): void {
  const base = name.endsWith('.fifo') ? name.slice(0, -5) : name;
  if (name.length > MAX_QUEUE_NAME_LENGTH || base.length === 0 || !/^[A-Za-z0-9_-]+$/.test(base)) {
    throw invalidParameterValue(`Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length (queue name "${name}").`);
  }
  if (fifo !== name.endsWith('.fifo')) {
    throw invalidParameterValue(`The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length (queue name "${name}"; FifoQueue=${fifo}).`);
  }
}

/** The queue name in a queue URL (Gannet's or AWS's form), a queue ARN, or a bare name. The
 *  account in the reference is not checked: local setups mix 000000000000 and real-looking ids. */
export function queueNameOf(ref: string): string | undefined {
  return parseQueueRef(ref.trim())?.name;
}

export type RedrivePolicy = { deadLetterTargetArn: string; maxReceiveCount: number };

export function parseRedrivePolicy(text: string, attribute = 'RedrivePolicy'): RedrivePolicy {
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  const p = parsed as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown } | undefined;
  const count = Number(p?.maxReceiveCount);
  if (!p || typeof p !== 'object' || typeof p.deadLetterTargetArn !== 'string' || !Number.isInteger(count) || count < 1 || count > 1000) {
    throw invalidAttributeValue(`Value ${text} for parameter ${attribute} is invalid. Reason: expected JSON {"deadLetterTargetArn": "<queue ARN>", "maxReceiveCount": 1..1000}.`);
  }
  return { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: count };
}

function formatRedrivePolicy(p: RedrivePolicy): string {
  return JSON.stringify({ deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: p.maxReceiveCount });
}

export function redrivePolicyOf(cfg: QueueConfig): RedrivePolicy | undefined {
  const text = cfg.attributes.RedrivePolicy;
  return text ? parseRedrivePolicy(text) : undefined;
}

const RECEIPT_PREFIX = 'gq1:';

/** Receipt handles name their queue, so a handle from another queue is rejected, not silently ignored. */
export function encodeReceiptHandle(queue: string, storeReceipt: string): string {
  return Buffer.from(`${RECEIPT_PREFIX}${queue}:${storeReceipt}`, 'utf8').toString('base64url');
}

/** Store receipts handed out without Gannet's wrapping (the SQS event source's records) are accepted too. */
const BARE_STORE_RECEIPT = /^[A-Za-z0-9-]{16,64}$/;

export function decodeReceiptHandle(handle: string): { queue?: string; receipt: string } | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(handle)) return undefined;
  const text = Buffer.from(handle, 'base64url').toString('utf8');
  if (!text.startsWith(RECEIPT_PREFIX)) return BARE_STORE_RECEIPT.test(handle) ? { receipt: handle } : undefined;
  const rest = text.slice(RECEIPT_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  return { queue: rest.slice(0, colon), receipt: rest.slice(colon + 1) };
}
