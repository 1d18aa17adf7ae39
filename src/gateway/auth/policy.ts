// IAM policy evaluation for Lambda authorizer answers: a statement applies when its Action matches
// execute-api:Invoke and one of its Resources matches the method ARN (`*` and `?` wildcards);
// an explicit Deny wins, otherwise one Allow is needed.
import type { PolicyStatement } from '../types.ts';

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

// Compiled once when an answer is parsed; cached answers are evaluated many times.
function wildcard(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}

export function evaluatePolicy(statements: PolicyStatement[], arn: string): PolicyDecision {
  let allowed = false;
  for (const s of statements) {
    if (!s.actions.some((a) => a.test('execute-api:Invoke')) || !s.resources.some((r) => r.test(arn))) continue;
    if (s.effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/**
 * Reads `policyDocument.Statement` (an object or an array; Action/Resource strings or arrays).
 * Returns undefined when the document is malformed, which API Gateway treats as an authorizer
 * configuration error (500).
 */
export function parsePolicyDocument(doc: unknown): PolicyStatement[] | undefined {
  if (!doc || typeof doc !== 'object') return undefined;
  const raw = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : undefined;
  if (!list) return undefined;
  const out: PolicyStatement[] = [];
  for (const st of list) {
    if (!st || typeof st !== 'object') return undefined;
    const { Effect, Action, Resource } = st as { Effect?: unknown; Action?: unknown; Resource?: unknown };
    const effect = typeof Effect === 'string' ? Effect.toLowerCase() : '';
    if (effect !== 'allow' && effect !== 'deny') return undefined;
    const actions = stringList(Action);
    const resources = stringList(Resource);
    if (!actions || !resources) return undefined;
    out.push({
      effect: effect === 'allow' ? 'Allow' : 'Deny',
      actions: actions.map((a) => wildcard(a, true)),
      resources: resources.map((r) => wildcard(r, false)),
    });
  }
  return out;
}

function stringList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

/** arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path without leading slash> */
export function executeApiArn(region: string, accountId: string, apiId: string, stage: string, method: string, path: string): string {
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${method}/${path.startsWith('/') ? path.slice(1) : path}`;
}
