// The Serverless Framework v3 variable syntax: `${type(params):address, fallback, 'literal'}` inside
// any string, nested freely (`${self:custom.${sls:stage}.url}`). `${` not followed by a lower-case
// source type and `:`/`(` (e.g. `${AWS::Region}`, `${Bucket.Arn}`, `${!Literal}`) is not a variable:
// those belong to CloudFormation's Fn::Sub and are left as text. A backslash escapes the next char.

/** A string that may itself contain variables (an address or a parameter). */
export type Template = { text: string; vars: VariableRef[] | null };

export type SourceRef =
  | { kind: 'source'; type: string; params?: (Template | { literal: unknown })[]; address?: Template }
  | { kind: 'literal'; value: unknown };

export type VariableRef = {
  /** Offsets of `${` and one past `}` in the string the variable was found in. */
  start: number;
  end: number;
  text: string;
  sources: SourceRef[];
};

export class VariableSyntaxError extends Error {
  index: number;
  constructor(message: string, index: number) {
    super(message);
    this.index = index;
  }
}

const TYPE_START = /[a-z]/;
const TYPE_CHAR = /[a-zA-Z0-9.]/;
const FALLBACK_TYPE = /^[a-z][a-zA-Z0-9]*$/;

/** Variables found in `s`, or null when it has none. Throws VariableSyntaxError on malformed ones. */
export function parseVariables(s: string): VariableRef[] | null {
  const vars = new Parser(s).scan(0, null).vars;
  return vars.length > 0 ? vars : null;
}

class Parser {
  private readonly s: string;
  constructor(s: string) {
    this.s = s;
  }

  /**
   * Scan from `pos` collecting variables until one of `stop` is met outside any brace
   * (or the end when `stop` is null). Foreign `${...}` blocks are stepped over as text.
   */
  scan(pos: number, stop: string | null): { vars: VariableRef[]; end: number } {
    const s = this.s;
    const vars: VariableRef[] = [];
    let depth = 0; // braces of foreign `${...}` blocks, so their `}` and `,` do not stop us
    let i = pos;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '\\') { i += 2; continue; }
      if (c === '$' && s[i + 1] === '{') {
        const v = this.variable(i);
        if (v) { vars.push(v); i = v.end; continue; }
        depth++;
        i += 2;
        continue;
      }
      if (depth > 0 && c === '}') { depth--; i++; continue; }
      if (depth === 0 && stop !== null && stop.includes(c)) return { vars, end: i };
      i++;
    }
    if (stop !== null) throw new VariableSyntaxError(`missing closing "}" in "${s}"`, pos);
    return { vars, end: i };
  }

  /** A variable starting at `start` (`${`), or null when it is a CloudFormation-style `${...}`. */
  private variable(start: number): VariableRef | null {
    const s = this.s;
    let i = start + 2;
    if (!TYPE_START.test(s[i] ?? '')) return null;
    const typeStart = i;
    while (i < s.length && TYPE_CHAR.test(s[i]!)) i++;
    if (s[i] !== ':' && s[i] !== '(') return null;
    const first = this.source(s.slice(typeStart, i), i);
    if (!first) return null;
    const sources: SourceRef[] = [first.ref];
    i = first.end;
    for (;;) {
      i = this.skipSpaces(i);
      const c = s[i];
      if (c === undefined) throw new VariableSyntaxError(`missing closing "}" in "${s}"`, start);
      if (c === '}') break;
      if (c !== ',') throw new VariableSyntaxError(`unexpected "${c}" at index ${i} in "${s}"`, i);
      const next = this.fallback(this.skipSpaces(i + 1));
      sources.push(next.ref);
      i = next.end;
      if (next.ref.kind === 'literal') {
        i = this.skipSpaces(i);
        if (s[i] !== '}') {
          throw new VariableSyntaxError(`a literal fallback must come last, at index ${i} in "${s}"`, i);
        }
        break;
      }
    }
    return { start, end: i + 1, text: s.slice(start, i + 1), sources };
  }

  /** Source after its type: `(params)` and/or `:address`. Returns null for `${aws::...}`-like text. */
  private source(type: string, pos: number): { ref: SourceRef; end: number } | null {
    const s = this.s;
    const ref: SourceRef & { kind: 'source' } = { kind: 'source', type };
    let i = pos;
    if (s[i] === '(') {
      ref.params = [];
      i++;
      for (;;) {
        i = this.skipSpaces(i);
        const c = s[i];
        if (c === undefined) throw new VariableSyntaxError(`missing ")" in "${s}"`, pos);
        if (c === ')') { i++; break; }
        if (c === ',') { ref.params.push({ literal: null }); i++; continue; }
        let param: Template | { literal: unknown };
        if (c === '"' || c === "'") {
          const str = this.quoted(i);
          param = { literal: str.value };
          i = this.skipSpaces(str.end);
        } else {
          const raw = this.raw(i, ',)');
          param = raw.vars ? { text: raw.text, vars: raw.vars } : { literal: literalOrText(raw.text) };
          i = raw.end;
        }
        ref.params.push(param);
        if (s[i] === ',') { i++; continue; }
        if (s[i] === ')') { i++; break; }
        throw new VariableSyntaxError(`invalid parameter at index ${i} in "${s}"`, i);
      }
      i = this.skipSpaces(i);
      if (s[i] !== ':') return { ref, end: i };
    }
    // s[i] === ':'
    i++;
    const a = this.skipSpaces(i);
    const c = s[a];
    if (c === ':' && !ref.params) return null; // `${aws::x}` reads as CloudFormation text
    if (c === '}' || c === ',') return { ref, end: a };
    if (c === '"' || c === "'") {
      const str = this.quoted(a);
      ref.address = { text: String(str.value), vars: null };
      return { ref, end: str.end };
    }
    const raw = this.raw(a, ',}');
    ref.address = { text: raw.text, vars: raw.vars };
    return { ref, end: raw.end };
  }

  /** A fallback: another source (`self:x`, `env:Y`, `file(...)`) or a literal. */
  private fallback(pos: number): { ref: SourceRef; end: number } {
    const s = this.s;
    const c = s[pos];
    if (c === '"' || c === "'") {
      const str = this.quoted(pos);
      return { ref: { kind: 'literal', value: str.value }, end: str.end };
    }
    let i = pos;
    while (i < s.length && (TYPE_CHAR.test(s[i]!) || s[i] === ' ')) i++;
    const token = s.slice(pos, i).trim();
    if (!token) throw new VariableSyntaxError(`invalid fallback at index ${pos} in "${s}"`, pos);
    if (s[i] === ':' || s[i] === '(') {
      if (!FALLBACK_TYPE.test(token)) throw new VariableSyntaxError(`invalid variable source "${token}" in "${s}"`, pos);
      const src = this.source(token, i);
      if (!src) throw new VariableSyntaxError(`invalid variable source "${token}" in "${s}"`, pos);
      return src;
    }
    const lit = literal(token);
    if (lit === undefined) {
      throw new VariableSyntaxError(
        `invalid fallback "${token}" in "${s}": quote strings ('${token}'), or use a source like env:${token}`, pos);
    }
    return { ref: { kind: 'literal', value: lit }, end: i };
  }

  /** Unquoted text up to one of `stop`, trimmed, with nested variables offset into the trimmed text. */
  private raw(pos: number, stop: string): Template & { end: number } {
    const { vars, end } = this.scan(pos, stop);
    const untrimmed = this.s.slice(pos, end);
    const lead = untrimmed.length - untrimmed.trimStart().length;
    const text = untrimmed.trim();
    const shifted = vars.map((v) => ({ ...v, start: v.start - pos - lead, end: v.end - pos - lead }));
    return { text, vars: shifted.length > 0 ? shifted : null, end };
  }

  private quoted(pos: number): { value: unknown; end: number } {
    const s = this.s;
    const q = s[pos];
    let i = pos + 1;
    while (i < s.length && s[i] !== q) i += q === '"' && s[i] === '\\' ? 2 : 1;
    if (i >= s.length) throw new VariableSyntaxError(`unterminated string at index ${pos} in "${s}"`, pos);
    const body = s.slice(pos, i + 1);
    if (q === "'") return { value: body.slice(1, -1), end: i + 1 };
    try {
      return { value: JSON.parse(body), end: i + 1 };
    } catch {
      throw new VariableSyntaxError(`invalid string ${body} in "${s}"`, pos);
    }
  }

  private skipSpaces(i: number): number {
    while (this.s[i] === ' ') i++;
    return i;
  }
}

function literal(token: string): unknown {
  if (token === 'true') return true;
  if (token === 'false') return false;
  if (token === 'null') return null;
  if (token !== '' && !Number.isNaN(Number(token))) return Number(token);
  return undefined;
}

/** Unquoted parameters: `file(./x.yml)` is the text `./x.yml`; `strToBool(true)` is `true`. */
function literalOrText(token: string): unknown {
  const v = literal(token);
  return v === undefined ? token : v;
}
