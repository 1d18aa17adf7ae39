import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterSqsBatch } from '../../src/events/sqs-filter.ts';

const arn = 'arn:aws:sqs:us-east-1:000000000000:q';
const msg = (id: string, body: string, attrs: Record<string, string> = {}) => ({
  MessageId: id, ReceiptHandle: `r-${id}`, Body: body, MD5OfBody: '',
  MessageAttributes: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
});

test('filter patterns match the record, with a JSON body seen as an object; any pattern may match', () => {
  const batch = [
    msg('a', '{"type":"order","total":30}'), msg('b', '{"type":"refund","total":5}'),
    msg('c', 'plain text'), msg('d', '{"type":"order","total":5}', { tenant: 'acme' }),
  ];
  const ids = (r: { keep: { MessageId: string }[] }) => r.keep.map((m) => m.MessageId);
  assert.deepEqual(ids(filterSqsBatch([{ body: { type: ['order'] } }], batch, arn, 'us-east-1')), ['a', 'd']);
  assert.deepEqual(ids(filterSqsBatch([{ body: { total: [{ numeric: ['>', 10] }] } }, { body: ['plain text'] }], batch, arn, 'us-east-1')), ['a', 'c']);
  assert.deepEqual(ids(filterSqsBatch([{ messageAttributes: { tenant: { stringValue: ['acme'] } } }], batch, arn, 'us-east-1')), ['d']);
  assert.deepEqual(filterSqsBatch([{ body: { type: ['order'] } }], batch, arn, 'us-east-1').drop.map((m) => m.MessageId), ['b', 'c']);
  assert.equal(filterSqsBatch(undefined, batch, arn, 'us-east-1').keep.length, 4, 'no patterns: everything');
});
