// Statements behind QueueStore.send: insert one message, FIFO sequence numbers, FIFO dedup.
import type { DatabaseSync } from 'node:sqlite';

export type InsertMessage = {
  id: string; queue: string; body: string; attributes: string; systemAttributes: string;
  groupId: string | null; dedupId: string | null; sequenceNumber: string | null; sentAt: number; visibleAt: number;
};

export type DedupHit = { message_id: string; sequence_number: string; sent_at: number };

/** SQS sequence numbers are 128-bit numeric strings; a fixed width keeps string order = numeric order. */
const SEQUENCE_WIDTH = 20;
const SEQUENCE_BASE = 10n ** 19n;

export function prepareSendSql(db: DatabaseSync) {
  const insert = db.prepare(`INSERT INTO messages
    (id, queue, body, attributes, system_attributes, group_id, dedup_id, sequence_number, sent_at, enqueued_at, visible_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?9, ?)`);
  const nextSeq = db.prepare('UPDATE queues SET next_seq = next_seq + 1 WHERE name = ? RETURNING next_seq');
  const findDedup = db.prepare('SELECT message_id, sequence_number, sent_at FROM fifo_dedup WHERE queue = ? AND dedup_key = ? AND sent_at > ?');
  const recordDedup = db.prepare(`INSERT INTO fifo_dedup (queue, dedup_key, message_id, sequence_number, sent_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (queue, dedup_key) DO UPDATE SET message_id = excluded.message_id, sequence_number = excluded.sequence_number, sent_at = excluded.sent_at`);
  const pruneDedup = db.prepare('DELETE FROM fifo_dedup WHERE queue = ? AND sent_at <= ?');
  return {
    insert(m: InsertMessage): void {
      insert.run(m.id, m.queue, m.body, m.attributes, m.systemAttributes, m.groupId, m.dedupId, m.sequenceNumber, m.sentAt, m.visibleAt);
    },
    nextSequenceNumber(queue: string): string {
      const { next_seq } = nextSeq.get(queue) as { next_seq: number };
      return (SEQUENCE_BASE + BigInt(next_seq)).toString().padStart(SEQUENCE_WIDTH, '0');
    },
    /** The message a dedup key was first sent as, if that was after `windowStart`. */
    findDedup(queue: string, key: string, windowStart: number): DedupHit | undefined {
      return findDedup.get(queue, key, windowStart) as DedupHit | undefined;
    },
    recordDedup(queue: string, key: string, messageId: string, sequenceNumber: string, sentAt: number): void {
      recordDedup.run(queue, key, messageId, sequenceNumber, sentAt);
    },
    pruneDedup(queue: string, windowStart: number): number {
      return Number(pruneDedup.run(queue, windowStart).changes);
    },
  };
}
