// The policy of a browser-based upload (POST Object): a base64 JSON document with an expiration and
// conditions every form field must meet. Checked as S3 checks it, with S3's AccessDenied messages.
// Signatures are the endpoint's business (it verifies them where it knows the secret).
import { AwsXmlError } from '../protocol/rest-xml.ts';
import { invalidArgument } from './errors.ts';

/** Fields a policy need not mention (AWS: signature, file and policy, plus x-ignore-* names). */
const UNCONDITIONED = new Set(['policy', 'file', 'x-amz-signature', 'signature', 'awsaccesskeyid']);

export type PostPolicy = {
  expiration: number;
  conditions: PolicyCondition[];
};

type PolicyCondition =
  | { kind: 'eq' | 'starts-with'; field: string; value: string; text: string }
  | { kind: 'content-length-range'; min: number; max: number; text: string };

const denied = (why: string) => new AwsXmlError('AccessDenied', 403, `Invalid according to Policy: ${why}`);

/** Decodes the `policy` form field; malformed documents are S3's InvalidPolicyDocument. */
export function parsePostPolicy(base64: string): PostPolicy {
  const malformed = (why: string) => new AwsXmlError('InvalidPolicyDocument', 400, `Invalid Policy: ${why}`);
  let doc: { expiration?: unknown; conditions?: unknown };
  try {
    doc = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as typeof doc;
  } catch {
    throw malformed('Invalid JSON.');
  }
  const expiration = typeof doc.expiration === 'string' ? Date.parse(doc.expiration) : NaN;
  if (Number.isNaN(expiration)) throw malformed('Invalid \'expiration\' value.');
  if (!Array.isArray(doc.conditions)) throw malformed('Policy missing conditions.');
  const conditions = doc.conditions.map((c: unknown): PolicyCondition => {
    const text = JSON.stringify(c);
    if (Array.isArray(c)) {
      const [op, a, b] = c as unknown[];
      const name = String(op).toLowerCase();
      if (name === 'content-length-range') return { kind: name, min: Number(a), max: Number(b), text };
      if ((name === 'eq' || name === 'starts-with') && typeof a === 'string' && a.startsWith('$') && typeof b === 'string') {
        return { kind: name, field: a.slice(1).toLowerCase(), value: b, text };
      }
      throw malformed(`Invalid condition: ${text}`);
    }
    if (c !== null && typeof c === 'object' && Object.keys(c).length === 1) {
      const [field, value] = Object.entries(c)[0]!;
      if (typeof value === 'string') return { kind: 'eq', field: field.toLowerCase(), value, text };
    }
    throw malformed(`Invalid condition: ${text}`);
  });
  return { expiration, conditions };
}

/**
 * Checks the form fields (names lower-cased, the bucket included as `bucket`) against the policy:
 * not expired, every condition met, and no field the policy does not mention. The length range is
 * returned for the caller to enforce while the file streams.
 */
export function checkPostPolicy(policy: PostPolicy, fields: Map<string, string>, now: number): { min: number; max: number } | undefined {
  if (now > policy.expiration) throw denied('Policy expired.');
  const covered = new Set<string>(['bucket']);
  let range: { min: number; max: number } | undefined;
  for (const c of policy.conditions) {
    if (c.kind === 'content-length-range') { range = { min: c.min, max: c.max }; continue; }
    covered.add(c.field);
    const actual = fields.get(c.field) ?? '';
    const ok = c.kind === 'eq' ? actual === c.value
      // A Content-Type condition applies to each of a comma-separated list of types.
      : c.field === 'content-type' ? actual.split(',').every((t) => t.trim().startsWith(c.value)) : actual.startsWith(c.value);
    if (!ok) throw denied(`Policy Condition failed: ${c.text}`);
  }
  const extra = [...fields.keys()].filter((f) => !covered.has(f) && !UNCONDITIONED.has(f) && !f.startsWith('x-ignore-'));
  if (extra.length > 0) throw denied(`Extra input fields: ${extra.join(', ')}`);
  return range;
}

/** `success_action_status`: 200 and 201 as asked, anything else 204 (S3's default). */
export function successStatus(value: string | undefined): 200 | 201 | 204 {
  return value === '200' ? 200 : value === '201' ? 201 : 204;
}

/** The key field, with `${filename}` replaced by the uploaded file's name as S3 does. */
export function postObjectKey(fields: Map<string, string>, filename: string | undefined): string {
  const key = fields.get('key');
  if (key === undefined || key === '') throw invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", 'key', '');
  return key.replaceAll('${filename}', filename ?? '');
}
