// Statements on claimed and stored messages: ack, release, move, counts, retention, wake-up times.
import type { DatabaseSync } from 'node:sqlite';

export function prepareMessageSql(db: DatabaseSync) {
  const ack = db.prepare('DELETE FROM messages WHERE queue = ? AND receipt = ?');
  const release = db.prepare('UPDATE messages SET visible_at = ? WHERE queue = ? AND receipt = ?');
  // The message keeps its id, body, attributes, receive count and first-receive time (SQS keeps
  // counting receives in the DLQ); it becomes visible there at once with no receipt.
  const move = db.prepare(`UPDATE messages SET
      queue = :to, receipt = NULL, visible_at = :now,
      enqueued_at = CASE WHEN :restartRetention THEN :now ELSE enqueued_at END,
      system_attributes = json_patch(system_attributes, :extra)
    WHERE queue = :from AND receipt = :receipt`);
  const counts = db.prepare(`SELECT
      count(*) FILTER (WHERE visible_at <= :now) AS visible,
      count(*) FILTER (WHERE visible_at > :now AND receipt IS NOT NULL) AS in_flight,
      count(*) FILTER (WHERE visible_at > :now AND receipt IS NULL) AS delayed
    FROM messages WHERE queue = :queue`);
  const expire = db.prepare('DELETE FROM messages WHERE queue = ? AND enqueued_at < ?');
  const earliest = db.prepare('SELECT min(visible_at) AS t FROM messages WHERE queue = ? AND visible_at > ?');
  return {
    ack(queue: string, receipt: string): boolean {
      return ack.run(queue, receipt).changes === 1;
    },
    release(queue: string, receipt: string, visibleAt: number): boolean {
      return release.run(visibleAt, queue, receipt).changes === 1;
    },
    move(from: string, receipt: string, to: string, now: number, restartRetention: boolean, extraSystemAttributes: Record<string, string>): boolean {
      const r = move.run({ from, receipt, to, now, restartRetention: restartRetention ? 1 : 0, extra: JSON.stringify(extraSystemAttributes) });
      return r.changes === 1;
    },
    counts(queue: string, now: number): { visible: number; inFlight: number; delayed: number } {
      const r = counts.get({ queue, now }) as { visible: number; in_flight: number; delayed: number };
      return { visible: r.visible, inFlight: r.in_flight, delayed: r.delayed };
    },
    expire(queue: string, enqueuedBefore: number): number {
      return Number(expire.run(queue, enqueuedBefore).changes);
    },
    /** When the next hidden message (delayed, released or in flight) becomes visible. */
    earliestVisibleAfter(queue: string, now: number): number | undefined {
      return (earliest.get(queue, now) as { t: number | null }).t ?? undefined;
    },
  };
}
