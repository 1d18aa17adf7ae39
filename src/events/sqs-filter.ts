// Event filtering of `sqs` events (`filterPatterns`): Lambda matches each record against the
// patterns (any may match) with EventBridge's pattern syntax, `body` seen as JSON when it parses,
// and deletes the records that match none without invoking the function.
import { filterPolicyMatches } from './sns-filter-policy.ts';
import { sqsEventRecord, type ReceivedSqsMessage } from './sqs-event.ts';

/** Splits a batch into the messages the function gets and those Lambda drops. */
export function filterSqsBatch(patterns: unknown[] | undefined, batch: ReceivedSqsMessage[], queueArn: string, region: string):
  { keep: ReceivedSqsMessage[]; drop: ReceivedSqsMessage[] } {
  if (!patterns || patterns.length === 0) return { keep: batch, drop: [] };
  const texts = patterns.map((p) => typeof p === 'string' ? p : JSON.stringify(p));
  const keep: ReceivedSqsMessage[] = [];
  const drop: ReceivedSqsMessage[] = [];
  for (const m of batch) {
    const record: Record<string, unknown> = sqsEventRecord(m, queueArn, region);
    try { record.body = JSON.parse(m.Body); } catch { /* a plain-text body is matched as a string */ }
    const filterable = { attributes: {}, body: JSON.stringify(record) };
    (texts.some((t) => filterPolicyMatches(t, 'MessageBody', filterable)) ? keep : drop).push(m);
  }
  return { keep, drop };
}
