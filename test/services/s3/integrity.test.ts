// Upload integrity: x-amz-checksum-* (header and aws-chunked trailer), Content-MD5, x-amz-content-sha256,
// and the aws-chunked framing itself, through the SDK and hand-built wire bodies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type ChecksumAlgorithm } from '@aws-sdk/client-s3';
import { AwsChunkedDecoder } from '../../../src/services/s3/aws-chunked.ts';
import { createDigest } from '../../../src/services/s3/checksums.ts';
import { signingKey } from '../../../src/services/sigv4.ts';
import { rawRequest, startS3 } from './harness.ts';

const b64crc32 = (data: Buffer) => { const b = Buffer.alloc(4); b.writeUInt32BE(crc32(data)); return b.toString('base64'); };

test('checksums: CRC32C and CRC64NVME match their published check values', () => {
  const check = (alg: 'CRC32C' | 'CRC64NVME' | 'CRC32') => {
    const d = createDigest(alg);
    d.update(Buffer.from('12345'));
    d.update(Buffer.from('6789'));
    return Buffer.from(d.base64(), 'base64').toString('hex');
  };
  assert.equal(check('CRC32'), 'cbf43926');
  assert.equal(check('CRC32C'), 'e3069283');
  assert.equal(check('CRC64NVME'), 'ae8b14860a799888');
});

test('aws-chunked: the decoder handles any split of the framing and collects trailers', async () => {
  const data = Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(50));
  const sig = 'a'.repeat(64);
  const wire = Buffer.concat([
    Buffer.from(`400;chunk-signature=${sig}\r\n`), data.subarray(0, 0x400), Buffer.from('\r\n'),
    Buffer.from(`${(data.length - 0x400).toString(16)};chunk-signature=${sig}\r\n`), data.subarray(0x400), Buffer.from('\r\n'),
    Buffer.from(`0;chunk-signature=${sig}\r\nx-amz-checksum-crc32:${b64crc32(data)}\r\nx-amz-trailer-signature:${sig}\r\n\r\n`),
  ]);
  for (const step of [1, 3, 17, wire.length]) {
    const pieces: Buffer[] = [];
    for (let i = 0; i < wire.length; i += step) pieces.push(wire.subarray(i, i + step));
    const decoder = new AwsChunkedDecoder({ decodedContentLength: data.length });
    const out: Buffer[] = [];
    for await (const c of Readable.from(pieces).pipe(decoder)) out.push(c as Buffer);
    assert.ok(Buffer.concat(out).equals(data), `split every ${step} bytes`);
    assert.equal(decoder.trailers['x-amz-checksum-crc32'], b64crc32(data));
    assert.equal(decoder.signatures.length, 3);
  }
  const short = new AwsChunkedDecoder({ decodedContentLength: data.length + 1 });
  await assert.rejects(async () => { for await (const _ of Readable.from([wire]).pipe(short)); }, /did not provide the number of bytes/);
});

test('checksums: SDK uploads with each algorithm (header and trailer forms) are verified, stored and returned', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('sums');
  const body = Buffer.from('checksummed content '.repeat(1000));
  for (const alg of ['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'] as ChecksumAlgorithm[]) {
    // A Buffer body gets the checksum as a header; a stream body gets it as an aws-chunked trailer.
    for (const form of ['header', 'trailer'] as const) {
      const key = `${alg}-${form}`;
      const put = await s3.send(new PutObjectCommand({
        Bucket: 'sums', Key: key, ChecksumAlgorithm: alg,
        Body: form === 'header' ? body : Readable.from([body.subarray(0, 7000), body.subarray(7000)]),
        ContentLength: body.length,
      }));
      const field = `Checksum${alg}` as 'ChecksumCRC32';
      assert.ok(put[field], `${key}: checksum echoed`);
      const got = await s3.send(new GetObjectCommand({ Bucket: 'sums', Key: key, ChecksumMode: 'ENABLED' }));
      assert.equal(got[field], put[field], `${key}: checksum returned`);
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body));
    }
  }
});

test('checksums: a wrong x-amz-checksum, Content-MD5 or x-amz-content-sha256 is refused and nothing is stored', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('sums');
  await s3.send(new PutObjectCommand({ Bucket: 'sums', Key: 'kept', Body: 'original' }));
  const body = 'new content';
  const wrongSha = createHash('sha256').update('other').digest('base64');

  const badChecksum = await rawRequest(h.port, { method: 'PUT', path: '/sums/kept', headers: { 'x-amz-checksum-sha256': wrongSha }, body });
  assert.equal(badChecksum.status, 400);
  assert.match(badChecksum.text, /<Code>BadDigest<\/Code><Message>The SHA256 you specified did not match the calculated checksum.<\/Message>/);

  const wrongMd5 = createHash('md5').update('other').digest('base64');
  const badMd5 = await rawRequest(h.port, { method: 'PUT', path: '/sums/kept', headers: { 'content-md5': wrongMd5 }, body });
  assert.equal(badMd5.status, 400);
  assert.match(badMd5.text, /<Code>BadDigest<\/Code>/);
  const invalidMd5 = await rawRequest(h.port, { method: 'PUT', path: '/sums/kept', headers: { 'content-md5': 'abc' }, body });
  assert.match(invalidMd5.text, /<Code>InvalidDigest<\/Code>/);

  const badSha = await rawRequest(h.port, {
    method: 'PUT', path: '/sums/kept', headers: { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') }, body,
  });
  assert.match(badSha.text, /<Code>XAmzContentSHA256Mismatch<\/Code>/);

  const kept = await s3.send(new GetObjectCommand({ Bucket: 'sums', Key: 'kept' }));
  assert.equal(await kept.Body!.transformToString(), 'original');

  const goodMd5 = createHash('md5').update(body).digest('base64');
  const ok = await rawRequest(h.port, {
    method: 'PUT', path: '/sums/fresh',
    headers: { 'content-md5': goodMd5, 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') }, body,
  });
  assert.equal(ok.status, 200);
});

test('aws-chunked: signed and unsigned-trailer bodies are decoded; a bad trailer checksum stores nothing', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('chunks');
  const data = Buffer.alloc(150_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
  const sig = 'f'.repeat(64);

  const signed = Buffer.concat([
    Buffer.from(`10000;chunk-signature=${sig}\r\n`), data.subarray(0, 0x10000), Buffer.from('\r\n'),
    Buffer.from(`${(data.length - 0x10000).toString(16)};chunk-signature=${sig}\r\n`), data.subarray(0x10000), Buffer.from('\r\n'),
    Buffer.from(`0;chunk-signature=${sig}\r\n\r\n`),
  ]);
  const r1 = await rawRequest(h.port, {
    method: 'PUT', path: '/chunks/signed', body: signed,
    headers: {
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked,gzip',
      'x-amz-decoded-content-length': data.length, 'content-type': 'application/octet-stream',
    },
  });
  assert.equal(r1.status, 200, r1.text);
  assert.equal(r1.headers.etag, `"${createHash('md5').update(data).digest('hex')}"`);
  const got = await s3.send(new GetObjectCommand({ Bucket: 'chunks', Key: 'signed' }));
  assert.equal(got.ContentEncoding, 'gzip'); // aws-chunked is framing, the rest belongs to the object
  assert.equal(got.ContentLength, data.length);

  const trailer = (crc: string) => Buffer.concat([
    Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n'),
    Buffer.from(`0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`),
  ]);
  const headers = {
    'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': data.length, 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm': 'CRC32',
  };
  const r2 = await rawRequest(h.port, { method: 'PUT', path: '/chunks/trailer', headers, body: trailer(b64crc32(data)) });
  assert.equal(r2.status, 200, r2.text);
  assert.equal(r2.headers['x-amz-checksum-crc32'], b64crc32(data));
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'chunks', Key: 'trailer', ChecksumMode: 'ENABLED' }));
  assert.equal(head.ChecksumCRC32, b64crc32(data));
  assert.equal(head.ContentEncoding, undefined);

  const r3 = await rawRequest(h.port, { method: 'PUT', path: '/chunks/bad', headers, body: trailer(b64crc32(Buffer.from('x'))) });
  assert.equal(r3.status, 400);
  assert.match(r3.text, /<Code>BadDigest<\/Code><Message>The CRC32 you specified/);
  const r4 = await rawRequest(h.port, { path: '/chunks/bad' });
  assert.equal(r4.status, 404);

  const truncated = await rawRequest(h.port, {
    method: 'PUT', path: '/chunks/short', headers: { ...headers, 'x-amz-decoded-content-length': data.length + 10 },
    body: trailer(b64crc32(data)),
  });
  assert.equal(truncated.status, 400);
  assert.match(truncated.text, /<Code>IncompleteBody<\/Code>/);
});

test('an upload the client abandons midway stores nothing and keeps the previous version', async (t) => {
  const h = await startS3();
  t.after(() => h.close());
  const s3 = h.client();
  await h.provider.ensureBucket('sums');
  await s3.send(new PutObjectCommand({ Bucket: 'sums', Key: 'doc', Body: 'version 1' }));
  const { request } = await import('node:http');
  const req = request({ host: '127.0.0.1', port: h.port, method: 'PUT', path: '/sums/doc', headers: { 'content-length': 1024 * 1024 } });
  req.on('error', () => {});
  req.write(Buffer.alloc(100 * 1024, 7));
  await new Promise((r) => setTimeout(r, 100));
  req.destroy();
  // The server notices the closed connection; poll until the store has settled (no fixed sleep).
  for (let i = 0; i < 50 && !h.logs.some((l) => l.includes('connection closed by the client')); i++) await new Promise((r) => setTimeout(r, 20));
  const got = await s3.send(new GetObjectCommand({ Bucket: 'sums', Key: 'doc' }));
  assert.equal(await got.Body!.transformToString(), 'version 1');
  assert.ok(h.logs.some((l) => l.includes('connection closed by the client')), h.logs.join('\n'));
  assert.deepEqual(h.logs.filter((l) => l.startsWith('error:')), []);
  assert.equal(h.notifications.length, 1);
  const { readdir } = await import('node:fs/promises');
  const leftovers = (await readdir(h.dir, { recursive: true })).filter((f) => f.endsWith('.tmp'));
  assert.deepEqual(leftovers, [], 'no temp body files left behind');
});

// AWS's published streaming examples (S3 "sigv4-streaming" and "sigv4-streaming-trailers"):
// secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, 20130524T000000Z, 65,536 + 1,024 bytes of 'a'.
const DOC_SIGNING = {
  key: signingKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1', 's3'),
  date: '20130524T000000Z', scope: '20130524/us-east-1/s3/aws4_request',
};

function docWire(chunks: string[], trailer = ''): Buffer {
  return Buffer.from(`10000;chunk-signature=${chunks[0]}\r\n${'a'.repeat(65536)}\r\n400;chunk-signature=${chunks[1]}\r\n${'a'.repeat(1024)}\r\n` +
    `0;chunk-signature=${chunks[2]}\r\n${trailer}\r\n`);
}

async function decodeAll(decoder: AwsChunkedDecoder, wire: Buffer, step = 997): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < wire.length; i += step) pieces.push(wire.subarray(i, i + step));
  const out: Buffer[] = [];
  for await (const c of Readable.from(pieces).pipe(decoder)) out.push(c as Buffer);
  return Buffer.concat(out);
}

test('aws-chunked: signed chunks and signed trailers verify against AWS published examples', async () => {
  const signed = docWire(['ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497', 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9']);
  const seed = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
  const data = await decodeAll(new AwsChunkedDecoder({ signing: { ...DOC_SIGNING, seedSignature: seed } }), signed);
  assert.equal(data.toString(), 'a'.repeat(66560));
  const tampered = Buffer.from(signed);
  tampered[200] = 'b'.charCodeAt(0);
  await assert.rejects(decodeAll(new AwsChunkedDecoder({ signing: { ...DOC_SIGNING, seedSignature: seed } }), tampered), /chunk signature/);
  await assert.rejects(decodeAll(new AwsChunkedDecoder({ signing: { ...DOC_SIGNING, seedSignature: '0'.repeat(64) } }), signed), /chunk signature/);

  const trailerSeed = '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e';
  const trailerChunks = ['b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
    '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7', '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992'];
  const trailer = 'x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n';
  const opts = { signing: { ...DOC_SIGNING, seedSignature: trailerSeed }, signedTrailer: true };
  const withTrailer = new AwsChunkedDecoder(opts);
  assert.equal((await decodeAll(withTrailer, docWire(trailerChunks, trailer))).length, 66560);
  assert.equal(withTrailer.trailers['x-amz-checksum-crc32c'], 'sOO8/Q==');
  const blankLineForm = docWire(trailerChunks, trailer.replace('\r\nx-amz-trailer-signature', '\n\r\nx-amz-trailer-signature'));
  assert.equal((await decodeAll(new AwsChunkedDecoder(opts), blankLineForm)).length, 66560);
  await assert.rejects(decodeAll(new AwsChunkedDecoder(opts), docWire(trailerChunks, trailer.replace('sOO8', 'xOO8'))), /trailer signature/);
});
