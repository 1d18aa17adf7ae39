// Errors and warnings about a service's configuration, each able to say file:line:column, the key
// path and what was expected, with a short code frame so the user sees the offending line.

import path from 'node:path';
import { GannetError } from '../shared/errors.ts';

export type Position = { line: number; column: number };

export type ConfigErrorInit = {
  file: string;
  line?: number;
  column?: number;
  /** Human key path, e.g. `functions.hello.timeout`. */
  path?: string;
  /** What a valid value looks like, e.g. `a number of seconds (1-900)`. */
  expected?: string;
  /** The value found, shown after `got` when `expected` is given. */
  got?: unknown;
  /** Free-form reason when there is no `expected` (syntax error, cycle, missing file). */
  reason?: string;
  /** One to three source lines with a caret, prepared by whoever had the source text. */
  frame?: string;
  cause?: unknown;
};

export class ConfigError extends GannetError {
  file: string;
  line?: number;
  column?: number;
  path?: string;
  expected?: string;
  got?: unknown;
  reason?: string;
  frame?: string;

  constructor(init: ConfigErrorInit) {
    super('GANNET_CONFIG', headline(init, undefined), { cause: init.cause });
    this.name = 'ConfigError';
    this.file = init.file;
    if (init.line !== undefined) this.line = init.line;
    if (init.column !== undefined) this.column = init.column;
    if (init.path !== undefined) this.path = init.path;
    if (init.expected !== undefined) this.expected = init.expected;
    if ('got' in init) this.got = init.got;
    if (init.reason !== undefined) this.reason = init.reason;
    if (init.frame !== undefined) this.frame = init.frame;
  }

  /** One screen for the CLI: `file:line:col: path: expected X, got Y` plus the code frame. */
  format(opts: { cwd?: string } = {}): string {
    const head = headline(this, opts.cwd ?? process.cwd());
    return this.frame ? `${head}\n${this.frame}` : head;
  }
}

function headline(e: ConfigErrorInit, cwd: string | undefined): string {
  let where = cwd === undefined ? e.file : displayPath(e.file, cwd);
  if (e.line !== undefined) where += `:${e.line}${e.column !== undefined ? `:${e.column}` : ''}`;
  const parts = [where];
  if (e.path) parts.push(e.path);
  let what = '';
  if (e.expected !== undefined) {
    what = `expected ${e.expected}`;
    if ('got' in e) what += `, got ${describeValue(e.got)}`;
    if (e.reason) what += ` (${e.reason})`;
  } else {
    what = e.reason ?? 'invalid configuration';
  }
  parts.push(what);
  return parts.join(': ');
}

/** A file name as the user typed it: relative to the working folder when inside it. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') {
    const keys = Object.keys(v as object);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) return `an intrinsic (${keys[0]})`;
    return 'a map';
  }
  return typeof v;
}

/** The source line of `pos` with one line of context above and a caret under the column. */
export function codeFrame(text: string, pos: Position): string {
  const lines = text.split(/\r?\n/);
  const idx = pos.line - 1;
  if (idx < 0 || idx >= lines.length) return '';
  const from = Math.max(0, idx - 1);
  const width = String(idx + 1).length;
  const out: string[] = [];
  for (let i = from; i <= idx; i++) {
    const marker = i === idx ? '>' : ' ';
    out.push(`${marker} ${String(i + 1).padStart(width)} | ${lines[i]}`);
  }
  out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, pos.column - 1))}^`);
  return out.join('\n');
}
