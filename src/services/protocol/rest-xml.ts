// The restXml wire codec (S3): XML bodies in and out, one reply shape, one error shape.
// Providers build `RestXmlReply` values; only this file writes them to the socket.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { GannetError } from '../../shared/errors.ts';

export const S3_XML_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Plain-object form of an XML document body: arrays repeat an element, `undefined` omits it. */
export type XmlValue = string | number | boolean | undefined | null | XmlObject | XmlValue[];
export type XmlObject = { [name: string]: XmlValue };

export type RestXmlReply = {
  status: number;
  headers?: Record<string, string | number | undefined>;
  /** A document rooted at `root`, sent as application/xml. */
  xml?: { root: string; body: XmlObject; namespace?: boolean };
  /** A raw body (object data); streamed, never buffered. */
  body?: Readable | Buffer;
};

/** Identifiers every S3 response carries. */
export type ResponseIds = { requestId: string; hostId: string };

/** An AWS error with extra elements for the `<Error>` document (Key, BucketName, ...). */
export class AwsXmlError extends GannetError {
  fields: Record<string, string>;
  headers: Record<string, string>;
  constructor(awsCode: string, status: number, message: string,
    opts: { fields?: Record<string, string | number | undefined>; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(`GANNET_S3_${awsCode.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`, message,
      { awsCode, status, cause: opts.cause });
    this.fields = {};
    for (const [k, v] of Object.entries(opts.fields ?? {})) if (v !== undefined) this.fields[k] = String(v);
    this.headers = opts.headers ?? {};
  }
}

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: false, processEntities: true });

/** Serialises a document; `undefined`/`null` members are left out, booleans become `true`/`false`. */
export function toXml(root: string, body: XmlObject, namespace = true): string {
  const doc: XmlObject = namespace ? { '@_xmlns': S3_XML_NAMESPACE, ...prune(body) } : prune(body);
  return XML_DECLARATION + builder.build({ [root]: doc });
}

function prune(value: XmlObject): XmlObject {
  const out: XmlObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) out[k] = v.filter((x) => x !== undefined && x !== null).map((x) => isObject(x) ? prune(x) : x);
    else out[k] = isObject(v) ? prune(v) : v;
  }
  return out;
}

function isObject(v: XmlValue): v is XmlObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses an XML request body into plain objects. Text values stay strings (no number guessing:
 * an ETag or key must arrive as sent); elements named in `arrays` are always arrays.
 */
export function parseXml(text: string, arrays: ReadonlySet<string>): XmlObject {
  const parser = new XMLParser({
    ignoreAttributes: true, parseTagValue: false, trimValues: false, removeNSPrefix: true,
    ignoreDeclaration: true, processEntities: true, isArray: (name) => arrays.has(name),
  });
  let parsed: unknown;
  try {
    parsed = parser.parse(text, true);
  } catch (err) {
    throw malformedXml(err);
  }
  if (!parsed || typeof parsed !== 'object') throw malformedXml();
  return parsed as XmlObject;
}

export function malformedXml(cause?: unknown): AwsXmlError {
  return new AwsXmlError('MalformedXML', 400,
    'The XML you provided was not well-formed or did not validate against our published schema', { cause });
}

/** Text content of a parsed element (`<Key>a</Key>` → 'a', `<Key/>` → ''), or undefined when absent. */
export function xmlText(v: XmlValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isObject(v)) return typeof v['#text'] === 'string' ? v['#text'] : '';
  return undefined;
}

/** A child element that may repeat, always as an array of objects. */
export function xmlList(v: XmlValue | undefined): XmlObject[] {
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : [v];
  return items.map((x) => (isObject(x) ? x : {}));
}

export function xmlChild(v: XmlValue | undefined): XmlObject | undefined {
  return isObject(v as XmlValue) ? v as XmlObject : undefined;
}

/** Reads a small request body (XML documents) into memory, refusing more than `maxBytes`. */
export async function readSmallBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new AwsXmlError('MaxMessageLengthExceeded', 400, 'Your request was too big.',
        { fields: { MaxMessageLengthBytes: maxBytes } });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function baseHeaders(ids: ResponseIds): Record<string, string> {
  return { 'x-amz-request-id': ids.requestId, 'x-amz-id-2': ids.hostId, server: 'Gannet' };
}

/** Writes a reply: XML document, streamed body, or nothing. Resolves once the body is sent. */
export async function sendReply(res: ServerResponse, reply: RestXmlReply, ids: ResponseIds, head: boolean): Promise<void> {
  const headers: Record<string, string | number> = baseHeaders(ids);
  for (const [k, v] of Object.entries(reply.headers ?? {})) if (v !== undefined) headers[k] = v;
  let payload: Buffer | Readable | undefined = reply.body;
  if (reply.xml) {
    payload = Buffer.from(toXml(reply.xml.root, reply.xml.body, reply.xml.namespace ?? true));
    headers['content-type'] = 'application/xml';
  }
  if (Buffer.isBuffer(payload)) headers['content-length'] ??= payload.length;
  else if (payload === undefined && !head && headers['content-length'] === undefined) headers['content-length'] = 0;
  res.writeHead(reply.status, headers);
  if (head || payload === undefined || reply.status === 204 || reply.status === 304) {
    if (payload instanceof Readable) payload.destroy();
    res.end();
    return;
  }
  if (Buffer.isBuffer(payload)) {
    res.end(payload);
    return;
  }
  await pipeline(payload, res);
}

/** Writes an AWS error as S3 does: `<Error>` document, or status only for HEAD requests. */
export function sendError(res: ServerResponse, err: unknown, ids: ResponseIds, head: boolean): void {
  const e = toAwsXmlError(err);
  if (res.headersSent) {
    res.destroy(e);
    return;
  }
  const headers: Record<string, string | number> = { ...baseHeaders(ids), ...e.headers };
  if (head) {
    headers['content-length'] = 0;
    res.writeHead(e.status ?? 500, headers);
    res.end();
    return;
  }
  const body = Buffer.from(toXml('Error', {
    Code: e.awsCode, Message: e.message, ...e.fields, RequestId: ids.requestId, HostId: ids.hostId,
  }, false));
  headers['content-type'] = 'application/xml';
  headers['content-length'] = body.length;
  res.writeHead(e.status ?? 500, headers);
  res.end(body);
}

/** Any thrown value as an AWS error; unknown failures become InternalError (500) keeping the cause. */
export function toAwsXmlError(err: unknown): AwsXmlError {
  if (err instanceof AwsXmlError) return err;
  if (err instanceof GannetError && err.awsCode && err.status) {
    return new AwsXmlError(err.awsCode, err.status, err.message, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new AwsXmlError('InternalError', 500, `We encountered an internal error. Please try again. (${message})`, { cause: err });
}
