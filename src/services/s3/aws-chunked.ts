// Decodes `Content-Encoding: aws-chunked` upload bodies as they stream (aws-compat §13.6):
// `<hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n` ... `0...\r\n` then trailer lines and a blank line.
// Data is passed on as slices of the incoming buffers, so memory stays at one socket read.
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

export class AwsChunkedDecoder extends Transform {
  #state: State = 'size';
  #line: Buffer[] = [];
  #lineBytes = 0;
  #remaining = 0;
  #decoded = 0;
  #expectedLength: number | undefined;
  /** Trailer headers (lower-case names), complete once the stream has ended. */
  readonly trailers: Record<string, string> = {};
  /** Chunk signatures as sent, in order (verification needs the caller's secret key). */
  readonly signatures: string[] = [];

  constructor(opts: { decodedContentLength?: number } = {}) {
    super();
    this.#expectedLength = opts.decodedContentLength;
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
    if (this.#state === 'trailer' && this.#lineBytes > 0) this.#trailerLine(this.#takeLine());
    if (this.#state !== 'done' && this.#state !== 'trailer') return cb(incompleteBody());
    if (this.#expectedLength !== undefined && this.#decoded !== this.#expectedLength) return cb(incompleteBody());
    cb();
  }

  #consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      if (this.#state === 'data') {
        const n = Math.min(this.#remaining, buf.length - i);
        this.push(buf.subarray(i, i + n));
        this.#decoded += n;
        this.#remaining -= n;
        i += n;
        if (this.#remaining === 0) this.#state = 'data-end';
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
    const sig = ext.find((e) => e.startsWith('chunk-signature='));
    if (sig) this.signatures.push(sig.slice('chunk-signature='.length));
    this.#remaining = parseInt(sizeHex, 16);
    this.#state = this.#remaining === 0 ? 'trailer' : 'data';
  }

  #trailerLine(line: string): void {
    if (line === '') {
      this.#state = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon === -1) throw malformed('bad trailer line');
    this.trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
}
