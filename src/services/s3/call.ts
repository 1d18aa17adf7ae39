// One S3 request as the operations see it, and the context they run in.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { ObjectStore, StoredObject } from '../../store/types.ts';
import type { CallerIdentity, ServiceEnv } from '../types.ts';
import type { RestXmlReply } from '../protocol/rest-xml.ts';

export type S3Call = {
  method: string;
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The request body, not yet read: object data streams from here to the store. */
  body: IncomingMessage;
  caller: CallerIdentity;
  requestId: string;
  hostId: string;
  sourceIp: string;
};

export type ObjectEventName =
  | 'ObjectCreated:Put' | 'ObjectCreated:Post' | 'ObjectCreated:Copy' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectRemoved:Delete';

export type S3Context = {
  env: ServiceEnv;
  objects: ObjectStore;
  /** Tells the event sources about a created or deleted object; never fails the request. */
  notify(call: S3Call, eventName: ObjectEventName, bucket: string, key: string, object?: StoredObject): Promise<void>;
};

export type S3Handler = (ctx: S3Context, call: S3Call) => Promise<RestXmlReply>;

/** A single request header value (first one if repeated). */
export function header(call: S3Call, name: string): string | undefined {
  const v = call.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Bucket and key of an object operation (the dispatcher only routes here when both are present). */
export function objectAddress(call: S3Call): { bucket: string; key: string } {
  return { bucket: call.bucket!, key: call.key! };
}

/** ISO-8601 with milliseconds, as S3 writes timestamps in XML. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** RFC 1123, as S3 writes Last-Modified. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
