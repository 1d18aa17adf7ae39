// The `gannet` command: parse the command line, run one command, turn errors into one clear
// message and an exit code (1 for errors, 2 for usage) with no stack trace.
import { readFileSync } from 'node:fs';
import { GannetError } from '../shared/errors.ts';
import { parseCommandLine, commonArgs, type ParsedArgs } from './args.ts';
import { commandHelp, mainHelp } from './help.ts';

type Command = (parsed: ParsedArgs, positionals: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  dev: async () => (await import('./dev.ts')).devCommand,
  invoke: async () => (await import('./invoke.ts')).invokeCommand,
  logs: async () => (await import('./logs-command.ts')).logsCommand,
};

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<void> {
  let code: number;
  try {
    code = await run(argv);
  } catch (err) {
    code = reportError(err);
  }
  process.exitCode = code;
}

async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  const [name, ...positionals] = parsed.positionals;
  if (parsed.values.version) { process.stdout.write(`gannet ${version()}\n`); return 0; }
  if (name === 'help') return printHelp(positionals[0]);
  if (name === undefined || parsed.values.help) return printHelp(name);
  const load = commands[name];
  if (!load) throw new GannetError('GANNET_USAGE', `unknown command "${name}"\n\n${mainHelp}`);
  return (await load())(parsed, positionals);
}

function printHelp(name: string | undefined): number {
  if (name === undefined) { process.stdout.write(mainHelp + '\n'); return 0; }
  const text = commandHelp[name];
  if (!text) throw new GannetError('GANNET_USAGE', `no command "${name}"; commands: ${Object.keys(commandHelp).join(', ')}`);
  process.stdout.write(text + '\n');
  return 0;
}

function reportError(err: unknown): number {
  if (err instanceof GannetError) {
    const formatted = typeof (err as { format?: () => string }).format === 'function'
      ? (err as unknown as { format(): string }).format() : err.message;
    process.stderr.write(`gannet: ${formatted}\n`);
    return err.code === 'GANNET_USAGE' ? 2 : 1;
  }
  process.stderr.write(`gannet: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}

export { commonArgs };
