// SNS subscription filter policies: which published messages a subscription receives. Keys are
// message attribute names (scope MessageAttributes) or paths into a JSON body (scope MessageBody);
// all keys must match (AND), any condition of a key may match (OR), `$or` joins whole sub-policies.
// Conditions: exact strings/numbers/null/booleans, prefix, suffix, equals-ignore-case, anything-but,
// numeric ranges, exists, cidr and wildcard, as AWS documents them.

export type FilterAttribute = { DataType: string; StringValue?: string; BinaryValue?: string };
export type FilterScope = 'MessageAttributes' | 'MessageBody';
export type FilterableMessage = { attributes: Record<string, FilterAttribute>; body: string };

type Policy = Record<string, unknown>;

/** Undefined when the policy is well-formed, else what is wrong with it (for InvalidParameter). */
export function validateFilterPolicy(text: string): string | undefined {
  let policy: unknown;
  try { policy = JSON.parse(text); } catch { return 'the filter policy is not valid JSON'; }
  if (!isObject(policy)) return 'the filter policy must be a JSON object';
  return validatePolicy(policy, '');
}

function validatePolicy(policy: Policy, path: string): string | undefined {
  for (const [key, value] of Object.entries(policy)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) return `"$or" at ${at} must list at least two policies`;
      for (const sub of value) { const p = validatePolicy(sub as Policy, path); if (p) return p; }
    } else if (Array.isArray(value)) {
      if (value.length === 0) return `"${at}" lists no conditions`;
      for (const c of value) { const p = validateCondition(c, at); if (p) return p; }
    } else if (isObject(value)) {
      const p = validatePolicy(value, at);
      if (p) return p;
    } else {
      return `"${at}" must be an array of conditions`;
    }
  }
  return undefined;
}

function validateCondition(c: unknown, at: string): string | undefined {
  if (c === null || typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean') return undefined;
  if (!isObject(c) || Object.keys(c).length !== 1) return `a condition of "${at}" must be a value or an object with one operator`;
  const [op, operand] = Object.entries(c)[0]!;
  switch (op) {
    case 'prefix': case 'suffix': case 'equals-ignore-case': case 'wildcard': case 'cidr':
      return typeof operand === 'string' ? undefined : `"${op}" in "${at}" takes a string`;
    case 'exists':
      return typeof operand === 'boolean' ? undefined : `"exists" in "${at}" takes true or false`;
    case 'numeric':
      return numericProblem(operand, at);
    case 'anything-but': {
      if (isObject(operand)) return validateCondition(operand, at);
      const values = Array.isArray(operand) ? operand : [operand];
      return values.every((v) => typeof v === 'string' || typeof v === 'number') ? undefined
        : `"anything-but" in "${at}" takes strings, numbers, or a prefix/suffix object`;
    }
    default:
      return `unknown operator "${op}" in "${at}"`;
  }
}

const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

function numericProblem(operand: unknown, at: string): string | undefined {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    return `"numeric" in "${at}" takes [op, number] or [op, number, op, number]`;
  }
  for (let i = 0; i < operand.length; i += 2) {
    if (!NUMERIC_OPS.has(operand[i]) || typeof operand[i + 1] !== 'number') return `"numeric" in "${at}" has a bad operator or value`;
  }
  return undefined;
}

/** Whether a message passes a subscription's filter policy (no policy: every message does). */
export function filterPolicyMatches(policyText: string | undefined, scope: FilterScope | undefined, msg: FilterableMessage): boolean {
  if (!policyText) return true;
  let policy: unknown;
  try { policy = JSON.parse(policyText); } catch { return false; }
  if (!isObject(policy)) return false;
  if (scope === 'MessageBody') {
    let body: unknown;
    try { body = JSON.parse(msg.body); } catch { return false; } // a non-JSON body never matches a body policy
    return matchesBody(policy, body);
  }
  return matchesAttributes(policy, msg.attributes);
}

function matchesAttributes(policy: Policy, attrs: Record<string, FilterAttribute>): boolean {
  return Object.entries(policy).every(([key, conds]) => {
    if (key === '$or') return (conds as Policy[]).some((p) => matchesAttributes(p, attrs));
    if (!Array.isArray(conds)) return false; // nested keys only mean something in body scope
    return conds.some((c) => matchesCondition(c, attributeValues(attrs[key])));
  });
}

/** An attribute's values as filter policies see them; Binary attributes are not filterable. */
function attributeValues(a: FilterAttribute | undefined): unknown[] | undefined {
  if (!a || a.StringValue === undefined) return undefined;
  const type = a.DataType.split('.')[0];
  if (a.DataType === 'String.Array') {
    try {
      const parsed: unknown = JSON.parse(a.StringValue);
      return Array.isArray(parsed) ? parsed : undefined;
    } catch { return undefined; }
  }
  if (type === 'Number') return [Number(a.StringValue)];
  if (type === 'String') return [a.StringValue];
  return undefined;
}

function matchesBody(policy: Policy, value: unknown): boolean {
  return Object.entries(policy).every(([key, conds]) => {
    if (key === '$or') return (conds as Policy[]).some((p) => matchesBody(p, value));
    const objects = Array.isArray(value) ? value : [value];
    if (isObject(conds)) return objects.some((o) => isObject(o) && matchesBody(conds, o[key]));
    const present = objects.filter((o) => isObject(o) && key in o).map((o) => (o as Policy)[key]);
    const values = present.length === 0 ? undefined : present.flatMap((v) => Array.isArray(v) ? v : [v]);
    return (conds as unknown[]).some((c) => matchesCondition(c, values));
  });
}

/** `values` is undefined when the key is absent (only `exists: false` matches then). */
function matchesCondition(c: unknown, values: unknown[] | undefined): boolean {
  if (!isObject(c)) return values !== undefined && values.some((v) => v === c);
  const [op, operand] = Object.entries(c)[0]!;
  if (op === 'exists') return operand === (values !== undefined);
  if (values === undefined) return false;
  switch (op) {
    case 'prefix': return values.some((v) => typeof v === 'string' && v.startsWith(operand as string));
    case 'suffix': return values.some((v) => typeof v === 'string' && v.endsWith(operand as string));
    case 'equals-ignore-case': return values.some((v) => typeof v === 'string' && v.toLowerCase() === (operand as string).toLowerCase());
    case 'wildcard': return values.some((v) => typeof v === 'string' && wildcard(operand as string).test(v));
    case 'cidr': return values.some((v) => typeof v === 'string' && inCidr(v, operand as string));
    case 'numeric': return values.some((v) => typeof v === 'number' && numericMatches(operand as unknown[], v));
    case 'anything-but': {
      const excluded = (v: unknown) => isObject(operand) ? matchesCondition(operand, [v])
        : (Array.isArray(operand) ? operand : [operand]).some((x) => x === v);
      return values.every((v) => !excluded(v));
    }
    default: return false;
  }
}

function numericMatches(spec: unknown[], v: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const n = spec[i + 1] as number;
    const ok = spec[i] === '=' ? v === n : spec[i] === '<' ? v < n : spec[i] === '<=' ? v <= n : spec[i] === '>' ? v > n : v >= n;
    if (!ok) return false;
  }
  return true;
}

function wildcard(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText ?? 32);
  const a = ipv4(ip);
  const b = ipv4(base ?? '');
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) < 256)) return undefined;
  return parts.reduce((n, p) => (n * 256) + Number(p), 0);
}

function isObject(v: unknown): v is Policy {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
