// The limit for in-process dispatch: a bare Node server that builds an HTTP API (payload 2.0)
// event, calls the benchmark handler in this process and maps its proxy response.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

type ProxyResult = { statusCode: number; headers?: Record<string, string>; body?: string };
const require = createRequire(import.meta.url);
const { hello } = require('../service/handler.js') as { hello: (event: unknown, context: unknown) => Promise<ProxyResult> };

function event(req: IncomingMessage): Record<string, unknown> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: Record<string, string> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers[raw[i]!.toLowerCase()] = raw[i + 1]!;
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: `${req.method} ${q === -1 ? url : url.slice(0, q)}`,
    rawPath: q === -1 ? url : url.slice(0, q),
    rawQueryString: q === -1 ? '' : url.slice(q + 1),
    headers,
    requestContext: {
      accountId: '000000000000', apiId: 'bench', domainName: headers.host ?? 'localhost', domainPrefix: 'bench',
      http: { method: req.method, path: url, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress, userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(), routeKey: `${req.method} /hello`, stage: '$default', time: new Date(now).toISOString(), timeEpoch: now,
    },
    isBase64Encoded: false,
  };
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  req.resume();
  const context = { awsRequestId: randomUUID(), functionName: 'bench-dev-hello', getRemainingTimeInMillis: () => 6000 };
  hello(event(req), context).then((out) => {
    const body = out.body ?? '';
    res.writeHead(out.statusCode, { ...out.headers, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }, () => { res.writeHead(500); res.end(); });
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stderr.write(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
