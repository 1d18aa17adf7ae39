// Claiming messages: one UPDATE … RETURNING statement picks the oldest visible rows, hides them
// for the visibility timeout, issues fresh receipts and counts the receive, all at once; SQLite's
// write lock makes it atomic across connections and processes.
//
// PostgreSQL mirrors it with a locking sub-select, so concurrent nodes skip each other's rows
// instead of waiting on them:
//   WITH picked AS (SELECT seq FROM messages WHERE queue = $1 AND visible_at <= $2
//                   ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED)
//   UPDATE messages m SET visible_at = $4, receipt = gen_random_uuid()::text,
//          receive_count = m.receive_count + 1, first_received_at = coalesce(m.first_received_at, $2)
//   FROM picked WHERE m.seq = picked.seq RETURNING m.*;
// For FIFO queues SKIP LOCKED alone is not enough (two nodes could each take one message of the
// same group before either commits), so the Postgres claim first takes
// pg_advisory_xact_lock(hashtext(queue)) and then runs the FIFO predicate below unchanged.
import type { DatabaseSync } from 'node:sqlite';
import type { ClaimedMessage } from '../../types.ts';

export type MessageRow = {
  seq: number; id: string; queue: string; body: string; attributes: string; system_attributes: string;
  group_id: string | null; dedup_id: string | null; sequence_number: string | null;
  sent_at: number; receive_count: number; first_received_at: number | null; receipt: string | null;
};

export const MESSAGE_COLUMNS = 'seq, id, queue, body, attributes, system_attributes, group_id, dedup_id, sequence_number, sent_at, receive_count, first_received_at, receipt';

/** Standard queues: every visible message is claimable, oldest first. */
const STANDARD_CLAIMABLE = 'm.queue = :queue AND m.visible_at <= :now';

/** FIFO queues: a message is claimable only when no message of its group is in flight and no
 *  earlier message of its group is still hidden, so a group is delivered strictly in order,
 *  one batch at a time. Within one claim, several messages of a group may come out, in order. */
const FIFO_CLAIMABLE = `${STANDARD_CLAIMABLE} AND NOT EXISTS (
  SELECT 1 FROM messages b
  WHERE b.queue = m.queue AND b.group_id = m.group_id AND b.visible_at > :now
    AND (b.receipt IS NOT NULL OR b.seq < m.seq))`;

function claimSql(claimable: string): string {
  return `UPDATE messages SET
      visible_at = :until,
      receipt = lower(hex(randomblob(16))),
      receive_count = receive_count + 1,
      first_received_at = coalesce(first_received_at, :now)
    WHERE seq IN (SELECT m.seq FROM messages m WHERE ${claimable} ORDER BY m.seq LIMIT :max)
    RETURNING ${MESSAGE_COLUMNS}`;
}

export function toStoredMessage(r: MessageRow): ClaimedMessage {
  const m: ClaimedMessage = {
    id: r.id, queue: r.queue, body: r.body, attributes: JSON.parse(r.attributes), systemAttributes: JSON.parse(r.system_attributes),
    sentAt: r.sent_at, receiveCount: r.receive_count, receipt: r.receipt ?? '',
  };
  if (r.group_id !== null) m.groupId = r.group_id;
  if (r.dedup_id !== null) m.dedupId = r.dedup_id;
  if (r.sequence_number !== null) m.sequenceNumber = r.sequence_number;
  if (r.first_received_at !== null) m.firstReceivedAt = r.first_received_at;
  return m;
}

export function prepareClaimSql(db: DatabaseSync) {
  const claimStandard = db.prepare(claimSql(STANDARD_CLAIMABLE));
  const claimFifo = db.prepare(claimSql(FIFO_CLAIMABLE));
  const anyStandard = db.prepare(`SELECT 1 AS x FROM messages m WHERE ${STANDARD_CLAIMABLE} LIMIT 1`);
  const anyFifo = db.prepare(`SELECT 1 AS x FROM messages m WHERE ${FIFO_CLAIMABLE} LIMIT 1`);
  return {
    claim(queue: string, fifo: boolean, max: number, now: number, until: number): ClaimedMessage[] {
      const rows = (fifo ? claimFifo : claimStandard).all({ queue, now, until, max }) as MessageRow[];
      // RETURNING gives rows in no promised order; callers (and FIFO groups) need send order.
      if (rows.length > 1) rows.sort((a, b) => a.seq - b.seq);
      return rows.map(toStoredMessage);
    },
    /** Whether a claim right now would return something (lets a long poll skip waiting). */
    hasClaimable(queue: string, fifo: boolean, now: number): boolean {
      return (fifo ? anyFifo : anyStandard).get({ queue, now }) !== undefined;
    },
  };
}
