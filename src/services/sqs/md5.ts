// The MD5 digests SQS returns and SDKs verify (the Java SDK's MessageMD5ChecksumInterceptor, the
// JS SDK's body check): body = hex MD5 of the UTF-8 text; attributes = hex MD5 of a binary encoding,
// per attribute sorted by name: len+name, len+DataType, transport byte, len+value (lengths 4-byte BE).
import { createHash } from 'node:crypto';

/** An SQS message attribute value as both protocols carry it; binary values are base64 text. */
export type MessageAttributeValue = {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
  StringListValues?: string[];
  BinaryListValues?: string[];
};

const STRING_TRANSPORT = 1;
const BINARY_TRANSPORT = 2;
const STRING_LIST_TRANSPORT = 3;
const BINARY_LIST_TRANSPORT = 4;

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/** Undefined when there are no attributes: SQS then omits the field. */
export function md5OfMessageAttributes(attrs: Record<string, MessageAttributeValue> | undefined): string | undefined {
  const names = Object.keys(attrs ?? {});
  if (names.length === 0) return undefined;
  // Java sorts by UTF-16 code units, as does the default JS sort.
  names.sort();
  const hash = createHash('md5');
  for (const name of names) {
    const v = attrs![name]!;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(v.DataType, 'utf8')));
    if (v.StringValue !== undefined) {
      hash.update(Buffer.of(STRING_TRANSPORT));
      hash.update(lengthPrefixed(Buffer.from(v.StringValue, 'utf8')));
    } else if (v.BinaryValue !== undefined) {
      hash.update(Buffer.of(BINARY_TRANSPORT));
      hash.update(lengthPrefixed(Buffer.from(v.BinaryValue, 'base64')));
    } else if (v.StringListValues && v.StringListValues.length > 0) {
      hash.update(Buffer.of(STRING_LIST_TRANSPORT));
      for (const s of v.StringListValues) hash.update(lengthPrefixed(Buffer.from(s, 'utf8')));
    } else if (v.BinaryListValues && v.BinaryListValues.length > 0) {
      hash.update(Buffer.of(BINARY_LIST_TRANSPORT));
      for (const b of v.BinaryListValues) hash.update(lengthPrefixed(Buffer.from(b, 'base64')));
    }
  }
  return hash.digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + bytes.length);
  out.writeUInt32BE(bytes.length, 0);
  bytes.copy(out, 4);
  return out;
}
