// `gannet logs`: being wired to the modules as they land.
import type { ParsedArgs } from './args.ts';
import { GannetError } from '../shared/errors.ts';

export async function logsCommand(_parsed: ParsedArgs, _positionals: string[]): Promise<number> {
  throw new GannetError('GANNET_NOT_READY', 'gannet logs is not wired yet');
}
