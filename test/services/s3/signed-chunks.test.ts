// `gannet server` (the endpoint checks SigV4): an upload in signed aws-chunked form must carry valid
// chunk signatures; a body altered after signing is refused with SignatureDoesNotMatch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { signingKey } from '../../../src/services/sigv4.ts';
import { rawRequest, startS3, REGION } from './harness.ts';

const KEY_ID = 'AKIDGANNETTEST';
const SECRET = 'gannet-test-secret';

// The SDK's checksum constructor: a plain hash, or an HMAC when given a secret.
class NodeSha256 {
  #secret: Uint8Array | string | undefined;
  #h: Hash | Hmac;
  constructor(secret?: Uint8Array | string) { this.#secret = secret; this.#h = this.#fresh(); }
  #fresh() { return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret); }
  update(data: Uint8Array | string) { this.#h.update(data); }
  async digest() { return new Uint8Array(this.#h.digest()); }
  reset() { this.#h = this.#fresh(); }
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Frames `data` as signed aws-chunked, each chunk signed over the previous signature (seeded by the header's). */
function signedChunks(data: Buffer, chunkSize: number, seed: string, date: string): Buffer {
  const scope = `${date.slice(0, 8)}/${REGION}/s3/aws4_request`;
  const key = signingKey(SECRET, date.slice(0, 8), REGION, 's3');
  let previous = seed;
  const parts: Buffer[] = [];
  const chunk = (piece: Buffer) => {
    previous = createHmac('sha256', key).update(['AWS4-HMAC-SHA256-PAYLOAD', date, scope, previous, sha256(''), sha256(piece)].join('\n')).digest('hex');
    parts.push(Buffer.from(`${piece.length.toString(16)};chunk-signature=${previous}\r\n`), piece, Buffer.from('\r\n'));
  };
  for (let i = 0; i < data.length; i += chunkSize) chunk(data.subarray(i, i + chunkSize));
  chunk(Buffer.alloc(0));
  return Buffer.concat(parts);
}

async function signedPut(port: number, path: string, data: Buffer, alter?: (wire: Buffer) => void) {
  const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const chunkSize = 8192;
  const encodedLength = signedChunks(data, chunkSize, '0'.repeat(64), date).length;
  const headers: Record<string, string> = {
    host: `127.0.0.1:${port}`, 'x-amz-date': date, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(data.length), 'content-length': String(encodedLength),
  };
  const signer = new SignatureV4({
    service: 's3', region: REGION, credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, uriEscapePath: false,
    sha256: NodeSha256 as never, // structurally a Checksum; the SDK types its constructor narrowly
  });
  const signed = await signer.sign({ method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', port, path, query: {}, headers },
    { signingDate: new Date(Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`)) });
  const seed = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))![1]!;
  const wire = signedChunks(data, chunkSize, seed, date);
  alter?.(wire);
  return rawRequest(port, { method: 'PUT', path, headers: signed.headers as Record<string, string>, body: wire });
}

test('signed aws-chunked uploads are verified chunk by chunk when the endpoint authenticates', async (t) => {
  const h = await startS3({ secretFor: (id) => (id === KEY_ID ? SECRET : undefined) });
  t.after(() => h.close());
  const s3 = h.client({ credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET } });
  await h.provider.ensureBucket('signed');
  const data = Buffer.alloc(50_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;

  const ok = await signedPut(h.port, '/signed/good.bin', data);
  assert.equal(ok.status, 200, ok.text);
  const got = await s3.send(new GetObjectCommand({ Bucket: 'signed', Key: 'good.bin' }));
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data));

  // One byte changed in the second chunk's data: the headers still verify, the chunk does not.
  const bad = await signedPut(h.port, '/signed/bad.bin', data, (wire) => { wire[8192 + 200] ^= 1; });
  assert.equal(bad.status, 403);
  assert.match(bad.text, /<Code>SignatureDoesNotMatch<\/Code>/);
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'signed', Key: 'bad.bin' })).catch((e: S3ServiceException) => e);
  assert.equal((head as S3ServiceException).$metadata.httpStatusCode, 404);
});
