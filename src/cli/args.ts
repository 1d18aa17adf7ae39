// Command-line parsing for every `gannet` command: one table of options, node:util's parseArgs.
import { parseArgs } from 'node:util';
import { GannetError } from '../shared/errors.ts';

export type CommonArgs = {
  dir: string;
  configFile?: string;
  stage?: string;
  region?: string;
  params: Record<string, string>;
  /** Every option given, for `${opt:…}` in serverless.yml. */
  options: Record<string, string | boolean>;
};

const optionTable = {
  config: { type: 'string', short: 'c' },
  stage: { type: 'string', short: 's' },
  region: { type: 'string', short: 'r' },
  param: { type: 'string', multiple: true },
  function: { type: 'string', short: 'f' },
  data: { type: 'string', short: 'd' },
  path: { type: 'string', short: 'p' },
  env: { type: 'string', short: 'e', multiple: true },
  port: { type: 'string' },
  host: { type: 'string' },
  'aws-port': { type: 'string' },
  'no-stage-prefix': { type: 'boolean' },
  'no-schedules': { type: 'boolean' },
  'no-watch': { type: 'boolean' },
  'retry-delay-scale': { type: 'string' },
  'data-dir': { type: 'string' },
  schedule: { type: 'boolean' },
  tail: { type: 'boolean', short: 't' },
  filter: { type: 'string' },
  since: { type: 'string' },
  spares: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export type ParsedArgs = ReturnType<typeof parse>;

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: optionTable, allowPositionals: true, strict: true });
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  try {
    return parse(argv);
  } catch (err) {
    throw new GannetError('GANNET_USAGE', `${(err as Error).message.replace(/^.*?: /, '')}\nRun \`gannet --help\` for the options.`);
  }
}

/** `k=v` pairs (from --param or -e) into a map; a pair without `=` is a usage error naming it. */
export function keyValues(pairs: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new GannetError('GANNET_USAGE', `${flag} expects KEY=VALUE, got "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

export function commonArgs(parsed: ParsedArgs, positionals: string[]): CommonArgs {
  const v = parsed.values;
  const options: Record<string, string | boolean> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string' || typeof val === 'boolean') options[k] = val;
  }
  const args: CommonArgs = { dir: positionals[0] ?? '.', params: keyValues(v.param, '--param'), options };
  if (v.config !== undefined) args.configFile = v.config;
  if (v.stage !== undefined) args.stage = v.stage;
  if (v.region !== undefined) args.region = v.region;
  return args;
}

export function portOption(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new GannetError('GANNET_USAGE', `${flag} expects a port number (0-65535), got "${value}"`);
  return n;
}
