// Typed reads of config values that fail with a located ConfigError (file:line:col, key path, what
// was expected) and collect located warnings. Every validator goes through one Reader.

import type { ConfigWarning } from '../types.ts';
import type { ConfigError } from '../errors.ts';
import type { KeyPath, SourceFile } from '../source.ts';

export type Obj = Record<string, unknown>;

export class Reader {
  readonly source: SourceFile;
  readonly warnings: ConfigWarning[];

  constructor(source: SourceFile, warnings: ConfigWarning[]) {
    this.source = source;
    this.warnings = warnings;
  }

  fail(path: KeyPath, expected: string, got: unknown): ConfigError {
    return this.source.error(path, { expected, got });
  }

  failReason(path: KeyPath, reason: string): ConfigError {
    return this.source.error(path, { reason });
  }

  /** Adds a warning once: the provider's settings are checked for every function. */
  warn(path: KeyPath, message: string): void {
    const w = this.source.warning(path, message);
    if (!this.warnings.some((x) => x.path === w.path && x.message === w.message)) this.warnings.push(w);
  }

  isMap(v: unknown): v is Obj {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  /** A map, or `{}` when absent/null. */
  map(path: KeyPath, v: unknown, expected = 'a map of keys'): Obj {
    if (v === undefined || v === null) return {};
    if (!this.isMap(v)) throw this.fail(path, expected, v);
    return v;
  }

  list(path: KeyPath, v: unknown, expected = 'a list'): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.fail(path, expected, v);
    return v;
  }

  /** A string; numbers and booleans are accepted as their text (YAML `name: 123`). */
  string(path: KeyPath, v: unknown, expected = 'a string'): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw this.fail(path, expected, v);
  }

  requiredString(path: KeyPath, v: unknown, expected = 'a string'): string {
    const s = this.string(path, v, expected);
    if (s === undefined || s === '') throw this.fail(path, expected, v);
    return s;
  }

  /** An integer in [min, max]; numeric strings (from variables) count as numbers. */
  int(path: KeyPath, v: unknown, min: number, max: number, expected: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw this.fail(path, expected, v);
    return n;
  }

  bool(path: KeyPath, v: unknown, dflt: boolean): boolean {
    if (v === undefined || v === null) return dflt;
    if (typeof v === 'boolean') return v;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw this.fail(path, 'true or false', v);
  }

  /** One warning per key that is neither honoured nor known to be irrelevant when running locally. */
  unknownKeys(path: KeyPath, obj: Obj, known: ReadonlySet<string>, what: string): void {
    for (const key of Object.keys(obj)) {
      if (!known.has(key)) this.warn([...path, key], `unknown ${what} key "${key}" is ignored`);
    }
  }
}
