// Decodes `Content-Encoding: aws-chunked` upload bodies as they stream (aws-compat §13.6):
// `<hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n` ... `0...\r\n` then trailer lines and a blank line.
// Data is passed on as slices of the incoming buffers, so memory stays at one socket read.
import { createHash, createHmac, timingSafeEqual, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AwsXmlError } from '../protocol/rest-xml.ts';
import { incompleteBody } from './errors.ts';

/** A chunk header or trailer line longer than this is not aws-chunked framing. */
export const MAX_CHUNK_LINE_BYTES = 8 * 1024;

/** Payload hash values that announce an aws-chunked body. */
export const STREAMING_PAYLOADS = new Set([
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
]);

/** True when the request body uses aws-chunked framing (by payload hash or content encoding). */
export function isAwsChunked(contentSha256: string | undefined, contentEncoding: string | undefined): boolean {
  if (contentSha256 && STREAMING_PAYLOADS.has(contentSha256)) return true;
  return (contentEncoding ?? '').split(',').some((e) => e.trim().toLowerCase() === 'aws-chunked');
}

/** The Content-Encoding to store: aws-chunked is transport framing, the rest belongs to the object. */
export function storedContentEncoding(contentEncoding: string | undefined): string | undefined {
  if (contentEncoding === undefined) return undefined;
  const rest = contentEncoding.split(',').map((e) => e.trim()).filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked');
  return rest.length ? rest.join(',') : undefined;
}

function malformed(detail: string): AwsXmlError {
  return new AwsXmlError('InvalidChunkSizeError', 400, `The aws-chunked request body is malformed: ${detail}.`);
}

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

/** What verifying signed chunks needs: the request's SigV4 signing key, time, scope and seed signature. */
export type ChunkSigning = { key: Buffer; date: string; scope: string; seedSignature: string };

const EMPTY_SHA256 = createHash('sha256').digest('hex');

function signatureMismatch(what: string): AwsXmlError {
  return new AwsXmlError('SignatureDoesNotMatch', 403,
    `The request signature we calculated does not match the signature you provided (${what}). Check your AWS Secret Access Key and signing method.`);
}

/** Checks each chunk's signature, chained from the seed signature (aws-compat §13.6). */
class ChunkSignatures {
  #signing: ChunkSigning;
  #previous: string;
  #hash: Hash | undefined;
  #claimed: string | undefined;

  constructor(signing: ChunkSigning) {
    this.#signing = signing;
    this.#previous = signing.seedSignature;
  }

  begin(claimed: string | undefined): void {
    if (claimed === undefined) throw signatureMismatch('a chunk has no chunk-signature');
    this.#claimed = claimed;
    this.#hash = createHash('sha256');
  }

  update(data: Buffer): void {
    this.#hash!.update(data);
  }

  end(): void {
    this.#check('AWS4-HMAC-SHA256-PAYLOAD', [EMPTY_SHA256, this.#hash!.digest('hex')], this.#claimed!, 'chunk');
  }

  /** The trailer lines (without the signature line) as signed: `name:value\n` each. */
  trailer(trailers: Record<string, string>, claimed: string | undefined): void {
    if (claimed === undefined) throw signatureMismatch('the trailer has no x-amz-trailer-signature');
    const text = Object.entries(trailers).filter(([k]) => k !== 'x-amz-trailer-signature').map(([k, v]) => `${k}:${v}\n`).join('');
    this.#check('AWS4-HMAC-SHA256-TRAILER', [createHash('sha256').update(text).digest('hex')], claimed, 'trailer');
  }

  #check(algorithm: string, hashes: string[], claimed: string, what: string): void {
    const { key, date, scope } = this.#signing;
    const expected = createHmac('sha256', key).update([algorithm, date, scope, this.#previous, ...hashes].join('\n')).digest('hex');
    const a = Buffer.from(expected), b = Buffer.from(claimed);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw signatureMismatch(`${what} signature`);
    this.#previous = expected;
  }
}

export class AwsChunkedDecoder extends Transform {
  #state: State = 'size';
  #line: Buffer[] = [];
  #lineBytes = 0;
  #remaining = 0;
  #decoded = 0;
  #expectedLength: number | undefined;
  /** Trailer headers (lower-case names), complete once the stream has ended. */
  readonly trailers: Record<string, string> = {};
  /** Chunk signatures as sent, in order. */
  readonly signatures: string[] = [];
  #verifier: ChunkSignatures | undefined;
  #signedTrailer: boolean;
  #flushing = false;

  /** With `signing`, every chunk (and a trailer, when `signedTrailer`) must carry a valid signature. */
  constructor(opts: { decodedContentLength?: number; signing?: ChunkSigning; signedTrailer?: boolean } = {}) {
    super();
    this.#expectedLength = opts.decodedContentLength;
    if (opts.signing) this.#verifier = new ChunkSignatures(opts.signing);
    this.#signedTrailer = opts.signedTrailer ?? false;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.#consume(chunk);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      // Some clients leave out the final blank line; what was sent must still be complete.
      if (this.#state === 'trailer' && this.#lineBytes > 0) this.#trailerLine(this.#takeLine());
      this.#flushing = true;
      if (this.#state === 'trailer' && this.#verifier && this.#signedTrailer) this.#trailerLine('');
      if (this.#state !== 'done' && this.#state !== 'trailer') throw incompleteBody();
      if (this.#expectedLength !== undefined && this.#decoded !== this.#expectedLength) throw incompleteBody();
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  #consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      if (this.#state === 'data') {
        const n = Math.min(this.#remaining, buf.length - i);
        const data = buf.subarray(i, i + n);
        this.#verifier?.update(data);
        this.push(data);
        this.#decoded += n;
        this.#remaining -= n;
        i += n;
        if (this.#remaining === 0) {
          this.#verifier?.end();
          this.#state = 'data-end';
        }
        continue;
      }
      if (this.#state === 'done') return;
      const nl = buf.indexOf(0x0a, i);
      const end = nl === -1 ? buf.length : nl + 1;
      this.#lineBytes += end - i;
      if (this.#lineBytes > MAX_CHUNK_LINE_BYTES) throw malformed('chunk header line too long');
      this.#line.push(buf.subarray(i, end));
      i = end;
      if (nl === -1) return;
      const line = this.#takeLine();
      if (this.#state === 'size') this.#sizeLine(line);
      else if (this.#state === 'data-end') {
        if (line !== '') throw malformed('chunk data longer than its declared size');
        this.#state = 'size';
      } else this.#trailerLine(line);
    }
  }

  #takeLine(): string {
    const text = Buffer.concat(this.#line).toString('latin1').replace(/\r?\n$/, '');
    this.#line = [];
    this.#lineBytes = 0;
    return text;
  }

  #sizeLine(line: string): void {
    const [sizeHex = '', ...ext] = line.split(';');
    if (!/^[0-9a-fA-F]+$/.test(sizeHex.trim())) throw malformed(`bad chunk size "${sizeHex.slice(0, 32)}"`);
    const sig = ext.find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
    if (sig !== undefined) this.signatures.push(sig);
    this.#remaining = parseInt(sizeHex, 16);
    this.#verifier?.begin(sig);
    if (this.#remaining === 0) {
      this.#verifier?.end(); // the final, empty chunk is signed too
      this.#state = 'trailer';
    } else {
      this.#state = 'data';
    }
  }

  #trailerLine(line: string): void {
    if (line === '') {
      const signatureDue = this.#verifier !== undefined && this.#signedTrailer;
      // Some clients put a blank line between the checksum lines and the trailer signature.
      if (signatureDue && Object.keys(this.trailers).length && this.trailers['x-amz-trailer-signature'] === undefined && !this.#flushing) return;
      if (signatureDue) this.#verifier!.trailer(this.trailers, this.trailers['x-amz-trailer-signature']);
      this.#state = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon === -1) throw malformed('bad trailer line');
    this.trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
}
