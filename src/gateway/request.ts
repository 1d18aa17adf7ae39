// Reads one incoming request into the plain parts every event builder needs: path segments,
// query pairs, raw header pairs and the body (read with a hard 10 MB cap).
import type { IncomingMessage } from 'node:http';
import { MAX_REQUEST_BODY_BYTES } from './limits.ts';

export type ParsedRequest = {
  method: string;
  /** Path as sent, without the query string (still percent-encoded). */
  rawPath: string;
  /** Query string as sent, without '?'. */
  rawQuery: string;
  /** Decoded, non-empty path segments. */
  segments: string[];
  /** The same segments as sent (percent-encoded): REST path parameters keep their encoding. */
  rawSegments: string[];
  /** req.rawHeaders: name, value, name, value... in arrival order with client casing. */
  rawHeaders: string[];
  sourceIp: string;
  localPort: number;
  startedAt: number;
};

export function decodeComponent(s: string): string {
  if (!s.includes('%')) return s;
  try { return decodeURIComponent(s); } catch { return s; }
}

function decodeQueryComponent(s: string): string {
  return decodeComponent(s.includes('+') ? s.replace(/\+/g, ' ') : s);
}

export function parseRequest(req: IncomingMessage, now: number): ParsedRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  const parts = rawPath.split('/');
  const segments: string[] = [];
  const rawSegments: string[] = [];
  for (const p of parts) if (p !== '') { rawSegments.push(p); segments.push(decodeComponent(p)); }
  let ip = req.socket.remoteAddress ?? '127.0.0.1';
  if (ip.startsWith('::ffff:')) ip = ip.slice(7);
  return {
    method: req.method ?? 'GET', rawPath, rawQuery, segments, rawSegments, rawHeaders: req.rawHeaders,
    sourceIp: ip, localPort: req.socket.localPort ?? 0, startedAt: now,
  };
}

/** The request path to match against routes: '/' + decoded segments (no trailing or double slashes). */
export function routePath(segments: string[], from = 0): string {
  if (segments.length <= from) return '/';
  let s = '';
  for (let i = from; i < segments.length; i++) s += '/' + segments[i];
  return s;
}

/** Query pairs in order, decoded. Keys without '=' get the empty string, as API Gateway does. */
export function parseQuery(rawQuery: string): [string, string][] {
  const out: [string, string][] = [];
  if (rawQuery === '') return out;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = decodeQueryComponent(eq === -1 ? part : part.slice(0, eq));
    const v = eq === -1 ? '' : decodeQueryComponent(part.slice(eq + 1));
    out.push([k, v]);
  }
  return out;
}

/** First value of a header (case-insensitive) from raw header pairs, or undefined. */
export function headerValue(rawHeaders: string[], lowerName: string): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === lowerName.length && rawHeaders[i]!.toLowerCase() === lowerName) return rawHeaders[i + 1];
  }
  return undefined;
}

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

const EMPTY = Buffer.alloc(0);

/** Reads the body, giving up (and leaving the socket to be closed) as soon as it passes the cap. */
export function readBody(req: IncomingMessage, cap = MAX_REQUEST_BODY_BYTES): Promise<BodyResult> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > cap) return Promise.resolve({ ok: false, reason: 'too-large' });
  if (declared === '0' || (declared === undefined && req.headers['transfer-encoding'] === undefined)) {
    return Promise.resolve({ ok: true, body: EMPTY });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) { cleanup(); req.pause(); resolve({ ok: false, reason: 'too-large' }); return; }
      chunks.push(chunk);
    };
    const onEnd = () => { cleanup(); resolve({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) }); };
    const onError = () => { cleanup(); resolve({ ok: false, reason: 'aborted' }); };
    const cleanup = () => { req.off('data', onData); req.off('end', onEnd); req.off('error', onError); req.off('aborted', onError); };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

/** The Host header without its port: the event's domainName. */
export function hostName(p: ParsedRequest): string {
  const host = headerValue(p.rawHeaders, 'host') ?? 'localhost';
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
