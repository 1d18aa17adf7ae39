// `gannet invoke`: one function, once, as `serverless invoke local` does but with Lambda's runtime.
// The result goes to stdout as JSON, the function's logs to stderr; a function error exits 1.
import { readFile } from 'node:fs/promises';
import type { ParsedArgs } from './args.ts';
import { commonArgs, keyValues, type CommonArgs } from './args.ts';
import { GannetError } from '../shared/errors.ts';
import { stderrLogger } from '../shared/log.ts';
import { startServiceHost, type ServiceHost } from '../host/index.ts';
import { loadService } from '../config/index.ts';
import type { InvokeResult } from '../invoke/types.ts';
import { listenForInterrupt, signalExitCode } from './signals.ts';
import { scheduleRules, fireRule } from '../events/schedules.ts';

export async function invokeCommand(parsed: ParsedArgs, positionals: string[]): Promise<number> {
  const v = parsed.values;
  const args = commonArgs(parsed, positionals);
  if (!v.function) throw new GannetError('GANNET_USAGE', `gannet invoke needs the function: -f NAME${await functionList(args)}`);
  const payload = await eventPayload(v.data, v.path);
  const log = stderrLogger({ debug: v.debug ?? false });
  // Ctrl-C stops the instance too (one stuck in a loop would not notice that gannet is gone).
  const interrupt = listenForInterrupt((signal) => process.exit(signalExitCode(signal)));
  try {
    const host = await startServiceHost({
      ...args, log, env: keyValues(v.env, '-e'), spares: 0, schedules: false, asyncWorker: false,
      ...(v['data-dir'] !== undefined && { dataDir: v['data-dir'] }),
      onFunctionLog: (line) => process.stderr.write(line + '\n'),
    });
    try {
      const invoked = invokeOnce(host, v.function, payload, v.schedule ?? false);
      const outcome = await Promise.race([invoked, interrupt.received]);
      if (typeof outcome === 'string') {
        invoked.catch(() => { /* ended by the interrupt */ });
        process.stderr.write(`${outcome}: stopping the function\n`);
        return signalExitCode(outcome);
      }
      process.stdout.write(prettyJson(outcome.payload) + '\n');
      return outcome.status === 'ok' ? 0 : 1;
    } finally {
      await host.close();
    }
  } finally {
    interrupt.dispose();
  }
}

async function invokeOnce(host: ServiceHost, name: string, payload: Buffer, schedule: boolean): Promise<InvokeResult> {
  const spec = host.spec();
  const fn = spec.functions[name] ?? Object.values(spec.functions).find((f) => f.name === name);
  if (!fn) {
    throw new GannetError('GANNET_USAGE', `function "${name}" is not in ${spec.file}; functions: ${Object.keys(spec.functions).join(', ') || '(none)'}`);
  }
  let result: InvokeResult;
  if (schedule) {
    // The first enabled rule, else the first: a disabled schedule can still be tried by hand.
    const rules = scheduleRules(spec).filter((r) => r.fn.key === fn.key);
    const rule = rules.find((r) => r.event.enabled) ?? rules[0];
    if (!rule) throw new GannetError('GANNET_USAGE', `function "${fn.key}" has no schedule event`);
    result = await fireRule(rule, spec, host.invoker, Date.now(), 'sync');
  } else {
    result = await host.invoker.invoke(fn.name, payload, { mode: 'sync', trigger: { kind: 'cli' } });
  }
  if (result.status === 'throttled') throw new GannetError('GANNET_THROTTLED', `function "${fn.key}" is throttled (reservedConcurrency ${fn.reservedConcurrency})`);
  return result;
}

/** `; functions in FILE: a, b` for a usage error, when the service loads (its own error otherwise). */
async function functionList(args: CommonArgs): Promise<string> {
  const spec = await loadService(args.dir, {
    ...(args.configFile !== undefined && { configFile: args.configFile }),
    ...(args.stage !== undefined && { stage: args.stage }),
    ...(args.region !== undefined && { region: args.region }),
    options: args.options, params: args.params,
  });
  return `\nfunctions in ${spec.file}: ${Object.keys(spec.functions).join(', ') || '(none)'}`;
}

async function eventPayload(data: string | undefined, path: string | undefined): Promise<Buffer> {
  if (data !== undefined && path !== undefined) throw new GannetError('GANNET_USAGE', 'give the event with -d or -p, not both');
  const text = path !== undefined ? await readFile(path, 'utf8').catch((err: Error) => {
    throw new GannetError('GANNET_USAGE', `cannot read the event file ${path}: ${err.message}`);
  }) : data ?? '{}';
  try {
    JSON.parse(text);
  } catch (err) {
    throw new GannetError('GANNET_USAGE', `the event ${path ?? '(-d)'} is not valid JSON: ${(err as Error).message}`);
  }
  return Buffer.from(text);
}

function prettyJson(payload: Buffer): string {
  const text = payload.toString('utf8');
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}
