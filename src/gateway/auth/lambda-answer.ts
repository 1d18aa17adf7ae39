// Reads what a Lambda authorizer returned: the IAM-policy shape (REST, and HTTP API without simple
// responses) or the simple {isAuthorized, context} shape. AWS's rule for errors: the exact message
// "Unauthorized" means 401, anything else is an authorizer configuration error.
import type { InvokeResult } from '../../invoke/types.ts';
import type { AuthorizerResult } from '../types.ts';
import { parsePolicyDocument } from './policy.ts';

export type LambdaAnswer = { kind: 'result'; result: AuthorizerResult } | { kind: 'unauthorized' } | { kind: 'invalid'; reason: string };

function errorMessage(payload: Buffer): string | undefined {
  try {
    const v = JSON.parse(payload.toString('utf8')) as { errorMessage?: unknown };
    return typeof v?.errorMessage === 'string' ? v.errorMessage : undefined;
  } catch { return undefined; }
}

/** A context may only hold strings, numbers and booleans (objects/arrays make the answer invalid). */
function validContext(v: unknown): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return undefined;
  for (const x of Object.values(v)) if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') return undefined;
  return v as Record<string, unknown>;
}

export function readLambdaAnswer(inv: InvokeResult, simple: boolean): LambdaAnswer {
  if (inv.status === 'handled-error' || inv.status === 'unhandled-error') {
    const msg = errorMessage(inv.payload);
    return msg === 'Unauthorized' ? { kind: 'unauthorized' } : { kind: 'invalid', reason: `the authorizer failed: ${msg ?? 'no error message'}` };
  }
  if (inv.status !== 'ok') return { kind: 'invalid', reason: `the authorizer invocation ended ${inv.status}` };
  let v: unknown;
  try { v = JSON.parse(inv.payload.toString('utf8')); } catch { return { kind: 'invalid', reason: 'the authorizer returned something that is not JSON' }; }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { kind: 'invalid', reason: 'the authorizer returned no object' };
  const o = v as Record<string, unknown>;
  if (simple) {
    if (typeof o.isAuthorized !== 'boolean') return { kind: 'invalid', reason: 'the simple response has no boolean isAuthorized' };
    const ctx = o.context === undefined || o.context === null ? {} : typeof o.context === 'object' && !Array.isArray(o.context) ? o.context as Record<string, unknown> : undefined;
    if (!ctx) return { kind: 'invalid', reason: 'context must be an object' };
    return { kind: 'result', result: { isAuthorized: o.isAuthorized, context: ctx } };
  }
  const policy = parsePolicyDocument(o.policyDocument);
  if (!policy) return { kind: 'invalid', reason: 'policyDocument is missing or malformed (Statement with Effect, Action and Resource)' };
  if (typeof o.principalId !== 'string' && typeof o.principalId !== 'number') return { kind: 'invalid', reason: 'principalId is missing' };
  const ctx = validContext(o.context);
  if (!ctx) return { kind: 'invalid', reason: 'context values must be strings, numbers or booleans' };
  return { kind: 'result', result: { principalId: String(o.principalId), policy, context: ctx } };
}
