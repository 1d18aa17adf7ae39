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

/** REST request ids are UUIDs. */
export function restRequestId(): string { return randomUUID(); }

/** HTTP API request ids and REST extended request ids look like `JKJaXmPLvHcESHA=`: 11 random bytes, base64. */
export function shortRequestId(): string { return randomBytes(11).toString('base64').replace(/[+/]/g, 'A'); }

/** `Root=1-<8 hex epoch seconds>-<24 hex>`, the X-Amzn-Trace-Id API Gateway adds. */
export function traceId(epochMs: number): string {
  return `Root=1-${Math.floor(epochMs / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}
