// The AWS query protocol: form-encoded `Action=…&Version=…` requests, XML responses.
// Flattened params become the JSON-shaped input providers see, and results become XML, both
// driven by the operation's shapes (wire names, flattened lists and maps).
import type { Member, Shape, StructShape } from './shapes.ts';
import type { ServiceError } from './service-error.ts';

export type FormParams = Map<string, string>;

/** Parses a form body and the URL's query string; body values win (POST is the usual form). */
export function parseForm(body: string, urlQuery: string): FormParams {
  const params: FormParams = new Map();
  for (const source of [urlQuery, body]) {
    if (!source) continue;
    for (const [k, v] of new URLSearchParams(source)) params.set(k, v);
  }
  return params;
}

/** Rebuilds the JSON-shaped input of an operation from flattened query params. */
export function decodeQueryInput(params: FormParams, shape: StructShape): Record<string, unknown> {
  const prefixes = new Set<string>();
  for (const key of params.keys()) {
    let dot = key.indexOf('.');
    while (dot !== -1) { prefixes.add(key.slice(0, dot)); dot = key.indexOf('.', dot + 1); }
    prefixes.add(key);
  }
  return decodeStruct({ params, prefixes }, '', shape);
}

type DecodeCtx = { params: FormParams; prefixes: Set<string> };

function decodeStruct(ctx: DecodeCtx, prefix: string, shape: StructShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members)) {
    const key = prefix + (member.wire ?? name);
    if (!ctx.prefixes.has(key)) continue;
    const value = decodeValue(ctx, key, member.shape);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function decodeValue(ctx: DecodeCtx, key: string, shape: Shape): unknown {
  switch (shape.kind) {
    case 'string': case 'blob': return ctx.params.get(key);
    case 'integer': {
      const raw = ctx.params.get(key);
      // Left as text when not an integer, so the provider's validation names the bad value.
      return raw !== undefined && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    }
    case 'boolean': {
      const raw = ctx.params.get(key);
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    }
    case 'struct': return decodeStruct(ctx, key + '.', shape);
    case 'list': {
      const base = shape.flat ? key : `${key}.${shape.memberName}`;
      const items: unknown[] = [];
      for (let i = 1; ctx.prefixes.has(`${base}.${i}`); i++) items.push(decodeValue(ctx, `${base}.${i}`, shape.member));
      return items;
    }
    case 'map': {
      const base = shape.flat ? key : `${key}.entry`;
      const out: Record<string, unknown> = {};
      for (let i = 1; ctx.prefixes.has(`${base}.${i}`); i++) {
        const k = ctx.params.get(`${base}.${i}.${shape.keyName}`);
        if (k === undefined) continue;
        out[k] = decodeValue(ctx, `${base}.${i}.${shape.valueName}`, shape.value);
      }
      return out;
    }
  }
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;' };

/** Escapes text for XML content; `\r` as a character reference so parsers do not normalise it away. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c]!);
}

/** `<{Op}Response><{Op}Result>…</{Op}Result><ResponseMetadata>…` (no Result element without an output shape). */
export function encodeQueryResult(op: string, xmlns: string, requestId: string, result: unknown, output?: StructShape): string {
  const parts: string[] = ['<?xml version="1.0"?>', `<${op}Response xmlns="${xmlns}">`];
  if (output) {
    parts.push(`<${op}Result>`);
    encodeStruct(parts, (result ?? {}) as Record<string, unknown>, output);
    parts.push(`</${op}Result>`);
  }
  parts.push(`<ResponseMetadata><RequestId>${xmlEscape(requestId)}</RequestId></ResponseMetadata>`, `</${op}Response>`);
  return parts.join('');
}

export function encodeQueryError(err: ServiceError, xmlns: string, requestId: string, withDetail: boolean): string {
  return '<?xml version="1.0"?>'
    + `<ErrorResponse xmlns="${xmlns}"><Error><Type>${err.fault}</Type><Code>${xmlEscape(err.queryCode)}</Code>`
    + `<Message>${xmlEscape(err.message)}</Message>${withDetail ? '<Detail/>' : ''}</Error>`
    + `<RequestId>${xmlEscape(requestId)}</RequestId></ErrorResponse>`;
}

function encodeStruct(parts: string[], value: Record<string, unknown>, shape: StructShape): void {
  for (const [name, member] of Object.entries(shape.members)) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    encodeMember(parts, member.wire ?? name, v, member);
  }
}

function encodeMember(parts: string[], tag: string, value: unknown, member: Member): void {
  const shape = member.shape;
  if (shape.kind === 'list') {
    const items = value as unknown[];
    if (shape.flat) { for (const item of items) encodeElement(parts, tag, item, shape.member); return; }
    parts.push(`<${tag}>`);
    for (const item of items) encodeElement(parts, shape.memberName, item, shape.member);
    parts.push(`</${tag}>`);
    return;
  }
  if (shape.kind === 'map') {
    const entries = Object.entries(value as Record<string, unknown>);
    const entryTag = shape.flat ? tag : 'entry';
    if (!shape.flat) parts.push(`<${tag}>`);
    for (const [k, v] of entries) {
      parts.push(`<${entryTag}><${shape.keyName}>${xmlEscape(k)}</${shape.keyName}>`);
      encodeElement(parts, shape.valueName, v, shape.value);
      parts.push(`</${entryTag}>`);
    }
    if (!shape.flat) parts.push(`</${tag}>`);
    return;
  }
  encodeElement(parts, tag, value, shape);
}

function encodeElement(parts: string[], tag: string, value: unknown, shape: Shape): void {
  if (shape.kind === 'struct') {
    parts.push(`<${tag}>`);
    encodeStruct(parts, value as Record<string, unknown>, shape);
    parts.push(`</${tag}>`);
  } else if (shape.kind === 'list' || shape.kind === 'map') {
    encodeMember(parts, tag, value, { shape });
  } else {
    parts.push(`<${tag}>${xmlEscape(String(value))}</${tag}>`);
  }
}
