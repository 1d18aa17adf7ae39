// QueueStore on SQLite: SQS queues, Gannet's async-invocation queues and retries, all as rows.
// Long polls wait on the in-process notifier; writes by other processes are noticed through
// PRAGMA data_version, checked only while someone is waiting.
import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import type { ClaimedMessage, NewMessage, QueueConfig, QueueStore, StoredMessage } from '../types.ts';
import type { QueueNotifier } from '../notifier.ts';
import { queueExists, queueNotFound } from '../errors.ts';
import type { Db } from './db.ts';
import { prepareQueueConfigSql } from './queue/config-sql.ts';
import { prepareSendSql, type DedupHit } from './queue/send-sql.ts';
import { prepareClaimSql } from './queue/claim-sql.ts';
import { prepareMessageSql } from './queue/message-sql.ts';

/** SQS drops a FIFO message whose deduplication id was seen on the queue in the last 5 minutes. */
export const FIFO_DEDUP_WINDOW_MS = 5 * 60_000;
/** How often a long poll checks for commits by other processes (same-process sends wake it at once). */
export const OTHER_WRITERS_POLL_MS = 250;

type Ctx = { db: Db; clock: Clock; notifier: QueueNotifier };

export class SqliteQueueStore implements QueueStore {
  #db: Db;
  #clock: Clock;
  #notifier: QueueNotifier;
  #config: ReturnType<typeof prepareQueueConfigSql>;
  #send: ReturnType<typeof prepareSendSql>;
  #claim: ReturnType<typeof prepareClaimSql>;
  #msg: ReturnType<typeof prepareMessageSql>;
  #dataVersion: () => number;
  #watching = false;
  #closing = new AbortController();

  constructor(ctx: Ctx) {
    this.#db = ctx.db;
    this.#clock = ctx.clock;
    this.#notifier = ctx.notifier;
    this.#config = prepareQueueConfigSql(ctx.db.sql);
    this.#send = prepareSendSql(ctx.db.sql);
    this.#claim = prepareClaimSql(ctx.db.sql);
    this.#msg = prepareMessageSql(ctx.db.sql);
    const dataVersion = ctx.db.sql.prepare('PRAGMA data_version');
    this.#dataVersion = () => (dataVersion.get() as { data_version: number }).data_version;
  }

  async create(cfg: QueueConfig): Promise<void> {
    if (!this.#config.insert(cfg)) throw queueExists(cfg.name);
  }

  async get(name: string): Promise<QueueConfig | undefined> {
    return this.#config.select(name);
  }

  /** Replaces the fields given (the caller merges SetQueueAttributes / TagQueue / UntagQueue). */
  async update(name: string, patch: Partial<Pick<QueueConfig, 'attributes' | 'tags'>>): Promise<void> {
    this.#db.tx(() => {
      if (!this.#config.select(name)) throw queueNotFound(name);
      if (patch.attributes) this.#config.updateAttributes(name, patch.attributes);
      if (patch.tags) this.#config.updateTags(name, patch.tags);
    });
  }

  async list(prefix = ''): Promise<QueueConfig[]> {
    return this.#config.selectAll(prefix);
  }

  async remove(name: string): Promise<void> {
    const removed = this.#db.tx(() => this.#config.remove(name));
    if (!removed) throw queueNotFound(name);
    this.#notifier.wake(name);
  }

  async purge(name: string): Promise<void> {
    this.#db.tx(() => {
      if (!this.#config.select(name)) throw queueNotFound(name);
      this.#config.purge(name);
    });
  }

  /** `delayMs` defaults to the queue's DelaySeconds. For FIFO queues a missing dedupId is the
   *  body's SHA-256 when ContentBasedDeduplication is on; DeduplicationScope=messageGroup
   *  scopes deduplication to the message group. */
  async send(queue: string, msgs: NewMessage[]): Promise<StoredMessage[]> {
    const now = this.#clock.now();
    let nextVisible = Infinity;
    const sent = this.#db.tx(() => {
      const cfg = this.#config.select(queue);
      if (!cfg) throw queueNotFound(queue);
      const defaultDelayMs = Number(cfg.attributes.DelaySeconds ?? 0) * 1000;
      return msgs.map((m) => {
        const dedupId = cfg.fifo ? (m.dedupId ?? contentDedupId(cfg, m.body)) : m.dedupId;
        const dedupKey = cfg.fifo && dedupId !== undefined
          ? (cfg.attributes.DeduplicationScope === 'messageGroup' ? `${m.groupId ?? ''}\u0000${dedupId}` : dedupId)
          : undefined;
        if (dedupKey !== undefined) {
          const hit = this.#send.findDedup(queue, dedupKey, now - FIFO_DEDUP_WINDOW_MS);
          if (hit) return duplicateOf(hit, queue, m, dedupId);
        }
        const visibleAt = now + Math.max(0, m.delayMs ?? defaultDelayMs);
        const stored: StoredMessage = {
          id: randomUUID(), queue, body: m.body, attributes: m.attributes ?? {}, systemAttributes: m.systemAttributes ?? {},
          sentAt: now, receiveCount: 0,
        };
        if (m.groupId !== undefined) stored.groupId = m.groupId;
        if (dedupId !== undefined) stored.dedupId = dedupId;
        if (cfg.fifo) stored.sequenceNumber = this.#send.nextSequenceNumber(queue);
        this.#send.insert({
          id: stored.id, queue, body: m.body, attributes: JSON.stringify(stored.attributes), systemAttributes: JSON.stringify(stored.systemAttributes),
          groupId: m.groupId ?? null, dedupId: dedupId ?? null, sequenceNumber: stored.sequenceNumber ?? null, sentAt: now, visibleAt,
        });
        if (dedupKey !== undefined) this.#send.recordDedup(queue, dedupKey, stored.id, stored.sequenceNumber!, now);
        nextVisible = Math.min(nextVisible, visibleAt);
        return stored;
      });
    });
    if (nextVisible <= now) this.#notifier.wake(queue);
    else if (nextVisible !== Infinity) this.#notifier.wakeAt(queue, nextVisible);
    return sent;
  }

  async claim(queue: string, max: number, visibilityMs: number): Promise<ClaimedMessage[]> {
    const cfg = this.#config.select(queue);
    if (!cfg) throw queueNotFound(queue);
    if (max <= 0) return [];
    const now = this.#clock.now();
    const until = now + Math.max(0, visibilityMs);
    const claimed = this.#claim.claim(queue, cfg.fifo, max, now, until);
    // Waiters elsewhere in this process learn when these leases run out.
    if (claimed.length > 0) this.#notifier.wakeAt(queue, until);
    return claimed;
  }

  async ack(queue: string, receipts: string[]): Promise<number> {
    const n = receipts.length === 1
      ? (this.#msg.ack(queue, receipts[0]!) ? 1 : 0)
      : this.#db.tx(() => receipts.reduce((sum, r) => sum + (this.#msg.ack(queue, r) ? 1 : 0), 0));
    // Deleting a FIFO message lets the next one of its group out; standard queues gain nothing.
    if (n > 0 && this.#notifier.hasWaiters(queue) && this.#config.select(queue)?.fifo) this.#notifier.wake(queue);
    return n;
  }

  /** A receipt is stale once its message was deleted, moved or received again. The message keeps
   *  its receipt, so the holder may still ack it until someone else receives it (as in SQS). */
  async release(queue: string, receipt: string, delayMs: number): Promise<boolean> {
    const visibleAt = this.#clock.now() + Math.max(0, delayMs);
    if (!this.#msg.release(queue, receipt, visibleAt)) return false;
    if (delayMs <= 0) this.#notifier.wake(queue);
    else this.#notifier.wakeAt(queue, visibleAt);
    return true;
  }

  /** Keeps the message id, body, attributes, SentTimestamp and receive count, as SQS does for a DLQ;
   *  a FIFO target restarts the retention clock, a standard one keeps it. `systemAttributes` are
   *  added (e.g. DeadLetterQueueSourceArn). False if the receipt is stale. */
  async move(queue: string, receipt: string, toQueue: string, opts: { systemAttributes?: Record<string, string> } = {}): Promise<boolean> {
    const now = this.#clock.now();
    const moved = this.#db.tx(() => {
      const target = this.#config.select(toQueue);
      if (!target) throw queueNotFound(toQueue);
      return this.#msg.move(queue, receipt, toQueue, now, target.fifo, opts.systemAttributes ?? {});
    });
    if (moved) {
      this.#notifier.wake(toQueue);
      this.#notifier.wake(queue); // a FIFO group may be unblocked
    }
    return moved;
  }

  async counts(queue: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
    return this.#msg.counts(queue, this.#clock.now());
  }

  async expire(queue: string, olderThanMs: number): Promise<number> {
    const now = this.#clock.now();
    return this.#db.tx(() => {
      this.#send.pruneDedup(queue, now - FIFO_DEDUP_WINDOW_MS);
      return this.#msg.expire(queue, now - olderThanMs);
    });
  }

  async waitForMessage(queue: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const cfg = this.#config.select(queue);
    if (!cfg || this.#closing.signal.aborted) return;
    const now = this.#clock.now();
    // A send may have landed between the caller's empty claim and this call: never wait then.
    if (this.#claim.hasClaimable(queue, cfg.fifo, now)) return;
    const waiting = this.#notifier.wait(queue, timeoutMs, signal, this.#msg.earliestVisibleAfter(queue, now));
    this.#watchOtherWriters();
    return waiting;
  }

  /** Wakes waiters when another connection (process) commits; runs only while someone waits. */
  async #watchOtherWriters(): Promise<void> {
    if (this.#watching) return;
    this.#watching = true;
    try {
      let seen = this.#dataVersion();
      while (this.#notifier.waiting > 0) {
        await this.#clock.sleep(OTHER_WRITERS_POLL_MS, this.#closing.signal);
        const now = this.#dataVersion();
        if (now !== seen) {
          seen = now;
          this.#notifier.wakeAll();
        }
      }
    } catch {
      // closing: the sleep was aborted
    } finally {
      this.#watching = false;
    }
  }

  close(): void {
    this.#closing.abort();
    this.#notifier.close();
  }
}

function contentDedupId(cfg: QueueConfig, body: string): string | undefined {
  return cfg.attributes.ContentBasedDeduplication === 'true' ? createHash('sha256').update(body).digest('hex') : undefined;
}

/** What a deduplicated send returns: the original message's id, sequence number and send time. */
function duplicateOf(hit: DedupHit, queue: string, m: NewMessage, dedupId: string | undefined): StoredMessage {
  const stored: StoredMessage = {
    id: hit.message_id, queue, body: m.body, attributes: m.attributes ?? {}, systemAttributes: m.systemAttributes ?? {},
    sentAt: hit.sent_at, receiveCount: 0, sequenceNumber: hit.sequence_number,
  };
  if (m.groupId !== undefined) stored.groupId = m.groupId;
  if (dedupId !== undefined) stored.dedupId = dedupId;
  return stored;
}
