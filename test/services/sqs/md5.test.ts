// MD5 digests as SDKs verify them, checked against vectors published by other SQS implementations
// that test against AWS's SDKs, and against the encoding of the Java SDK's checksum interceptor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { md5OfBody, md5OfMessageAttributes } from '../../../src/services/sqs/index.ts';

test('MD5OfMessageBody is the hex MD5 of the UTF-8 body', () => {
  assert.equal(md5OfBody('hello'), '5d41402abc4b2a76b9719d911017c592');
  assert.equal(md5OfBody('héllo ✓'), createHash('md5').update(Buffer.from('héllo ✓', 'utf8')).digest('hex'));
});

test('MD5OfMessageAttributes matches published vectors', () => {
  assert.equal(md5OfMessageAttributes({ SellerName: { DataType: 'String', StringValue: 'Example Store' } }), 'cd28f3b68aeee4b2eac9c66f2f694b58');
  // Sorted by name regardless of insertion order; Number uses the string transport.
  assert.equal(md5OfMessageAttributes({
    ordinal: { DataType: 'Number', StringValue: '1' },
    category: { DataType: 'String', StringValue: 'test' },
  }), 'd21ae90c49061e927f57df5f5d72be1f');
  assert.equal(md5OfMessageAttributes({}), undefined);
  assert.equal(md5OfMessageAttributes(undefined), undefined);
});

test('binary attributes hash their decoded bytes with transport byte 2', () => {
  const bytes = Buffer.from([0, 1, 2, 250]);
  const expected = createHash('md5').update(Buffer.concat([
    u32(3), Buffer.from('bin'), u32(6), Buffer.from('Binary'), Buffer.of(2), u32(4), bytes,
  ])).digest('hex');
  assert.equal(md5OfMessageAttributes({ bin: { DataType: 'Binary', BinaryValue: bytes.toString('base64') } }), expected);
});

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
