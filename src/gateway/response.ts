// Function results turned into HTTP responses, with each API's validation rules: REST is strict
// (unknown keys, wrong types -> 502), HTTP API 2.0 infers a response from anything without a
// statusCode, HTTP API 1.0 is REST-shaped but lenient. `null` means "malformed".

export type Reply = { status: number; headers: string[]; body: string | Buffer };

const REST_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

function parseJson(payload: Buffer): { ok: true; value: unknown } | { ok: false } {
  try { return { ok: true, value: JSON.parse(payload.toString('utf8')) }; } catch { return { ok: false }; }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** statusCode as API Gateway reads it: an integer or a string of digits, 100..599. */
function statusOf(v: unknown): number | null {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) n = Number(v);
  else return null;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : null;
}

function headerText(v: unknown, allowNumbers: boolean): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (allowNumbers && typeof v === 'number') return String(v);
  return null;
}

/** Flat [name, value, ...] list with a Content-Type added when the function gave none. */
function finish(headers: Map<string, [string, string[]]>): string[] {
  const flat: string[] = [];
  for (const [name, values] of headers.values()) for (const v of values) flat.push(name, v);
  if (!headers.has('content-type')) flat.push('Content-Type', 'application/json');
  return flat;
}

function decodeBody(body: unknown, base64: unknown): string | Buffer | null {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') return null;
  return base64 === true ? Buffer.from(body, 'base64') : body;
}

/**
 * Payload 1.0 proxy response. `rest`: REST rules (unknown keys or non-string/boolean header values
 * are malformed; a missing statusCode means 200). `httpApi`: HTTP API 1.0 rules (extra keys ignored,
 * statusCode required).
 */
export function mapV1Response(payload: Buffer, mode: 'rest' | 'httpApi'): Reply | null {
  const parsed = parseJson(payload);
  if (!parsed.ok || !isRecord(parsed.value)) return null;
  const v = parsed.value;
  if (mode === 'rest') for (const k in v) if (!REST_KEYS.has(k)) return null;
  let status = 200;
  if (v.statusCode !== undefined && v.statusCode !== null) {
    const s = statusOf(v.statusCode);
    if (s === null) return null;
    status = s;
  } else if (mode === 'httpApi') return null;
  const headers = new Map<string, [string, string[]]>();
  if (v.headers !== undefined && v.headers !== null) {
    if (!isRecord(v.headers)) return null;
    for (const name in v.headers) {
      const text = headerText(v.headers[name], mode === 'httpApi');
      if (text === null) return null;
      headers.set(name.toLowerCase(), [name, [text]]);
    }
  }
  if (v.multiValueHeaders !== undefined && v.multiValueHeaders !== null) {
    if (!isRecord(v.multiValueHeaders)) return null;
    for (const name in v.multiValueHeaders) {
      const list = v.multiValueHeaders[name];
      if (!Array.isArray(list)) return null;
      const values: string[] = [];
      for (const item of list) {
        const text = headerText(item, mode === 'httpApi');
        if (text === null) return null;
        values.push(text);
      }
      headers.set(name.toLowerCase(), [name, values]);   // multiValueHeaders win over headers
    }
  }
  if (v.isBase64Encoded !== undefined && v.isBase64Encoded !== null && typeof v.isBase64Encoded !== 'boolean') return null;
  const body = decodeBody(v.body, v.isBase64Encoded);
  if (body === null) return null;
  return { status, headers: finish(headers), body };
}

/**
 * Payload 2.0 response with the inference rule: an object with statusCode is a structured
 * response; anything else valid JSON is sent as-is with 200 and application/json. An object shaped
 * like a Lambda error ({errorMessage...} without statusCode) is treated as a failure, as AWS does.
 */
export function mapV2Response(payload: Buffer): Reply | null {
  const parsed = parseJson(payload);
  if (!parsed.ok) return null;
  const v = parsed.value;
  if (!isRecord(v) || !('statusCode' in v)) {
    if (isRecord(v) && 'errorMessage' in v) return null;
    return { status: 200, headers: ['Content-Type', 'application/json'], body: payload };
  }
  const status = statusOf(v.statusCode);
  if (status === null) return null;
  const headers = new Map<string, [string, string[]]>();
  if (v.headers !== undefined && v.headers !== null) {
    if (!isRecord(v.headers)) return null;
    for (const name in v.headers) {
      const text = headerText(v.headers[name], true);
      if (text === null) return null;
      headers.set(name.toLowerCase(), [name, [text]]);
    }
  }
  if (v.cookies !== undefined && v.cookies !== null) {
    if (!Array.isArray(v.cookies) || !v.cookies.every((c) => typeof c === 'string')) return null;
    const existing = headers.get('set-cookie');
    const values = existing ? [...existing[1], ...(v.cookies as string[])] : (v.cookies as string[]);
    if (values.length) headers.set('set-cookie', ['Set-Cookie', values]);
  }
  if (v.isBase64Encoded !== undefined && v.isBase64Encoded !== null && typeof v.isBase64Encoded !== 'boolean') return null;
  const body = decodeBody(v.body, v.isBase64Encoded);
  if (body === null) return null;
  return { status, headers: finish(headers), body };
}

// Serverless's default integration responses for `integration: lambda`: the error message selects
// the status; anything unmatched (and every success) is 200 with the result as the body.
const LAMBDA_ERROR_PATTERNS: [number, RegExp][] = [
  [400, /^.*\[400\].*$/s], [401, /^.*\[401\].*$/s], [403, /^.*\[403\].*$/s], [404, /^.*\[404\].*$/s],
  [422, /^.*\[422\].*$/s], [500, /^.*(Process\s?exited\s?before\s?completing\s?request|\[500\]).*$/s],
  [502, /^.*\[502\].*$/s], [504, /^(([\s\S]*\[504\][\s\S]*)|(^[Task timed out].*))$/],
];

export function mapLambdaIntegrationResponse(payload: Buffer, failed: boolean): Reply {
  let status = 200;
  if (failed) {
    const parsed = parseJson(payload);
    const message = parsed.ok && isRecord(parsed.value) && typeof parsed.value.errorMessage === 'string' ? parsed.value.errorMessage : '';
    for (const [code, re] of LAMBDA_ERROR_PATTERNS) if (re.test(message)) { status = code; break; }
  }
  return { status, headers: ['Content-Type', 'application/json'], body: payload };
}
