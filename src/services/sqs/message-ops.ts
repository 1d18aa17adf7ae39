// SQS operations on messages: send (one, batch), receive (long polling, redrive to the DLQ),
// delete and change visibility (one, batch).
import type { ClaimedMessage, QueueConfig } from '../../store/types.ts';
import type { RpcContext } from '../protocol/rpc.ts';
import { ServiceError } from '../protocol/service-error.ts';
import {
  batchEntryIdsNotDistinct, batchRequestTooLong, emptyBatchRequest, invalidBatchEntryId, messageNotInflight, missingParameter,
  receiptHandleIsInvalid, tooManyEntriesInBatchRequest,
} from './errors.ts';
import { arnOf, optionalInteger, requireString, resolveQueue, type Input, type SqsContext } from './context.ts';
import { prepareMessage, receivedMessage, receiveSelection, type PreparedMessage } from './messages.ts';
import {
  decodeReceiptHandle, encodeReceiptHandle, MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, MAX_RECEIVE_MESSAGES,
  MAX_VISIBILITY_SECONDS, MAX_WAIT_SECONDS, queueNameOf, queueSetting, redrivePolicyOf,
} from './model.ts';

/** Long polls re-check at least this often, so delayed messages and expired visibility timeouts are
 *  seen even when the store only signals new sends. */
const LONG_POLL_SLICE_MS = 1000;
/** Retention is enforced on receive, at most this often per queue. */
const RETENTION_SWEEP_INTERVAL_MS = 10_000;

export async function sendMessage(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  const prepared = prepareMessage(cfg, input, sqs.env.accountId);
  const [stored] = await sqs.env.store.queues.send(cfg.name, [prepared.message]);
  return sendResult(prepared, stored!.id, stored!.sequenceNumber);
}

function sendResult(p: PreparedMessage, messageId: string, sequenceNumber: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { MessageId: messageId, MD5OfMessageBody: p.md5OfBody };
  if (p.md5OfMessageAttributes) out.MD5OfMessageAttributes = p.md5OfMessageAttributes;
  if (p.md5OfMessageSystemAttributes) out.MD5OfMessageSystemAttributes = p.md5OfMessageSystemAttributes;
  if (sequenceNumber !== undefined) out.SequenceNumber = sequenceNumber;
  return out;
}

type BatchEntry = Record<string, unknown> & { Id: string };
type Failure = { Id: string; SenderFault: boolean; Code: string; Message: string };

/** The checks every *Batch operation makes before looking at entries. */
function batchEntries(input: Input): BatchEntry[] {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length === 0) throw emptyBatchRequest();
  if (entries.length > MAX_BATCH_ENTRIES) throw tooManyEntriesInBatchRequest(entries.length, MAX_BATCH_ENTRIES);
  const seen = new Set<string>();
  for (const e of entries as Record<string, unknown>[]) {
    const id = e?.Id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw invalidBatchEntryId(String(id ?? ''));
    if (seen.has(id)) throw batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
  return entries as BatchEntry[];
}

function failure(id: string, err: unknown): Failure {
  if (!(err instanceof ServiceError)) throw err;
  return { Id: id, SenderFault: err.fault === 'Sender', Code: err.awsCode, Message: err.message };
}

export async function sendMessageBatch(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  const entries = batchEntries(input);
  const limit = Math.max(MAX_BATCH_BYTES, queueSetting(cfg, 'MaximumMessageSize'));
  const total = entries.reduce((n, e) => n + Buffer.byteLength(String(e.MessageBody ?? ''), 'utf8'), 0);
  if (total > limit) throw batchRequestTooLong(total, limit);

  const ok: { id: string; prepared: PreparedMessage }[] = [];
  const Failed: Failure[] = [];
  for (const e of entries) {
    try { ok.push({ id: e.Id, prepared: prepareMessage(cfg, e, sqs.env.accountId) }); } catch (err) { Failed.push(failure(e.Id, err)); }
  }
  const stored = ok.length > 0 ? await sqs.env.store.queues.send(cfg.name, ok.map((o) => o.prepared.message)) : [];
  const Successful = ok.map((o, i) => ({ Id: o.id, ...sendResult(o.prepared, stored[i]!.id, stored[i]!.sequenceNumber) }));
  return { Successful, Failed };
}

export async function receiveMessage(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  const max = optionalInteger(input, 'MaxNumberOfMessages', 1, MAX_RECEIVE_MESSAGES,
    `Must be between 1 and ${MAX_RECEIVE_MESSAGES}, if provided.`) ?? 1;
  const visibility = optionalInteger(input, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS,
    `Must be between 0 and ${MAX_VISIBILITY_SECONDS}, if provided.`) ?? queueSetting(cfg, 'VisibilityTimeout');
  const wait = optionalInteger(input, 'WaitTimeSeconds', 0, MAX_WAIT_SECONDS,
    `Must be >= 0 and <= ${MAX_WAIT_SECONDS}, if provided.`) ?? queueSetting(cfg, 'ReceiveMessageWaitTimeSeconds');
  const selection = receiveSelection(input);
  await sweepRetention(sqs, cfg);

  const { clock, store } = sqs.env;
  const deadline = clock.now() + wait * 1000;
  let claimed: ClaimedMessage[] = [];
  for (;;) {
    claimed = await claimWithRedrive(sqs, cfg, max, visibility * 1000);
    const remaining = deadline - clock.now();
    if (claimed.length > 0 || remaining <= 0 || rpc.signal.aborted) break;
    try {
      await store.queues.waitForMessage(cfg.name, Math.min(remaining, LONG_POLL_SLICE_MS), rpc.signal);
    } catch {
      break; // the client went away
    }
  }
  if (claimed.length === 0) return {};
  const now = clock.now();
  return {
    Messages: claimed.map((m) => receivedMessage(m, encodeReceiptHandle(cfg.name, m.receipt), selection, sqs.env.accountId, now)),
  };
}

/** Claims messages; those received more often than the RedrivePolicy allows go to the DLQ instead. */
async function claimWithRedrive(sqs: SqsContext, cfg: QueueConfig, max: number, visibilityMs: number): Promise<ClaimedMessage[]> {
  const queues = sqs.env.store.queues;
  const policy = redrivePolicyOf(cfg);
  const dlq = policy && queueNameOf(policy.deadLetterTargetArn);
  const out: ClaimedMessage[] = [];
  // Each round either fills the answer or moves at least one message away, so this ends.
  for (let round = 0; round < 10 && out.length < max; round++) {
    const claimed = await queues.claim(cfg.name, max - out.length, visibilityMs);
    if (claimed.length === 0) break;
    let moved = 0;
    for (const m of claimed) {
      if (policy && dlq && m.receiveCount > policy.maxReceiveCount && await moveToDlq(sqs, cfg, m, dlq)) moved++;
      else out.push(m);
    }
    if (moved === 0) break;
  }
  return out;
}

async function moveToDlq(sqs: SqsContext, cfg: QueueConfig, m: ClaimedMessage, dlq: string): Promise<boolean> {
  const target = await sqs.env.store.queues.get(dlq);
  if (!target) {
    sqs.env.log.warn(`SQS queue ${cfg.name}: dead-letter queue ${dlq} does not exist, so message ${m.id} stays on ${cfg.name}; create the queue or fix RedrivePolicy`);
    return false;
  }
  // False only if the receipt went stale meanwhile; either way the message is not ours to return.
  await sqs.env.store.queues.move(cfg.name, m.receipt, dlq, { systemAttributes: { DeadLetterQueueSourceArn: arnOf(sqs, cfg.name) } });
  return true;
}

/** Drops messages past the queue's MessageRetentionPeriod (on receive and when counting). */
export async function sweepRetention(sqs: SqsContext, cfg: QueueConfig): Promise<void> {
  const now = sqs.env.clock.now();
  const last = sqs.expiredAt.get(cfg.name);
  if (last !== undefined && now - last < RETENTION_SWEEP_INTERVAL_MS) return;
  sqs.expiredAt.set(cfg.name, now);
  await sqs.env.store.queues.expire(cfg.name, queueSetting(cfg, 'MessageRetentionPeriod') * 1000);
}

/** The store receipt inside a handle for this queue; ReceiptHandleIsInvalid for anything else. */
function storeReceipt(cfg: QueueConfig, handle: string): string {
  const decoded = decodeReceiptHandle(handle);
  if (!decoded || (decoded.queue !== undefined && decoded.queue !== cfg.name)) throw receiptHandleIsInvalid(handle);
  return decoded.receipt;
}

export async function deleteMessage(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  const receipt = storeReceipt(cfg, requireString(input, 'ReceiptHandle'));
  // A stale but well-formed handle deletes nothing and still succeeds, as on SQS.
  await sqs.env.store.queues.ack(cfg.name, [receipt]);
  return {};
}

/** Deletes by receipt handles in one store call (the SQS event source's batches); stale ones are ignored. */
export async function deleteByHandles(sqs: SqsContext, cfg: QueueConfig, handles: string[]): Promise<void> {
  const receipts = handles.map((h) => storeReceipt(cfg, h));
  if (receipts.length > 0) await sqs.env.store.queues.ack(cfg.name, receipts);
}

export async function deleteMessageBatch(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  const entries = batchEntries(input);
  const Successful: { Id: string }[] = [];
  const Failed: Failure[] = [];
  const receipts: string[] = [];
  for (const e of entries) {
    try {
      receipts.push(storeReceipt(cfg, requireString(e, 'ReceiptHandle')));
      Successful.push({ Id: e.Id });
    } catch (err) { Failed.push(failure(e.Id, err)); }
  }
  if (receipts.length > 0) await sqs.env.store.queues.ack(cfg.name, receipts);
  return { Successful, Failed };
}

async function changeVisibility(sqs: SqsContext, cfg: QueueConfig, entry: Input): Promise<void> {
  const receipt = storeReceipt(cfg, requireString(entry, 'ReceiptHandle'));
  const seconds = optionalInteger(entry, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS,
    `Must be between 0 and ${MAX_VISIBILITY_SECONDS}, if provided.`);
  if (seconds === undefined) throw missingParameter('VisibilityTimeout');
  if (!await sqs.env.store.queues.release(cfg.name, receipt, seconds * 1000)) throw messageNotInflight();
}

export async function changeMessageVisibility(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  await changeVisibility(sqs, cfg, input);
  return {};
}

export async function changeMessageVisibilityBatch(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<unknown> {
  const cfg = await resolveQueue(sqs, input, rpc);
  const entries = batchEntries(input);
  const Successful: { Id: string }[] = [];
  const Failed: Failure[] = [];
  for (const e of entries) {
    try {
      await changeVisibility(sqs, cfg, e);
      Successful.push({ Id: e.Id });
    } catch (err) { Failed.push(failure(e.Id, err)); }
  }
  return { Successful, Failed };
}
