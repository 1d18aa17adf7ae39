// The gateway's HTTP server: API Gateway emulation mounted on --port, with keep-alive.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceSpec } from '../config/types.ts';
import type { Invoker } from '../invoke/types.ts';
import type { Logger } from '../shared/log.ts';
import type { Clock } from '../shared/clock.ts';
import { createGateway } from '../gateway/index.ts';
import { listen } from './index.ts';

export type GatewayServer = {
  url: string;
  port: number;
  update(spec: ServiceSpec): void;
  routes(): { method: string; path: string; functionKey: string; kind: 'rest' | 'httpApi' }[];
  close(): Promise<void>;
};

export async function startGateway(o: { spec: ServiceSpec; invoker: Invoker; log: Logger; clock: Clock; port: number; host: string; stagePrefix: boolean }): Promise<GatewayServer> {
  const gateway = createGateway({ spec: o.spec, invoker: o.invoker, log: o.log, clock: o.clock, stagePrefix: o.stagePrefix });
  const server = createServer({ keepAliveTimeout: 65_000 }, gateway.handler);
  await listen(server, o.port, o.host);
  const port = (server.address() as AddressInfo).port;
  const shown = o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host;
  return {
    url: `http://${shown}:${port}`,
    port,
    update: (spec) => gateway.update(spec),
    routes: () => gateway.routes(),
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
