// CloudFormation intrinsic functions evaluated against an IntrinsicTable: what Ref and Fn::GetAtt
// return for each logical id, plus pseudo parameters, Conditions, Mappings and exports.

import { GannetError } from '../shared/errors.ts';

export interface IntrinsicTable {
  /** What `Ref` returns for a logical id, or undefined when the id is unknown. */
  ref(logicalId: string): string | undefined;
  /** What `Fn::GetAtt [id, attr]` returns, or undefined when unknown. */
  getAtt(logicalId: string, attr: string): string | undefined;
  /** Pseudo parameters `AWS::Region`, `AWS::AccountId`, `AWS::StackName`. */
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  /** `resources.Conditions`, for Fn::If and Condition references. */
  readonly conditions?: Record<string, unknown>;
  /** `resources.Mappings`, for Fn::FindInMap. */
  readonly mappings?: Record<string, unknown>;
  /** Exports of other stacks, for Fn::ImportValue. */
  importValue?(exportName: string): string | undefined;
  /** The resource type of a logical id, when known: lets errors say "a AWS::RDS::DBCluster" rather than "no resource". */
  typeOf?(logicalId: string): string | undefined;
}

/** An intrinsic that cannot be evaluated: unknown logical id, attribute, condition or export. */
export class IntrinsicError extends GannetError {
  /** The intrinsic that failed, in its long form, e.g. `{Ref: 'JobsQueue'}`. */
  intrinsic: unknown;
  constructor(message: string, intrinsic: unknown) {
    super('GANNET_INTRINSIC', message);
    this.name = 'IntrinsicError';
    this.intrinsic = intrinsic;
  }
}

export type ResolveIntrinsicsOptions = {
  /** 'throw' (default): an unresolvable intrinsic throws IntrinsicError; 'keep': it is left as is. */
  onUnresolved?: 'throw' | 'keep';
};

const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
type Value = unknown;

export function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

/**
 * `value` with every intrinsic evaluated. `AWS::NoValue` removes the map key or list item holding
 * it; a whole value of `AWS::NoValue` gives undefined.
 */
export function resolveIntrinsics(value: unknown, table: IntrinsicTable, opts: ResolveIntrinsicsOptions = {}): unknown {
  const ev = new Evaluator(table, opts.onUnresolved === 'keep');
  const out = ev.value(value);
  return out === NO_VALUE ? undefined : out;
}

class Evaluator {
  private readonly t: IntrinsicTable;
  private readonly keep: boolean;
  private readonly conditionStack: string[] = [];

  constructor(t: IntrinsicTable, keep: boolean) {
    this.t = t;
    this.keep = keep;
  }

  value(v: Value): Value | typeof NO_VALUE {
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const item of v) {
        const x = this.child(item);
        if (x !== NO_VALUE) out.push(x);
      }
      return out;
    }
    if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 1 && isIntrinsicKey(keys[0]!)) return this.intrinsic(keys[0]!, (v as Record<string, unknown>)[keys[0]!], v);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const r = this.child(x);
        if (r !== NO_VALUE) out[k] = r;
      }
      return out;
    }
    return v;
  }

  /** In 'keep' mode an unresolvable intrinsic stays as written, in the smallest enclosing spot. */
  private child(v: Value): Value | typeof NO_VALUE {
    if (!this.keep) return this.value(v);
    try {
      return this.value(v);
    } catch (err) {
      if (err instanceof IntrinsicError) return v;
      throw err;
    }
  }

  private intrinsic(fn: string, arg: unknown, whole: unknown): Value | typeof NO_VALUE {
    switch (fn) {
      case 'Ref': return this.ref(this.str(arg, whole), whole);
      case 'Fn::GetAtt': return this.getAtt(arg, whole);
      case 'Fn::Sub': return this.sub(arg, whole);
      case 'Fn::Join': {
        const [delim, list] = this.pair(arg, whole);
        const items = this.list(list, whole).map((x) => this.scalarText(x, whole));
        return items.join(this.str(delim, whole));
      }
      case 'Fn::Select': {
        const [index, list] = this.pair(arg, whole);
        const items = this.list(list, whole);
        const i = Number(this.value(index));
        if (!Number.isInteger(i) || i < 0 || i >= items.length) throw this.fail(`Fn::Select index ${String(index)} is out of range (0-${items.length - 1})`, whole);
        return items[i];
      }
      case 'Fn::Split': {
        const [delim, s] = this.pair(arg, whole);
        return this.str(s, whole).split(this.str(delim, whole));
      }
      case 'Fn::If': {
        const args = this.args(arg, 3, whole);
        return this.condition(this.str(args[0], whole), whole) ? this.value(args[1]) : this.value(args[2]);
      }
      case 'Fn::Equals': case 'Fn::Not': case 'Fn::And': case 'Fn::Or':
        return this.conditionExpr({ [fn]: arg }, whole);
      case 'Fn::ImportValue': {
        const name = this.str(arg, whole);
        const v = this.t.importValue?.(name);
        if (v === undefined) throw this.fail(`Fn::ImportValue ${name}: no stack exports "${name}"`, whole);
        return v;
      }
      case 'Fn::Base64': return Buffer.from(this.str(arg, whole)).toString('base64');
      case 'Fn::GetAZs': {
        const region = this.str(arg ?? '', whole) || this.t.region;
        return ['a', 'b', 'c'].map((z) => `${region}${z}`);
      }
      case 'Fn::FindInMap': return this.findInMap(arg, whole);
      case 'Fn::Cidr': {
        const [block, count, bits] = this.args(arg, 3, whole).map((x) => this.value(x));
        return cidrs(String(block), Number(count), Number(bits), () => this.fail(`Fn::Cidr cannot split ${String(block)}`, whole));
      }
      case 'Fn::Length': return this.list(arg, whole).length;
      case 'Fn::ToJsonString': return JSON.stringify(this.value(arg));
      default: throw this.fail(`${fn} is not a CloudFormation intrinsic Gannet evaluates`, whole);
    }
  }

  private ref(id: string, whole: unknown): Value | typeof NO_VALUE {
    switch (id) {
      case 'AWS::NoValue': return NO_VALUE;
      case 'AWS::Region': return this.t.region;
      case 'AWS::AccountId': return this.t.accountId;
      case 'AWS::StackName': return this.t.stackName;
      case 'AWS::StackId': return `arn:aws:cloudformation:${this.t.region}:${this.t.accountId}:stack/${this.t.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::NotificationARNs': return [];
    }
    const v = this.t.ref(id);
    if (v === undefined) throw this.fail(`Ref ${id}: ${this.unknown(id, 'what Ref returns for')}`, whole);
    return v;
  }

  private getAtt(arg: unknown, whole: unknown): string {
    let id: string;
    let attr: string;
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      if (dot < 0) throw this.fail(`Fn::GetAtt ${arg}: expected LogicalId.Attribute`, whole);
      id = arg.slice(0, dot);
      attr = arg.slice(dot + 1);
    } else {
      const args = this.args(arg, 2, whole);
      id = this.str(args[0], whole);
      attr = this.str(args[1], whole);
    }
    const v = this.t.getAtt(id, attr);
    if (v === undefined) {
      const known = this.t.ref(id) !== undefined;
      throw this.fail(known
        ? `Fn::GetAtt ${id}.${attr}: ${id} has no attribute ${attr} Gannet knows`
        : `Fn::GetAtt ${id}.${attr}: ${this.unknown(id, 'the attributes of')}`, whole);
    }
    return v;
  }

  private sub(arg: unknown, whole: unknown): string {
    let template: string;
    let vars: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      template = this.str(arg[0], whole);
      const v = this.value(arg[1] ?? {});
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw this.fail('Fn::Sub variables must be a map', whole);
      vars = v as Record<string, unknown>;
    } else {
      template = this.str(arg, whole);
    }
    return template.replace(/\$\{([^}]*)\}/g, (_m, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      const key = name.trim();
      if (key in vars) return this.scalarText(vars[key], whole);
      if (key.startsWith('AWS::')) {
        const v = this.ref(key, whole);
        return v === NO_VALUE ? '' : this.scalarText(v, whole);
      }
      const dot = key.indexOf('.');
      if (dot >= 0) return this.getAtt([key.slice(0, dot), key.slice(dot + 1)], whole);
      return this.scalarText(this.ref(key, whole), whole);
    });
  }

  private findInMap(arg: unknown, whole: unknown): Value {
    const [map, top, second] = this.args(arg, 3, whole).map((x) => this.str(x, whole));
    const m = this.t.mappings?.[map!] as Record<string, Record<string, unknown>> | undefined;
    const v = m?.[top!]?.[second!];
    if (v === undefined) throw this.fail(`Fn::FindInMap ${map}.${top}.${second}: no such mapping`, whole);
    return this.value(v);
  }

  private condition(name: string, whole: unknown): boolean {
    const expr = this.t.conditions?.[name];
    if (expr === undefined) throw this.fail(`condition ${name} is not declared in resources.Conditions`, whole);
    if (this.conditionStack.includes(name)) throw this.fail(`condition ${name} refers to itself (${[...this.conditionStack, name].join(' → ')})`, whole);
    this.conditionStack.push(name);
    try {
      return this.conditionExpr(expr, whole);
    } finally {
      this.conditionStack.pop();
    }
  }

  private conditionExpr(expr: unknown, whole: unknown): boolean {
    if (typeof expr === 'boolean') return expr;
    if (expr === 'true' || expr === 'false') return expr === 'true';
    if (expr !== null && typeof expr === 'object' && !Array.isArray(expr)) {
      const [fn, arg] = Object.entries(expr)[0] ?? [];
      if (fn === 'Condition') return this.condition(this.str(arg, whole), whole);
      if (fn === 'Fn::Equals') {
        const [a, b] = this.args(arg, 2, whole).map((x) => this.value(x));
        return comparable(a) === comparable(b);
      }
      if (fn === 'Fn::Not') return !this.conditionExpr(this.args(arg, 1, whole)[0], whole);
      if (fn === 'Fn::And') return this.list(arg, whole, false).every((c) => this.conditionExpr(c, whole));
      if (fn === 'Fn::Or') return this.list(arg, whole, false).some((c) => this.conditionExpr(c, whole));
      if (fn === 'Fn::If') return this.conditionExpr(this.value(expr), whole);
    }
    throw this.fail(`not a condition: ${JSON.stringify(expr)}`, whole);
  }

  private args(arg: unknown, n: number, whole: unknown): unknown[] {
    if (!Array.isArray(arg) || arg.length < n) throw this.fail(`expected a list of ${n} arguments in ${JSON.stringify(whole)}`, whole);
    return arg;
  }

  private pair(arg: unknown, whole: unknown): [unknown, unknown] {
    const a = this.args(arg, 2, whole);
    return [a[0], a[1]];
  }

  /** A list argument, which may itself be an intrinsic that yields a list. */
  private list(arg: unknown, whole: unknown, evaluate = true): unknown[] {
    const v = evaluate ? this.value(arg) : arg;
    if (!Array.isArray(v)) throw this.fail(`expected a list in ${JSON.stringify(whole)}`, whole);
    return v;
  }

  private str(arg: unknown, whole: unknown): string {
    const v = this.value(arg);
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw this.fail(`expected a string in ${JSON.stringify(whole)}`, whole);
  }

  private scalarText(v: unknown, whole: unknown): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw this.fail(`expected text, got ${JSON.stringify(v)} in ${JSON.stringify(whole)}`, whole);
  }

  private unknown(id: string, what: string): string {
    const type = this.t.typeOf?.(id);
    return type ? `Gannet does not know ${what} ${type} (${id})` : `no resource with logical id ${id}`;
  }

  private fail(message: string, whole: unknown): IntrinsicError {
    return new IntrinsicError(message, whole);
  }
}

/** CloudFormation compares values as text: `1` equals `'1'`. */
function comparable(v: unknown): string {
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** Fn::Cidr: `count` IPv4 subnets of `bits` host bits carved from `block` in order. */
function cidrs(block: string, count: number, bits: number, fail: () => Error): string[] {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(block);
  if (!m || !Number.isInteger(count) || !Number.isInteger(bits) || count < 1) throw fail();
  const base = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const prefix = Number(m[5]);
  const newPrefix = 32 - bits;
  if (newPrefix < prefix || newPrefix > 32 || count > 2 ** (newPrefix - prefix)) throw fail();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const addr = base + i * 2 ** bits;
    out.push(`${[24, 16, 8, 0].map((s) => Math.floor(addr / 2 ** s) % 256).join('.')}/${newPrefix}`);
  }
  return out;
}
