// Turns what a caller names (name, name:qualifier, partial or full ARN) into a deployed function,
// with Lambda's errors for unknown functions and qualifiers.
import type { ResolvedFunction } from '../pool/types.ts';
import { GannetError } from '../shared/errors.ts';
import type { InvokerContext } from './context.ts';

export const LATEST = '$LATEST';

export type FunctionRef = { base: string; name: string; qualifier?: string };

/** Splits a qualifier off `name:q`, `account:function:name:q` or `arn:aws:lambda:region:account:function:name:q`. */
export function parseFunctionRef(ref: string): FunctionRef {
  const parts = ref.split(':');
  let nameIndex: number;
  if (parts[0] === 'arn') nameIndex = 6;
  else if (parts.length >= 3 && parts[1] === 'function') nameIndex = 2;
  else nameIndex = 0;
  const name = parts[nameIndex] ?? ref;
  const base = parts.slice(0, nameIndex + 1).join(':');
  const qualifier = parts.length > nameIndex + 1 ? parts.slice(nameIndex + 1).join(':') : undefined;
  return qualifier === undefined ? { base, name } : { base, name, qualifier };
}

export type Resolved = { fn: ResolvedFunction; qualifier: string | undefined };

/** The function and the qualifier it was invoked with; only `$LATEST` exists until versions do. */
export function resolveFunction(ctx: InvokerContext, ref: string, optQualifier: string | undefined): Resolved {
  const parsed = parseFunctionRef(ref);
  let qualifier = parsed.qualifier;
  if (optQualifier !== undefined && optQualifier !== '') {
    if (qualifier !== undefined && qualifier !== optQualifier) {
      throw new GannetError('GANNET_QUALIFIER_MISMATCH',
        'The derived qualifier from the function name does not match the specified qualifier.',
        { awsCode: 'InvalidParameterValueException', status: 400 });
    }
    qualifier = optQualifier;
  }
  const fn = ctx.functions.resolve(parsed.base);
  if (fn === undefined || (qualifier !== undefined && qualifier !== LATEST)) {
    const arn = parsed.base.startsWith('arn:') ? parsed.base : fn?.arn ?? unknownArn(ctx, parsed);
    throw new GannetError('GANNET_FUNCTION_NOT_FOUND',
      `Function not found: ${qualifier === undefined ? arn : `${arn}:${qualifier}`}`,
      { awsCode: 'ResourceNotFoundException', status: 404 });
  }
  return { fn, qualifier };
}

function unknownArn(ctx: InvokerContext, ref: FunctionRef): string {
  const account = ref.base.includes(':function:') ? ref.base.split(':')[0] : ctx.accountId ?? '000000000000';
  return `arn:aws:lambda:${ctx.region ?? 'us-east-1'}:${account}:function:${ref.name}`;
}
