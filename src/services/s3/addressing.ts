// Where the bucket and key of an S3 request are: virtual-host style (bucket in the Host name)
// or path style (first path segment). Decided from the Host header alone (aws-compat §13.1).
import { AwsXmlError } from '../protocol/rest-xml.ts';

/** Host names under which `<bucket>.<base>` addresses a bucket; the base itself is path style. */
export const DEFAULT_VIRTUAL_HOST_BASES: readonly string[] = [
  's3.localhost.localstack.cloud', 'localhost.localstack.cloud', 's3.localhost', 'localhost',
];

// `bucket.s3.amazonaws.com`, `bucket.s3.eu-west-1.amazonaws.com`, `bucket.s3-eu-west-1.amazonaws.com`,
// `bucket.s3.dualstack.us-east-1.amazonaws.com`: clients pointed at real AWS host names via a proxy.
const AMAZONAWS_VIRTUAL_HOST = /^(.+)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$/;

export type S3Address = {
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  style: 'path' | 'virtual-host';
  /** The request path exactly as sent (still percent-encoded), without the query string. */
  rawPath: string;
};

/** Orders bases longest first so `b.s3.localhost` picks base `s3.localhost`, not `localhost`. */
export function virtualHostBases(extra: readonly string[] = []): string[] {
  return [...new Set([...extra.map((h) => h.toLowerCase()), ...DEFAULT_VIRTUAL_HOST_BASES])]
    .sort((a, b) => b.length - a.length);
}

/** The bucket named by the Host header, or undefined when the request is path style. */
export function bucketFromHost(hostHeader: string | undefined, bases: readonly string[]): string | undefined {
  if (!hostHeader) return undefined;
  const host = stripPort(hostHeader.trim().toLowerCase());
  if (host === '' || isIpAddress(host)) return undefined;
  for (const base of bases) {
    if (host === base) return undefined;
    if (host.endsWith('.' + base)) return withoutS3Label(host.slice(0, host.length - base.length - 1));
  }
  return AMAZONAWS_VIRTUAL_HOST.exec(host)?.[1];
}

// `s3.eu-west-1.localhost` is a regional endpoint (path style); `b.s3.eu-west-1.localhost` names bucket `b`.
const S3_LABELS = /^(?:(.+)\.)?s3(?:[.-][a-z]{2}(?:-gov)?-[a-z]+-\d)?$/;

function withoutS3Label(candidate: string): string | undefined {
  const m = S3_LABELS.exec(candidate);
  return m ? m[1] : candidate;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function isIpAddress(host: string): boolean {
  return host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/** Splits a request URL into bucket, key and query for either addressing style. */
export function parseS3Address(url: string, hostHeader: string | undefined, bases: readonly string[]): S3Address {
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  const hostBucket = bucketFromHost(hostHeader, bases);
  if (hostBucket !== undefined) {
    const key = rawPath.length > 1 ? decodePath(rawPath.slice(1)) : undefined;
    return { bucket: hostBucket, key, query, style: 'virtual-host', rawPath };
  }
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (path === '') return { query, style: 'path', rawPath };
  const slash = path.indexOf('/');
  if (slash === -1) return { bucket: decodePath(path), query, style: 'path', rawPath };
  const rest = path.slice(slash + 1);
  return { bucket: decodePath(path.slice(0, slash)), key: rest === '' ? undefined : decodePath(rest), query, style: 'path', rawPath };
}

/** Percent-decodes a path part; `+` is a literal plus in S3 paths (unlike form encoding). */
function decodePath(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch (err) {
    throw new AwsXmlError('InvalidURI', 400, "Couldn't parse the specified URI.", { fields: { URI: s }, cause: err });
  }
}
