// Upload integrity: the checksums S3 accepts (x-amz-checksum-*, Content-MD5, x-amz-content-sha256),
// computed while the body streams through, and verified before the store may publish the object.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import { badDigestChecksum, badDigestMd5, invalidDigest, invalidRequest, sha256Mismatch } from './errors.ts';

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = typeof CHECKSUM_ALGORITHMS[number];

export function checksumHeader(alg: ChecksumAlgorithm): string {
  return `x-amz-checksum-${alg.toLowerCase()}`;
}

export function parseChecksumAlgorithm(name: string): ChecksumAlgorithm | undefined {
  const upper = name.trim().toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper) ? upper as ChecksumAlgorithm : undefined;
}

/** An incremental digest with S3's output form (base64 of the big-endian value). */
type Digest = { update(b: Buffer): void; base64(): string };

function crc32Digest(): Digest {
  let v = 0;
  return { update: (b) => { v = crc32(b, v); }, base64: () => u32(v) };
}

// CRC32C (Castagnoli, reflected 0x82F63B78): not in node:zlib, so table-driven here.
const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

function crc32cDigest(): Digest {
  let c = 0xffffffff;
  return {
    update: (b) => { for (let i = 0; i < b.length; i++) c = CRC32C_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8); },
    base64: () => u32((c ^ 0xffffffff) >>> 0),
  };
}

// CRC64/NVME (reflected 0x9A6C9329AC4BC9B5), kept as two 32-bit halves to avoid BigInt per byte.
const CRC64_TABLES = (() => {
  const lo = new Uint32Array(256), hi = new Uint32Array(256);
  const poly = 0x9a6c9329ac4bc9b5n;
  for (let i = 0; i < 256; i++) {
    let c = BigInt(i);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    lo[i] = Number(c & 0xffffffffn);
    hi[i] = Number(c >> 32n);
  }
  return { lo, hi };
})();

function crc64nvmeDigest(): Digest {
  let lo = 0xffffffff, hi = 0xffffffff;
  return {
    update: (b) => {
      for (let i = 0; i < b.length; i++) {
        const idx = (lo ^ b[i]!) & 0xff;
        lo = (((lo >>> 8) | (hi << 24)) ^ CRC64_TABLES.lo[idx]!) >>> 0;
        hi = ((hi >>> 8) ^ CRC64_TABLES.hi[idx]!) >>> 0;
      }
    },
    base64: () => {
      const out = Buffer.alloc(8);
      out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
      out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
      return out.toString('base64');
    },
  };
}

function hashDigest(h: Hash): Digest {
  return { update: (b) => { h.update(b); }, base64: () => h.digest('base64') };
}

function u32(v: number): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(v >>> 0, 0);
  return out.toString('base64');
}

export function createDigest(alg: ChecksumAlgorithm): Digest {
  switch (alg) {
    case 'CRC32': return crc32Digest();
    case 'CRC32C': return crc32cDigest();
    case 'CRC64NVME': return crc64nvmeDigest();
    case 'SHA1': return hashDigest(createHash('sha1'));
    case 'SHA256': return hashDigest(createHash('sha256'));
  }
}

/** What a PutObject/UploadPart request asks to be checked. Header values are known up front;
 *  trailer values (aws-chunked) arrive at the end and are read through `trailer`. */
export type IntegrityExpectations = {
  contentMd5?: string;            // base64, from Content-MD5
  contentSha256?: string;         // hex, from x-amz-content-sha256 when it is a real hash
  checksums: Map<ChecksumAlgorithm, string | undefined>; // alg → base64 (undefined: expected in trailer)
  trailer?: () => Record<string, string>;
};

/** Reads the integrity headers of an upload request. */
export function integrityFromHeaders(headers: Record<string, string | string[] | undefined>): IntegrityExpectations {
  const get = (n: string) => { const v = headers[n]; return Array.isArray(v) ? v[0] : v; };
  const checksums = new Map<ChecksumAlgorithm, string | undefined>();
  for (const alg of CHECKSUM_ALGORITHMS) {
    const v = get(checksumHeader(alg));
    if (v !== undefined) checksums.set(alg, v.trim());
  }
  for (const name of (get('x-amz-trailer') ?? '').split(',')) {
    const m = /^x-amz-checksum-(.+)$/i.exec(name.trim());
    const alg = m ? parseChecksumAlgorithm(m[1]!) : undefined;
    if (m && !alg) throw invalidRequest(`The value specified in the x-amz-trailer header is not supported: ${name.trim()}`);
    if (alg && !checksums.has(alg)) checksums.set(alg, undefined);
  }
  const md5 = get('content-md5');
  if (md5 !== undefined && Buffer.from(md5, 'base64').length !== 16) throw invalidDigest(md5);
  const sha = get('x-amz-content-sha256');
  return {
    checksums,
    ...(md5 !== undefined ? { contentMd5: md5.trim() } : {}),
    ...(sha && /^[0-9a-f]{64}$/i.test(sha) ? { contentSha256: sha.toLowerCase() } : {}),
  };
}

/**
 * Pass-through Transform that digests the (decoded) body and fails at the end when any expected
 * value differs, so a pipeline into the store rejects and nothing is published.
 */
export class IntegrityCheck extends Transform {
  #expect: IntegrityExpectations;
  #digests = new Map<ChecksumAlgorithm, Digest>();
  #md5: Hash | undefined;
  #sha256: Hash | undefined;
  /** Computed checksums (base64) once the stream has finished. */
  readonly computed: Partial<Record<ChecksumAlgorithm, string>> = {};

  constructor(expect: IntegrityExpectations) {
    super();
    this.#expect = expect;
    for (const alg of expect.checksums.keys()) this.#digests.set(alg, createDigest(alg));
    if (expect.contentMd5 !== undefined) this.#md5 = createHash('md5');
    if (expect.contentSha256 !== undefined) this.#sha256 = createHash('sha256');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    for (const d of this.#digests.values()) d.update(chunk);
    this.#md5?.update(chunk);
    this.#sha256?.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.#verify();
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  #verify(): void {
    if (this.#sha256) {
      const got = this.#sha256.digest('hex');
      if (got !== this.#expect.contentSha256) throw sha256Mismatch(this.#expect.contentSha256!, got);
    }
    if (this.#md5) {
      const got = this.#md5.digest('base64');
      if (got !== this.#expect.contentMd5) throw badDigestMd5(this.#expect.contentMd5!, got);
    }
    const trailer = this.#expect.trailer?.() ?? {};
    for (const [alg, digest] of this.#digests) {
      const got = digest.base64();
      const want = this.#expect.checksums.get(alg) ?? trailer[checksumHeader(alg)];
      if (want === undefined) {
        throw invalidRequest(`The upload announced a ${alg} checksum trailer but did not send it.`);
      }
      if (got !== want) throw badDigestChecksum(alg);
      this.computed[alg] = got;
    }
  }
}

/** Verifies a small, already-read body (XML requests such as DeleteObjects) against its headers. */
export function verifyBufferIntegrity(body: Buffer, expect: IntegrityExpectations): void {
  if (expect.contentMd5 !== undefined) {
    const got = createHash('md5').update(body).digest('base64');
    if (got !== expect.contentMd5) throw badDigestMd5(expect.contentMd5, got);
  }
  for (const [alg, want] of expect.checksums) {
    if (want === undefined) continue;
    const d = createDigest(alg);
    d.update(body);
    if (d.base64() !== want) throw badDigestChecksum(alg);
  }
}
