// The service host: composes config, store, pool, invoker, AWS endpoint, event sources and the
// gateway into one running service. `gannet dev`, `gannet invoke` and the end-to-end tests use it,
// so what the tests run is what users run.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ServiceSpec } from '../config/types.ts';
import { GannetError } from '../shared/errors.ts';
import { defaultIntrinsicTable, loadService, resolveIntrinsics } from '../config/index.ts';
import { openStore } from '../store/index.ts';
import { createPool } from '../pool/index.ts';
import { createInvoker, stringAttributes, type RunningInvoker } from '../invoke/index.ts';
import type { Store } from '../store/types.ts';
import type { Pool } from '../pool/types.ts';
import type { Logger } from '../shared/log.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { hostedFunctions, type HostedFunctions } from './functions.ts';
import { startAwsEndpoint, type AwsEndpoint } from './aws.ts';
import { startEventSources, type EventSources } from './event-sources.ts';
import { routeLines, startGateway, type GatewayServer } from './gateway.ts';
import { watchService, type ServiceWatcher } from './watch.ts';
import type { GatewayOptions } from '../gateway/index.ts';
import { reloadGuardedPool } from './reload-guard.ts';
import { serviceOutputs } from './resources.ts';

export { routeLines } from './gateway.ts';

export type HostOptions = {
  dir: string;
  configFile?: string;
  stage?: string;
  region?: string;
  params?: Record<string, string>;
  options?: Record<string, string | boolean>;
  /** Extra environment for every function (`gannet invoke -e`). */
  env?: Record<string, string>;
  /** The environment `${env:…}` reads in serverless.yml; default process.env. */
  variables?: NodeJS.ProcessEnv;
  /** Python interpreter for python runtimes (else $GANNET_PYTHON, else python3). */
  pythonPath?: string;
  /** Gateway settings tests change: the integration timeout and how JWKS documents are fetched. */
  gatewayOptions?: Pick<GatewayOptions, 'integrationTimeoutMs' | 'jwksFetch'>;
  log: Logger;
  clock?: Clock;
  /** Where the store lives; default <service>/.gannet/<stage>. */
  dataDir?: string;
  /** Serve the gateway on this port (omit for none). */
  port?: number;
  host?: string;
  /** Serve the AWS endpoint on this port (omit for none). */
  awsPort?: number;
  stagePrefix?: boolean;
  schedules?: boolean;
  watch?: boolean;
  retryDelayScale?: number;
  spares?: number;
  /** Run accepted async events in this process (default true; `gannet invoke` leaves them to `dev`). */
  asyncWorker?: boolean;
  /** Every function log line (START/END/REPORT included). */
  onFunctionLog?: (line: string) => void;
};

export type ServiceHost = {
  spec(): ServiceSpec;
  store: Store;
  pool: Pool;
  invoker: RunningInvoker;
  functions: HostedFunctions;
  gatewayUrl?: string;
  awsUrl?: string;
  gateway?: GatewayServer;
  /** `resources.Outputs`, their values resolved as CloudFormation returns them. */
  outputs(): { name: string; value: unknown; description?: string }[];
  /** Reads serverless.yml again; on error keeps the last good version and rethrows. */
  reload(): Promise<ServiceSpec>;
  close(): Promise<void>;
};

export async function startServiceHost(o: HostOptions): Promise<ServiceHost> {
  const clock = o.clock ?? systemClock;
  // The AWS endpoint's port must be known before the service loads: queue URLs and the functions'
  // environment point at it.
  // No request timeout: S3 uploads of large objects stream for as long as they take.
  const awsServer = o.awsPort === undefined ? undefined : await listen(createServer({ requestTimeout: 0 }), o.awsPort, o.host ?? '127.0.0.1', '--aws-port');
  const awsUrl = awsServer ? `http://127.0.0.1:${(awsServer.address() as AddressInfo).port}` : 'http://127.0.0.1:4566';
  const load = () => loadService(o.dir, {
    awsEndpointUrl: awsUrl,
    ...(o.configFile !== undefined && { configFile: o.configFile }),
    ...(o.stage !== undefined && { stage: o.stage }),
    ...(o.region !== undefined && { region: o.region }),
    ...(o.variables !== undefined && { env: o.variables }),
    options: o.options ?? {}, params: o.params ?? {},
  });
  let spec = await load().catch((err: unknown) => { awsServer?.close(); throw err; });
  // Each warning once: a reload repeats only what is new (a key just added, say).
  const warned = new Set<string>();
  const warn = (warnings: ServiceSpec['warnings']) => {
    for (const w of warnings) {
      const text = `${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`;
      if (!warned.has(text)) { warned.add(text); o.log.warn(text); }
    }
  };
  warn(spec.warnings);

  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => { for (const c of closers.reverse()) await c(); };
  try {
    const store = await openStore({ dir: o.dataDir ?? join(spec.dir, '.gannet', spec.stage), clock });
    closers.push(() => store.close());
    const pool = createPool({
      log: o.log, clock,
      ...(o.spares !== undefined && { spares: o.spares }),
      ...(o.pythonPath !== undefined && { pythonPath: o.pythonPath }),
    });
    closers.push(() => pool.close());

    const functions = hostedFunctions(spec, () => ({ ...functionAwsEnvironment(awsUrl), ...o.env }), () => clock.now());

    let aws: AwsEndpoint | undefined;
    let watcher: ServiceWatcher | undefined;
    const guardedPool = reloadGuardedPool(pool, { edits: () => watcher, current: (fn) => functions.resolve(fn.arn), clock, log: o.log });
    const invoker = createInvoker({
      functions, pool: guardedPool, store, clock, log: o.log, region: spec.region, accountId: spec.accountId,
      retryDelayScale: o.retryDelayScale ?? 1,
      sinks: {
        sqs: (arn, body, attributes) => requireAws(aws).sqs.sendToArn(arn, body, attributes && stringAttributes(attributes)),
        sns: (arn, message, attributes) => requireAws(aws).sns.publishToArn(arn, message, attributes ? { attributes: stringAttributes(attributes) } : {}),
        eventBridge: async (arn) => { o.log.warn(`EventBridge destination ${arn}: event buses are not emulated yet; record dropped`); },
      },
      ...(o.onFunctionLog !== undefined && { onLog: o.onFunctionLog }),
    });
    closers.push(() => invoker.stop());

    aws = await startAwsEndpoint({ server: awsServer, store, invoker, clock, log: o.log, spec: () => spec, functions: functions.directory });
    closers.push(() => aws!.close());
    if (o.asyncWorker ?? true) invoker.start();

    const scheduleAnchors = new Map<string, number>();
    let sources: EventSources = await startEventSources({ spec, aws, invoker, store, clock, log: o.log, schedules: o.schedules ?? true, scheduleAnchors });
    closers.push(() => sources.stop());

    let gateway: GatewayServer | undefined;
    if (o.port !== undefined) {
      gateway = await startGateway({
        spec, invoker, log: o.log, clock, port: o.port, host: o.host ?? '127.0.0.1', stagePrefix: o.stagePrefix ?? true,
        ...o.gatewayOptions,
      });
      closers.push(() => gateway!.close());
    }

    const reload = async () => {
      const next = await load();
      warn(next.warnings);
      spec = next;
      functions.update(next);
      const routesBefore = gateway ? routeLines(gateway) : [];
      gateway?.update(next);
      if (gateway) logRouteChanges(o.log, routesBefore, routeLines(gateway));
      await sources.stop();
      sources = await startEventSources({ spec: next, aws: aws!, invoker, store, clock, log: o.log, schedules: o.schedules ?? true, scheduleAnchors });
      return next;
    };

    if (o.watch) {
      watcher = watchService(spec.dir, { log: o.log, onChange: () => reload() });
      closers.push(() => watcher!.close());
    }

    const host: ServiceHost = {
      spec: () => spec, store, pool, invoker, functions, reload, close,
      outputs: () => serviceOutputs(spec, (v) => resolveIntrinsics(v, defaultIntrinsicTable(spec), { onUnresolved: 'keep' })),
      awsUrl,
      ...(gateway !== undefined && { gateway, gatewayUrl: gateway.url }),
    };
    if (!awsServer) delete host.awsUrl;
    return host;
  } catch (err) {
    await close();
    throw err;
  }
}

/** A reload that adds or removes routes says so, in the route table's own format. */
function logRouteChanges(log: Logger, before: string[], after: string[]): void {
  for (const line of after) if (!before.includes(line)) log.info(`  + ${line}`);
  for (const line of before) if (!after.includes(line)) log.info(`  - ${line}`);
}

function requireAws(aws: AwsEndpoint | undefined): AwsEndpoint {
  if (!aws) throw new GannetError('GANNET_NO_AWS_ENDPOINT', 'a destination was reached before the AWS endpoint started');
  return aws;
}

/** What a function needs so that the AWS SDKs inside it reach Gannet's endpoint unchanged. */
export function functionAwsEnvironment(awsUrl: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: awsUrl,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SESSION_TOKEN: 'gannet',
  };
}

/** Listens on host:port; a port that is taken or forbidden is the user's to fix, named by `flag`. */
export function listen(server: Server, port: number, host: string, flag: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new GannetError('GANNET_PORT_IN_USE', `${host}:${port} is already in use (${flag} ${port}). Stop what listens there, or choose another port with ${flag} N (0 picks a free one)`, { cause: err }));
      } else if (err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') {
        reject(new GannetError('GANNET_LISTEN', `cannot listen on ${host}:${port} (${flag}): ${err.code === 'EACCES' ? 'permission denied' : 'no such local address'}`, { cause: err }));
      } else {
        reject(err);
      }
    };
    server.once('error', fail);
    server.listen(port, host, () => { server.off('error', fail); resolve(server); });
  });
}
