// Errors the endpoint itself answers (no provider for the service, a provider that threw), written
// in the protocol the request came in so each client reports the code and message instead of a
// parse failure: S3 XML, query XML (SQS/SNS), JSON 1.x, or restJson (Lambda and anything else).
import type { IncomingMessage, ServerResponse } from 'node:http';

export type EndpointFailure = { status: number; code: string; message: string; requestId: string };

const QUERY_NAMESPACES: Record<string, string> = {
  sqs: 'http://queue.amazonaws.com/doc/2012-11-05/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

export type WireProtocol = 'rest-xml' | 'query' | 'json' | 'rest-json';

export function protocolOf(req: IncomingMessage, service: string): WireProtocol {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (req.headers['x-amz-target'] !== undefined || type.startsWith('application/x-amz-json')) return 'json';
  if (type.startsWith('application/x-www-form-urlencoded') || /[?&]Action=/.test(req.url ?? '')) return 'query';
  if (service === 's3') return 'rest-xml';
  return 'rest-json';
}

export function writeFailure(req: IncomingMessage, res: ServerResponse, service: string, f: EndpointFailure): void {
  if (res.headersSent) { res.destroy(); return; }
  if (res.destroyed) return;
  const protocol = protocolOf(req, service);
  let contentType: string;
  let body: string;
  const headers: Record<string, string> = { 'x-amzn-requestid': f.requestId };
  const fault = f.status >= 500 ? 'Receiver' : 'Sender';
  switch (protocol) {
    case 'rest-xml':
      contentType = 'application/xml';
      headers['x-amz-request-id'] = f.requestId;
      body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xml(f.code)}</Code><Message>${xml(f.message)}</Message>` +
        `<RequestId>${xml(f.requestId)}</RequestId></Error>`;
      break;
    case 'query':
      contentType = 'text/xml';
      body = `<ErrorResponse xmlns="${QUERY_NAMESPACES[service] ?? `https://${service}.amazonaws.com/doc/`}">` +
        `<Error><Type>${fault}</Type><Code>${xml(f.code)}</Code><Message>${xml(f.message)}</Message></Error>` +
        `<RequestId>${xml(f.requestId)}</RequestId></ErrorResponse>`;
      break;
    case 'json':
      contentType = 'application/x-amz-json-1.0';
      headers['x-amzn-query-error'] = `${f.code};${fault}`;
      body = JSON.stringify({ __type: f.code, message: f.message });
      break;
    case 'rest-json':
      contentType = 'application/json';
      headers['x-amzn-errortype'] = f.code;
      body = JSON.stringify({ Type: fault === 'Sender' ? 'User' : 'Service', __type: f.code, message: f.message });
      break;
  }
  const bytes = req.method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(body, 'utf8');
  res.writeHead(f.status, { ...headers, 'content-type': contentType, 'content-length': bytes.length });
  res.end(bytes);
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
