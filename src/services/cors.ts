// CORS for browser clients of the JSON/query/Lambda APIs: preflights are answered here and actual
// responses expose AWS's headers. S3 is left alone: buckets carry their own CORS rules (s3/cors.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';

const EXPOSED_HEADERS = [
  'x-amzn-RequestId', 'x-amzn-ErrorType', 'x-amzn-query-error', 'x-amz-request-id', 'x-amz-id-2',
  'X-Amz-Function-Error', 'X-Amz-Log-Result', 'X-Amz-Executed-Version', 'Content-Length', 'Date', 'ETag',
].join(', ');

/** True when the endpoint (not the S3 provider) should answer this OPTIONS preflight. */
export function isEndpointPreflight(req: IncomingMessage, service: string): boolean {
  if (req.method !== 'OPTIONS' || !req.headers.origin || !req.headers['access-control-request-method']) return false;
  if (service !== 's3') return true;
  // A preflight for `/` cannot be a bucket's; X-Amz-Target is only sent to JSON APIs.
  const path = (req.url ?? '/').split('?')[0];
  const wanted = String(req.headers['access-control-request-headers'] ?? '').toLowerCase();
  return path === '/' || wanted.includes('x-amz-target');
}

export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'access-control-allow-origin': String(req.headers.origin),
    'access-control-allow-methods': 'GET, POST, PUT, DELETE, HEAD, PATCH, OPTIONS',
    'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? '*'),
    'access-control-allow-credentials': 'true',
    'access-control-max-age': '86400',
    'access-control-expose-headers': EXPOSED_HEADERS,
    vary: 'Origin',
    'content-length': 0,
  });
  res.end();
}

/** Headers set before the provider writes its own (writeHead merges them). */
export function addCorsHeaders(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  res.setHeader('vary', 'Origin');
}
