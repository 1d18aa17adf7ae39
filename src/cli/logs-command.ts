// `gannet logs`: argument parsing only; the body is runLogs (logs.ts).
import type { ParsedArgs } from './args.ts';
import { commonArgs } from './args.ts';
import { GannetError } from '../shared/errors.ts';
import { runLogs } from './logs.ts';

export async function logsCommand(parsed: ParsedArgs, positionals: string[]): Promise<number> {
  const v = parsed.values;
  const args = commonArgs(parsed, positionals);
  if (!v.function) throw new GannetError('GANNET_USAGE', 'gannet logs needs the function: -f NAME');
  return runLogs({
    dir: args.dir, function: v.function,
    ...(v.tail !== undefined && { tail: v.tail }),
    ...(v.filter !== undefined && { filter: v.filter }),
    ...(v.since !== undefined && { since: v.since }),
    ...(args.stage !== undefined && { stage: args.stage }),
    ...(args.configFile !== undefined && { configFile: args.configFile }),
    ...(v['data-dir'] !== undefined && { dataDir: v['data-dir'] }),
  });
}
