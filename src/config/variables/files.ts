// Reading the target of `${file(...)}`: YAML (with CloudFormation tags) and JSON as data, JS/TS
// modules through import() (their export may be a function the resolver calls), anything else as
// text (a PEM key, a template). Missing files read as "no value" so a fallback can apply.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { parseYaml } from '../yaml.ts';
import { importFresh } from './modules.ts';

/** A file that exists but cannot be loaded; the caller names the property that asked for it. */
export class FileLoadError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

export type LoadedFile = { found: false } | { found: true; content: unknown; module: boolean };

const MODULE_EXTENSIONS = new Set(['.js', '.cjs', '.mjs', '.ts', '.mts', '.cts']);

export async function loadVariableFile(file: string): Promise<LoadedFile> {
  const ext = path.extname(file).toLowerCase();
  if (MODULE_EXTENSIONS.has(ext)) {
    let content: unknown;
    try {
      content = await importFresh(file);
    } catch (err) {
      if (isMissingModule(err, file)) return { found: false };
      throw new FileLoadError(`cannot load ${path.basename(file)}: ${errorText(err)}`, err);
    }
    return { found: true, content, module: true };
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { found: false };
    throw new FileLoadError(`cannot read ${path.basename(file)}: ${errorText(err)}`, err);
  }
  if (ext === '.yml' || ext === '.yaml') return { found: true, content: parseYaml(text, file).value, module: false };
  if (ext === '.json' || ext === '.tfstate') {
    try {
      return { found: true, content: JSON.parse(text), module: false };
    } catch (err) {
      // The YAML parser reads JSON too and knows line and column of the fault.
      parseYaml(text, file);
      throw new ConfigError({ file, reason: `invalid JSON: ${errorText(err)}`, cause: err });
    }
  }
  return { found: true, content: text, module: false };
}

function isMissingModule(err: unknown, file: string): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return (err as NodeJS.ErrnoException).path === file;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Only the file itself being absent counts; a missing dependency inside it is a real error.
  return String((err as Error).message).includes(file);
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
