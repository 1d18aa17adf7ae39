// Length-prefixed frames on the private channel between the pool and Gannet's Node bootstrap.
// Layout: u32 LE length of the rest | u8 type | u32 LE header length | header (UTF-8 JSON) | body.
// The body (event or response bytes) is passed through as a Buffer: the host never parses it.
// The child's side of this format lives in node/channel.cjs; keep both in step.

export const FRAME = {
  /** host → child: specialise a stem cell: { env, handler, taskRoot, runtime, sourceMaps } */
  INIT: 1,
  /** host → child: one event; header { id, deadline, arn, trace?, clientContext?, identity? }, body = event */
  INVOKE: 2,
  /** child → host: handler loaded */
  READY: 3,
  /** child → host: init failed; header { errorType }, body = Lambda error JSON */
  INIT_ERROR: 4,
  /** child → host: header { id, ms, rss? } (ms: time spent on the event), body = response bytes */
  RESPONSE: 5,
  /** child → host: header { id, ms?, errorType, rss?, fatal? }, body = Lambda error JSON */
  ERROR: 6,
  /** child → host: one console record, body = the formatted text */
  LOG: 7,
  /** child → host: raw process.stdout/stderr writes, body = bytes split into lines by the host */
  OUTPUT: 8,
  /** child → host: the runtime is loaded and waits for INIT (a stem cell is ready) */
  STANDBY: 9,
} as const;

const PREFIX = 9;

/** Encodes one frame; large bodies are returned as a second buffer so they are not copied. */
export function encodeFrame(type: number, header: string, body?: Buffer): Buffer[] {
  const headerLen = Buffer.byteLength(header);
  const bodyLen = body === undefined ? 0 : body.length;
  if (bodyLen > 65536) {
    const head = Buffer.allocUnsafe(PREFIX + headerLen);
    head.writeUInt32LE(5 + headerLen + bodyLen, 0);
    head[4] = type;
    head.writeUInt32LE(headerLen, 5);
    head.write(header, PREFIX, 'utf8');
    return [head, body!];
  }
  const buf = Buffer.allocUnsafe(PREFIX + headerLen + bodyLen);
  buf.writeUInt32LE(5 + headerLen + bodyLen, 0);
  buf[4] = type;
  buf.writeUInt32LE(headerLen, 5);
  buf.write(header, PREFIX, 'utf8');
  if (bodyLen > 0) body!.copy(buf, PREFIX + headerLen);
  return [buf];
}

export type FrameHandler = (type: number, header: string, body: Buffer) => void;

/** Reassembles frames from stream chunks; a frame inside one chunk is sliced, not copied. */
export class FrameDecoder {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #onFrame: FrameHandler;

  constructor(onFrame: FrameHandler) {
    this.#onFrame = onFrame;
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.#pendingBytes > 0) {
      this.#pending.push(chunk);
      this.#pendingBytes += chunk.length;
      if (this.#pendingBytes < 4) return;
      const need = 4 + this.#peekLength();
      if (this.#pendingBytes < need) return;
      buf = Buffer.concat(this.#pending, this.#pendingBytes);
      this.#pending = [];
      this.#pendingBytes = 0;
    }
    let off = 0;
    while (buf.length - off >= 4) {
      const len = buf.readUInt32LE(off);
      if (buf.length - off - 4 < len) break;
      const type = buf[off + 4]!;
      const headerLen = buf.readUInt32LE(off + 5);
      const headerStart = off + PREFIX;
      const header = buf.toString('utf8', headerStart, headerStart + headerLen);
      const body = buf.subarray(headerStart + headerLen, off + 4 + len);
      off += 4 + len;
      this.#onFrame(type, header, body);
    }
    if (off < buf.length) {
      const rest = buf.subarray(off);
      this.#pending.push(rest);
      this.#pendingBytes = rest.length;
    }
  }

  #peekLength(): number {
    const first = this.#pending[0]!;
    if (first.length >= 4) return first.readUInt32LE(0);
    return Buffer.concat(this.#pending, this.#pendingBytes).readUInt32LE(0);
  }
}
