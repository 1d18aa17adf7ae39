// The gateway's own overhead: wrk against a bare Node HTTP server and against the gateway (REST
// and HTTP API routes) whose invoker answers in-process, so only routing, event building, JSON and
// response mapping are measured.  Run: node bench/gateway-overhead.ts [seconds per run]
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createGateway } from '../src/gateway/index.ts';
import type { ServiceSpec } from '../src/config/types.ts';
import type { Invoker } from '../src/invoke/types.ts';

const seconds = Number(process.argv[2] ?? 5);
const BODY = JSON.stringify({ message: 'Hello, world!' });

const spec: ServiceSpec = {
  service: 'bench', stage: 'dev', region: 'us-east-1', accountId: '000000000000',
  provider: { name: 'aws', runtime: 'nodejs20.x', stage: 'dev', region: 'us-east-1', memorySize: 1024, timeout: 6, environment: {},
    httpApi: { authorizers: {}, payload: '2.0' }, apiGateway: { binaryMediaTypes: [] }, iamStatements: [] },
  functions: {
    hello: {
      key: 'hello', name: 'bench-dev-hello', handler: 'h.hello', runtime: 'nodejs20.x', memorySize: 1024, timeout: 6, environment: {},
      maximumRetryAttempts: 2, maximumEventAge: 21600, destinations: {}, architecture: 'x86_64', codeDir: '.',
      events: [
        { type: 'http', method: 'GET', path: '/hello/{name}', integration: 'lambda-proxy', private: false, async: false, requiredParameters: { paths: [], querystrings: [], headers: [] } },
        { type: 'httpApi', method: 'GET', path: '/hello/{name}' },
      ],
    },
  },
  resources: [], outputs: {}, custom: {}, dir: '.', file: 'serverless.yml', warnings: [],
};

// The function: parse the event as a runtime would, answer with a proxy response.
const invoker: Invoker = {
  async invoke(_name, payload) {
    const event = JSON.parse(payload.toString('utf8'));
    const out = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: BODY, n: event.pathParameters.name };
    delete (out as { n?: string }).n;
    return { requestId: 'r', status: 'ok', payload: Buffer.from(JSON.stringify(out)), executedVersion: '$LATEST' };
  },
};

const bare: RequestListener = (req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(BODY);
};

async function serve(listener: RequestListener): Promise<{ port: number; close(): void }> {
  const server = createServer({ keepAliveTimeout: 65_000 }, listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => { server.close(); server.closeAllConnections(); } };
}

// wrk runs as a child process while this process serves (a sync exec would block the server);
// one wrk thread, so on a 2-core machine the client and the server each have a core.
async function wrk(url: string): Promise<number> {
  const { stdout } = await promisify(execFile)('wrk', ['-t1', '-c32', `-d${seconds}s`, url], { encoding: 'utf8' });
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)![1]);
}

const log = { info() {}, warn() {}, error: (m: string) => console.error(m), debug() {} };
const gateway = createGateway({ spec, invoker, log });
const a = await serve(bare);
const g = await serve(gateway.handler);
// Rounds interleave the three targets and the best of each is kept: on a shared 2-core machine,
// other work only ever lowers a run.
let base = 0, rest = 0, v2 = 0;
for (let round = 0; round < 3; round++) {
  base = Math.max(base, await wrk(`http://127.0.0.1:${a.port}/hello/ada`));
  rest = Math.max(rest, await wrk(`http://127.0.0.1:${g.port}/dev/hello/ada`));
  v2 = Math.max(v2, await wrk(`http://127.0.0.1:${g.port}/hello/ada`));
}
a.close(); g.close();
console.log(`bare node http     ${base.toFixed(0)} req/s`);
console.log(`gateway REST       ${rest.toFixed(0)} req/s  (${(rest / base).toFixed(2)} x bare)`);
console.log(`gateway HTTP API   ${v2.toFixed(0)} req/s  (${(v2 / base).toFixed(2)} x bare)`);
