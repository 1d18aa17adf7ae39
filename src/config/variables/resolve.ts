// Resolves every `${...}` variable in a parsed config, in place, the way the Serverless Framework v3
// does: a whole-value variable keeps its type, variables inside text become text, values that
// resolve to more variables are resolved in turn, `self:` references wait for their target.
// Resolution is depth-first and sequential so the chain of properties in progress is exact, which
// is what names a cycle (`self:a → self:b → self:a`).

import { describeValue } from '../errors.ts';
import { pathKey, type KeyPath, type SourceFile } from '../source.ts';
import { parseVariables, VariableSyntaxError, type Template, type VariableRef } from './parse.ts';
import { resolveSource, type SourceContext, type SourceResult } from './sources.ts';

export type VariableOptions = {
  serviceDir: string;
  source: SourceFile;
  /** CLI options (`--stage`, `--region`, any other); `${opt:x}` reads them. */
  options: Record<string, string | boolean>;
  params: Record<string, string>;
  env: NodeJS.ProcessEnv;
  instanceId: string;
};

const MAX_NEST_DEPTH = 10;

type Pending = { path: KeyPath; vars: VariableRef[] };

export async function resolveVariables(config: Record<string, unknown>, opts: VariableOptions): Promise<void> {
  const r = new Resolver(config, opts);
  await r.resolveAll();
  stripEscapes(config);
}

class Resolver implements SourceContext {
  readonly root: Record<string, unknown>;
  readonly opts: VariableOptions;
  private readonly pending = new Map<string, Pending>();
  private readonly chain: string[] = [];
  private readonly chainPaths: KeyPath[] = [];
  readonly fileCache = new Map<string, Promise<unknown>>();

  constructor(root: Record<string, unknown>, opts: VariableOptions) {
    this.root = root;
    this.opts = opts;
    this.register(root, []);
  }

  async resolveAll(): Promise<void> {
    for (const [key, p] of [...this.pending]) {
      if (this.pending.has(key)) await this.resolveProperty(p.path);
    }
  }

  /** Find strings with variables under `value` (at `path`) and note them as pending. */
  private register(value: unknown, path: KeyPath): void {
    if (typeof value === 'string') {
      const vars = this.parse(value, path);
      if (vars) this.pending.set(pathKey(path), { path, vars });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => this.register(v, [...path, i]));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) this.register(v, [...path, k]);
    }
  }

  private parse(text: string, path: KeyPath): VariableRef[] | null {
    try {
      return parseVariables(text);
    } catch (err) {
      if (!(err instanceof VariableSyntaxError)) throw err;
      throw this.opts.source.error(path, { reason: `invalid variable syntax: ${err.message}` }, 'value');
    }
  }

  async resolveProperty(path: KeyPath): Promise<void> {
    const key = pathKey(path);
    const entry = this.pending.get(key);
    if (!entry) return;
    const at = this.chain.indexOf(key);
    if (at >= 0) {
      const names = [...this.chainPaths.slice(at), path].map((p) => `self:${dotted(p)}`);
      const first = this.chainPaths[at]!;
      throw this.opts.source.error(first, { reason: `circular variable reference: ${names.join(' → ')}` }, 'value');
    }
    this.chain.push(key);
    this.chainPaths.push(path);
    try {
      let vars = entry.vars;
      for (let depth = 0; ; depth++) {
        const text = getAt(this.root, path) as string;
        const result = await this.resolveTemplate({ text, vars }, path);
        setAt(this.root, path, result.value);
        if (typeof result.value === 'string' && !result.joined) {
          const again = this.parse(result.value, path);
          if (again) {
            if (depth >= MAX_NEST_DEPTH) {
              throw this.opts.source.error(path, {
                reason: `variables keep resolving to more variables (over ${MAX_NEST_DEPTH} levels); last value ${describeValue(result.value)}`,
              }, 'value');
            }
            vars = again;
            continue;
          }
        }
        break;
      }
      this.pending.delete(key);
      // An object or list from a file or `self:` may carry variables of its own.
      const value = getAt(this.root, path);
      if (value !== null && typeof value === 'object') {
        const before = new Set(this.pending.keys());
        this.register(value, path);
        for (const [k, p] of [...this.pending]) {
          if (!before.has(k) && this.pending.has(k)) await this.resolveProperty(p.path);
        }
      }
    } finally {
      this.chain.pop();
      this.chainPaths.pop();
    }
  }

  /** A string with variables into its value: the variable's own value when it is the whole string. */
  async resolveTemplate(t: Template, path: KeyPath): Promise<{ value: unknown; joined: boolean }> {
    if (!t.vars) return { value: t.text, joined: false };
    const values: unknown[] = [];
    for (const v of t.vars) values.push(await this.resolveVariable(v, path));
    const only = t.vars[0]!;
    if (t.vars.length === 1 && only.start === 0 && only.end === t.text.length) return { value: values[0], joined: false };
    let out = '';
    let last = 0;
    t.vars.forEach((v, i) => {
      const val = values[i];
      if (typeof val !== 'string' && typeof val !== 'number' && typeof val !== 'boolean') {
        throw this.opts.source.error(path, {
          reason: `${v.text} resolved to ${describeValue(val)}, which cannot be part of the text ${JSON.stringify(t.text)}`,
        }, 'value');
      }
      out += t.text.slice(last, v.start) + String(val);
      last = v.end;
    });
    return { value: out + t.text.slice(last), joined: true };
  }

  /** First source (then each fallback) that yields a value. */
  async resolveVariable(v: VariableRef, path: KeyPath): Promise<unknown> {
    const misses: SourceResult[] = [];
    for (let i = 0; i < v.sources.length; i++) {
      const src = v.sources[i]!;
      if (src.kind === 'literal') return src.value;
      const params: unknown[] = [];
      for (const p of src.params ?? []) {
        params.push('literal' in p ? p.literal : (await this.resolveTemplate(p, path)).value);
      }
      let address: string | undefined;
      if (src.address) {
        const a = (await this.resolveTemplate(src.address, path)).value;
        address = a == null ? undefined : String(a);
      }
      const hasFallback = i < v.sources.length - 1;
      const res = await resolveSource(this, { type: src.type, params, address, path, hasFallback });
      if (res.value !== null && res.value !== undefined) return normalize(res.value);
      misses.push(res);
    }
    const reasons = misses.map((m) => m.missing).filter(Boolean);
    const hint = misses.at(-1)?.hint;
    throw this.opts.source.error(path, {
      reason: `cannot resolve ${v.text}: ${reasons.join('; ')}${hint ? `. ${hint}` : ''}`,
    }, 'value');
  }

  /** `${self:a.b}`: the value at a key path, resolving what it depends on first. */
  async resolveSelf(keys: string[]): Promise<unknown> {
    if (keys.length === 0) return this.wholeConfig();
    let cur: unknown = this.root;
    for (let i = 0; i < keys.length; i++) {
      const prefix = keys.slice(0, i + 1);
      if (this.pending.has(pathKey(prefix))) await this.resolveProperty(prefix);
      cur = getAt(this.root, prefix);
      if (cur === null || cur === undefined) return null;
    }
    if (typeof cur === 'object') {
      const inside = pathKey(keys) + '\u0000';
      for (const [k, p] of [...this.pending]) {
        if (k.startsWith(inside) && this.pending.has(k)) await this.resolveProperty(p.path);
      }
      cur = getAt(this.root, keys);
    }
    return normalize(cur);
  }

  /**
   * `${self:}`: the whole config. Properties still being resolved (the one asking included) cannot
   * be part of it, so they are left out rather than reported as a cycle.
   */
  private async wholeConfig(): Promise<unknown> {
    const busy = new Set(this.chain);
    for (const [k, p] of [...this.pending]) {
      if (!busy.has(k) && this.pending.has(k) && !this.chain.some((c) => k.startsWith(c + '\u0000'))) {
        await this.resolveProperty(p.path);
      }
    }
    const copy = normalize(this.root) as Record<string, unknown>;
    for (const p of this.chainPaths) deleteAt(copy, p);
    return copy;
  }

  /** `resolveVariable('opt:stage, "dev"')` as JS config files call it. */
  async resolveVariableText(text: string, path: KeyPath): Promise<unknown> {
    const wrapped = `\${${text}}`;
    const vars = this.parse(wrapped, path);
    if (!vars || vars.length !== 1 || vars[0]!.end !== wrapped.length) {
      throw this.opts.source.error(path, { reason: `resolveVariable: "${text}" is not a variable` }, 'value');
    }
    return this.resolveVariable(vars[0]!, path);
  }
}

function dotted(path: KeyPath): string {
  return path.map(String).join('.');
}

export function getAt(root: unknown, path: KeyPath): unknown {
  let cur: unknown = root;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k as string];
  }
  return cur;
}

function setAt(root: unknown, path: KeyPath, value: unknown): void {
  const parent = getAt(root, path.slice(0, -1)) as Record<string, unknown>;
  parent[path.at(-1) as string] = value;
}

function deleteAt(root: unknown, path: KeyPath): void {
  const parent = getAt(root, path.slice(0, -1));
  if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[path.at(-1) as string];
}

/** Values as JSON would carry them (the framework's rule): no functions, no undefined, no sharing. */
function normalize(v: unknown): unknown {
  if (v === undefined) return null;
  return JSON.parse(JSON.stringify(v)) as unknown;
}

/** `\${...}` in the file means the literal `${...}`; drop the backslash now that resolution is over. */
function stripEscapes(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (typeof v === 'string') value[i] = v.replaceAll('\\${', '${');
      else stripEscapes(v);
    });
  } else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v === 'string') obj[k] = v.replaceAll('\\${', '${');
      else stripEscapes(v);
    }
  }
}

