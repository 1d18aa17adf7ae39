// The gateway's HTTP server: API Gateway emulation mounted on --port, with keep-alive.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceSpec } from '../config/types.ts';
import type { Invoker } from '../invoke/types.ts';
import type { Logger } from '../shared/log.ts';
import type { Clock } from '../shared/clock.ts';
import { createGateway, type GatewayOptions } from '../gateway/index.ts';
import { listen } from './index.ts';

export type GatewayServer = {
  url: string;
  port: number;
  update(spec: ServiceSpec): void;
  routes(): { method: string; path: string; functionKey: string; kind: 'rest' | 'httpApi' }[];
  close(): Promise<void>;
};

export type GatewayServerOptions = Pick<GatewayOptions, 'integrationTimeoutMs' | 'jwksFetch'> & {
  spec: ServiceSpec; invoker: Invoker; log: Logger; clock: Clock; port: number; host: string; stagePrefix: boolean;
};

export async function startGateway(o: GatewayServerOptions): Promise<GatewayServer> {
  const { port: wanted, host, ...options } = o;
  const gateway = createGateway(options);
  const server = createServer({ keepAliveTimeout: 65_000 }, gateway.handler);
  await listen(server, wanted, host, '--port');
  const port = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${port}`,
    port,
    update: (spec) => gateway.update(spec),
    routes: () => gateway.routes(),
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

/** The route table as `gannet dev` prints it: `GET     http://127.0.0.1:3000/dev/team → team`. */
export function routeLines(gateway: GatewayServer): string[] {
  return gateway.routes().map((r) => `${r.method.padEnd(7)} ${gateway.url}${r.path} → ${r.functionKey}`);
}
