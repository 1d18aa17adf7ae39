// AWS Signature Version 4: reading who signed a request (header or presigned query) and, for
// `gannet server`, checking the signature by recomputing it (aws-compat §15.3). In dev any
// credentials are accepted, as LocalStack does; only the credential scope is used for routing.
import type { IncomingMessage } from 'node:http';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** Requests signed more than 15 minutes from server time are refused (as AWS does). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export type SigV4Authorization = {
  service: string;
  region: string;
  accessKeyId: string;
  /** Lower-case header names, in the order the client listed them. */
  signedHeaders: string[];
  signature: string;
  /** The request time as signed (`20240131T123456Z`): X-Amz-Date, else the Date header in that form. */
  date: string;
  /** `yyyymmdd` from the credential scope. */
  scopeDate: string;
  presigned: boolean;
  sessionToken?: string;
  /** Presigned only: X-Amz-Expires in seconds. */
  expiresSeconds?: number;
};

/** Reads the SigV4 fields from the Authorization header or a presigned URL; undefined when unsigned. */
export function parseAuthorization(req: IncomingMessage): SigV4Authorization | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith(SIGV4_ALGORITHM + ' ')) return parseHeader(req, header);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  if (q === -1 || !/x-amz-credential=/i.test(url)) return undefined;
  return parsePresigned(new URLSearchParams(url.slice(q + 1)));
}

function parseHeader(req: IncomingMessage, header: string): SigV4Authorization | undefined {
  const fields = new Map<string, string>();
  for (const part of header.slice(SIGV4_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq !== -1) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const scope = parseCredential(fields.get('Credential'));
  const signature = fields.get('Signature');
  const signedHeaders = fields.get('SignedHeaders');
  if (!scope || signature === undefined || signedHeaders === undefined) return undefined;
  const httpDate = headerValue(req, 'date');
  const date = headerValue(req, 'x-amz-date') ?? (httpDate === undefined ? '' : toAmzDate(httpDate));
  const auth: SigV4Authorization = {
    ...scope, signature, date, presigned: false, signedHeaders: signedHeaders.split(';').filter((h) => h !== ''),
  };
  const token = headerValue(req, 'x-amz-security-token');
  if (token !== undefined) auth.sessionToken = token;
  return auth;
}

function parsePresigned(params: URLSearchParams): SigV4Authorization | undefined {
  const get = (name: string) => {
    for (const [k, v] of params) if (k.toLowerCase() === name) return v;
    return undefined;
  };
  if (get('x-amz-algorithm') !== SIGV4_ALGORITHM) return undefined;
  const scope = parseCredential(get('x-amz-credential'));
  const signature = get('x-amz-signature');
  if (!scope || signature === undefined) return undefined;
  const auth: SigV4Authorization = {
    ...scope, signature, date: get('x-amz-date') ?? '', presigned: true,
    signedHeaders: (get('x-amz-signedheaders') ?? 'host').split(';').filter((h) => h !== ''),
  };
  const token = get('x-amz-security-token');
  if (token !== undefined) auth.sessionToken = token;
  const expires = Number(get('x-amz-expires'));
  if (Number.isInteger(expires)) auth.expiresSeconds = expires;
  return auth;
}

// Credential=<AccessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request
function parseCredential(value: string | undefined) {
  if (value === undefined) return undefined;
  const parts = value.split('/');
  if (parts.length < 5 || parts[parts.length - 1] !== 'aws4_request') return undefined;
  const n = parts.length;
  // An access key id never contains '/', but be lenient and keep everything before the scope.
  return { accessKeyId: parts.slice(0, n - 4).join('/'), scopeDate: parts[n - 4]!, region: parts[n - 3]!, service: parts[n - 2]! };
}

export type SignatureCheck =
  | { ok: true; auth: SigV4Authorization }
  | { ok: false; reason: 'unsigned' | 'malformed' | 'expired' | 'mismatch'; message: string;
      canonicalRequest?: string; stringToSign?: string };

/**
 * Recomputes the signature of `req` with `secret` and compares it in constant time.
 * `body` is the request body when the caller has buffered it; without it the client must have sent
 * `x-amz-content-sha256` (S3 always does), else the payload hash cannot be known.
 */
export function verifySignature(req: IncomingMessage, body: Buffer | undefined, secret: string, now: number = Date.now()): SignatureCheck {
  const auth = parseAuthorization(req);
  if (!auth) return { ok: false, reason: 'unsigned', message: 'Request is missing Authentication Token' };
  const signedAt = parseAmzDate(auth.date);
  if (signedAt === undefined || !auth.date.startsWith(auth.scopeDate)) {
    return { ok: false, reason: 'malformed', message: `Date '${auth.date}' is missing or does not match the credential scope date ${auth.scopeDate}` };
  }
  if (auth.presigned) {
    if (auth.expiresSeconds === undefined || now > signedAt + auth.expiresSeconds * 1000) {
      return { ok: false, reason: 'expired', message: 'Request has expired' };
    }
  } else if (Math.abs(now - signedAt) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, reason: 'expired', message: `Signature expired: ${auth.date} is more than 15 minutes from the server time` };
  }
  const payloadHash = payloadHashOf(req, auth, body);
  if (payloadHash === undefined) {
    return { ok: false, reason: 'malformed', message: 'Cannot verify the payload: no body given and no x-amz-content-sha256 header' };
  }
  const canonicalRequest = canonicalRequestOf(req, auth, payloadHash);
  const scope = `${auth.scopeDate}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [SIGV4_ALGORITHM, auth.date, scope, sha256Hex(canonicalRequest)].join('\n');
  const expected = signatureOf(secret, auth.scopeDate, auth.region, auth.service, stringToSign);
  const given = Buffer.from(auth.signature, 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  if (given.length === wanted.length && timingSafeEqual(given, wanted)) return { ok: true, auth };
  return {
    ok: false, reason: 'mismatch', canonicalRequest, stringToSign,
    message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  };
}

export function signingKey(secret: string, scopeDate: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secret).update(scopeDate).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

function signatureOf(secret: string, scopeDate: string, region: string, service: string, stringToSign: string): string {
  return createHmac('sha256', signingKey(secret, scopeDate, region, service)).update(stringToSign).digest('hex');
}

// S3 presigned URLs sign the literal UNSIGNED-PAYLOAD (the body is unknown when the URL is made).
function payloadHashOf(req: IncomingMessage, auth: SigV4Authorization, body: Buffer | undefined): string | undefined {
  const declared = headerValue(req, 'x-amz-content-sha256') ?? (auth.presigned ? queryValue(req, 'x-amz-content-sha256') : undefined);
  if (declared !== undefined) return declared;
  if (auth.presigned && auth.service === 's3') return 'UNSIGNED-PAYLOAD';
  return body === undefined ? undefined : sha256Hex(body);
}

function queryValue(req: IncomingMessage, lowerName: string): string | undefined {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if (q === -1) return undefined;
  for (const [k, v] of new URLSearchParams(url.slice(q + 1))) if (k.toLowerCase() === lowerName) return v;
  return undefined;
}

/** The canonical request of §15.3 step 1, from the request exactly as received. */
export function canonicalRequestOf(req: IncomingMessage, auth: SigV4Authorization, payloadHash: string): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  const names = [...auth.signedHeaders].map((h) => h.toLowerCase()).sort();
  const headers = names.map((name) => `${name}:${canonicalHeaderValue(req, name)}\n`).join('');
  return [
    (req.method ?? 'GET').toUpperCase(),
    auth.service === 's3' ? (rawPath === '' ? '/' : rawPath) : canonicalPath(rawPath),
    canonicalQuery(rawQuery, auth.presigned),
    headers,
    names.join(';'),
    payloadHash,
  ].join('\n');
}

// Non-S3 services: normalise dot segments and empty segments, then encode the (already encoded)
// path once more, as the SDKs and botocore do when signing.
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return '/' + segments.map(uriEncode).join('/') + trailing;
}

function canonicalQuery(rawQuery: string, presigned: boolean): string {
  if (rawQuery === '') return '';
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = uriEncode(safeDecode(eq === -1 ? part : part.slice(0, eq)));
    const value = eq === -1 ? '' : uriEncode(safeDecode(part.slice(eq + 1)));
    if (presigned && name === 'X-Amz-Signature') continue;
    pairs.push([name, value]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

// Repeated headers are joined with ',' (not Node's ', '), so read them from the raw header list.
function canonicalHeaderValue(req: IncomingMessage, name: string): string {
  const values: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) values.push(raw[i + 1]!);
  if (raw.length === 0) {
    const v = req.headers[name];
    if (v !== undefined) values.push(...(Array.isArray(v) ? v : [v]));
  }
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

/** RFC 3986 encoding: unreserved characters `A-Za-z0-9-_.~` kept, everything else %XX (upper-case). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function safeDecode(value: string): string {
  try { return decodeURIComponent(value); } catch { return value; }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

// Signers that send only a Date header still sign the ISO 8601 basic form of it.
function toAmzDate(httpDate: string): string {
  const t = Date.parse(httpDate);
  return Number.isNaN(t) ? httpDate : new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** `20240131T123456Z` → epoch ms; also accepts an HTTP date (the Date header). */
export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m) return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}
