// The body of `gannet logs`: finds the function in the service, opens the stage's store and prints
// its invocation records (optionally following new ones until Ctrl-C).
import { join } from 'node:path';
import { loadService } from '../config/index.ts';
import { openStore } from '../store/index.ts';
import { printLogs, parseSince } from '../invoke/index.ts';
import { GannetError } from '../shared/errors.ts';
import { systemClock } from '../shared/clock.ts';

export type LogsArgs = {
  /** The service folder. */
  dir: string;
  /** The function's key under `functions:` (or its deployed name). */
  function: string;
  tail?: boolean;
  filter?: string;
  /** `30s`, `10m`, `2h`, `1d` or an ISO date. */
  since?: string;
  stage?: string;
  configFile?: string;
  /** Where the store lives; default <service>/.gannet/<stage> as `gannet dev` uses. */
  dataDir?: string;
  /** Ends a tail; default: SIGINT / SIGTERM. */
  signal?: AbortSignal;
  /** Where lines go; default stdout. */
  write?: (line: string) => void;
};

export async function runLogs(args: LogsArgs): Promise<number> {
  const since = args.since === undefined ? undefined : parseSince(args.since, systemClock.now());
  const spec = await loadService(args.dir, {
    ...(args.configFile !== undefined && { configFile: args.configFile }),
    ...(args.stage !== undefined && { stage: args.stage }),
    options: {}, params: {},
  });
  const fn = spec.functions[args.function] ?? Object.values(spec.functions).find((f) => f.name === args.function);
  if (fn === undefined) {
    throw new GannetError('GANNET_USAGE', `function "${args.function}" is not in ${spec.file}; functions: ${Object.keys(spec.functions).join(', ') || '(none)'}`);
  }
  const store = await openStore({ dir: args.dataDir ?? join(spec.dir, '.gannet', spec.stage), clock: systemClock });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  if (args.tail && args.signal === undefined) { process.once('SIGINT', onSignal); process.once('SIGTERM', onSignal); }
  try {
    await printLogs(
      { store, clock: systemClock, write: args.write ?? ((line) => process.stdout.write(line + '\n')) },
      {
        functionName: fn.name, tail: args.tail ?? false, signal: args.signal ?? stop.signal,
        ...(since !== undefined && { since }), ...(args.filter !== undefined && { filter: args.filter }),
      },
    );
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
}
