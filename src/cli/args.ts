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
type OptionName = keyof typeof optionTable;

const COMMON: OptionName[] = ['config', 'stage', 'region', 'param', 'debug', 'help', 'version'];
/** Which options each command takes; another command's option is an error, not silently ignored. */
const commandOptions: Record<string, OptionName[]> = {
  dev: [...COMMON, 'port', 'host', 'aws-port', 'no-stage-prefix', 'no-schedules', 'no-watch', 'retry-delay-scale', 'data-dir', 'spares'],
  invoke: [...COMMON, 'function', 'data', 'path', 'env', 'schedule', 'data-dir'],
  logs: [...COMMON, 'function', 'tail', 'filter', 'since', 'data-dir'],
};

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: optionTable, allowPositionals: true, strict: true });
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  // The command decides which options are valid and which help to point to.
  const command = parseArgs({ args: argv, options: optionTable, allowPositionals: true, strict: false }).positionals[0];
  const helpHint = command !== undefined && command in commandOptions ? `gannet help ${command}` : 'gannet --help';
  let parsed: ParsedArgs;
  try {
    parsed = parse(argv);
  } catch (err) {
    const e = err as Error & { code?: string };
    const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'([^']+)'/.exec(e.message)?.[1] : undefined;
    const missing = /^Option '(.+?) <value>' argument missing/.exec(e.message)?.[1];
    const what = unknown !== undefined ? `unknown option ${unknown}`
      : missing !== undefined ? `${missing} needs a value` : e.message.replace(/^.*?: /, '');
    throw new GannetError('GANNET_USAGE', `${what}\nRun \`${helpHint}\` for the options.`);
  }
  const allowed = command === undefined ? undefined : commandOptions[command];
  if (allowed !== undefined) {
    for (const name of Object.keys(parsed.values) as OptionName[]) {
      if (!allowed.includes(name)) throw new GannetError('GANNET_USAGE', `gannet ${command} does not take --${name}\nRun \`${helpHint}\` for the options.`);
    }
  }
  return parsed;
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
