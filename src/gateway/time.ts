// Timestamps and ids in the exact shapes API Gateway puts in events and headers.
import { randomBytes, randomUUID } from 'node:crypto';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad2(n: number): string { return n < 10 ? '0' + n : String(n); }

/** `dd/MMM/yyyy:HH:mm:ss +0000`, the format of requestContext.requestTime and .time. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`;
}

/** Formats request times, reusing the string within one second (the format has no sub-second part). */
export function requestTimeFormatter(): (epochMs: number) => string {
  let second = -1;
  let text = '';
  return (epochMs) => {
    const s = Math.floor(epochMs / 1000);
    if (s !== second) { second = s; text = formatRequestTime(epochMs); }
    return text;
  };
}

/**
 * Request ids in API Gateway's shapes. Random bytes are drawn from a 4 KB block refilled when used
 * up: one randomBytes call per request each costs more than the rest of the id work.
 */
export class IdSource {
  #block = Buffer.alloc(0);
  #at = 0;

  #take(n: number): Buffer {
    if (this.#at + n > this.#block.length) { this.#block = randomBytes(4096); this.#at = 0; }
    const out = this.#block.subarray(this.#at, this.#at + n);
    this.#at += n;
    return out;
  }

  /** REST request ids are UUIDs. */
  uuid(): string { return randomUUID(); }

  /** HTTP API request ids and REST extended request ids look like `JKJaXmPLvHcESHA=`: 11 random bytes, base64. */
  short(): string { return this.#take(11).toString('base64').replace(/[+/]/g, 'A'); }

  /** `Root=1-<8 hex epoch seconds>-<24 hex>`, the X-Amzn-Trace-Id API Gateway adds. */
  trace(epochMs: number): string {
    return `Root=1-${Math.floor(epochMs / 1000).toString(16)}-${this.#take(12).toString('hex')}`;
  }
}
