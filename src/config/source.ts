// Where each key and value of a config file sits, so any error or warning can name file:line:column
// for a key path. Values created later (by variables) fall back to their nearest located ancestor.

import type { ConfigWarning } from './types.ts';
import { ConfigError, codeFrame, displayPath, type ConfigErrorInit, type Position } from './errors.ts';

export type KeyPath = readonly (string | number)[];

type Location = { key?: Position; value: Position };

export class SourceFile {
  readonly file: string;
  readonly text: string | undefined;
  private readonly locations = new Map<string, Location>();
  /** Paths that were moved after parsing (a list of function maps merged into one map). */
  private readonly aliases = new Map<string, KeyPath>();

  constructor(file: string, text?: string) {
    this.file = file;
    this.text = text;
  }

  record(path: KeyPath, loc: Location): void {
    const k = pathKey(path);
    if (!this.locations.has(k)) this.locations.set(k, loc);
  }

  /** Let `path` (and everything under it) be located where `original` was written. */
  alias(path: KeyPath, original: KeyPath): void {
    this.aliases.set(pathKey(path), original);
  }

  /**
   * Position of `path`: its key (where a reader looks for "functions.hello.timeout") or its value
   * (where a variable or a bad scalar sits). Unknown paths use the nearest recorded ancestor.
   */
  locate(path: KeyPath, prefer: 'key' | 'value' = 'key'): Position | undefined {
    for (let n = path.length; n > 0 && this.aliases.size > 0; n--) {
      const original = this.aliases.get(pathKey(path.slice(0, n)));
      if (original) return this.locate([...original, ...path.slice(n)], prefer);
    }
    for (let n = path.length; n >= 0; n--) {
      const loc = this.locations.get(pathKey(path.slice(0, n)));
      if (!loc) continue;
      if (n < path.length) return loc.key ?? loc.value;
      return prefer === 'key' ? (loc.key ?? loc.value) : loc.value;
    }
    return undefined;
  }

  error(path: KeyPath, init: Omit<ConfigErrorInit, 'file'>, prefer: 'key' | 'value' = 'key'): ConfigError {
    const pos = this.locate(path, prefer);
    const full: ConfigErrorInit = { file: this.file, path: humanPath(path), ...init };
    if (full.path === '') delete full.path;
    if (pos) {
      full.line = pos.line;
      full.column = pos.column;
      if (this.text !== undefined) full.frame = codeFrame(this.text, pos);
    }
    return new ConfigError(full);
  }

  warning(path: KeyPath, message: string, prefer: 'key' | 'value' = 'key'): ConfigWarning {
    const pos = this.locate(path, prefer);
    const w: ConfigWarning = { message, file: this.file };
    if (pos) { w.line = pos.line; w.column = pos.column; }
    const p = humanPath(path);
    if (p) w.path = p;
    return w;
  }
}

export function pathKey(path: KeyPath): string {
  return path.join('\u0000');
}

/** `functions.hello.events[0].http` */
export function humanPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** `file:line:col: path: message` for logs, the file relative to `cwd` when inside it. */
export function formatWarning(w: ConfigWarning, opts: { cwd?: string } = {}): string {
  let where = displayPath(w.file, opts.cwd ?? process.cwd());
  if (w.line !== undefined) where += `:${w.line}${w.column !== undefined ? `:${w.column}` : ''}`;
  return w.path ? `${where}: ${w.path}: ${w.message}` : `${where}: ${w.message}`;
}
