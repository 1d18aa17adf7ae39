// The AWS JSON 1.0 protocol: `X-Amz-Target: <Prefix>.<Operation>` with a JSON body; errors carry
// `__type` and, for services that used to speak query, `x-amzn-query-error: <code>;<fault>`.
import type { ServiceError } from './service-error.ts';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** The operation named by `X-Amz-Target`, or undefined when the target is not this service's. */
export function jsonOperation(target: string | undefined, prefix: string): string | undefined {
  if (!target || !target.startsWith(prefix + '.')) return undefined;
  return target.slice(prefix.length + 1);
}

/** Parses the body; an empty body is `{}` (some SDKs send nothing for input-less operations). */
export function decodeJsonInput(body: string): Record<string, unknown> | undefined {
  if (body.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

export function encodeJsonResult(result: unknown): string {
  return JSON.stringify(result ?? {});
}

export function encodeJsonError(err: ServiceError, namespace: string): { body: string; headers: Record<string, string> } {
  return {
    body: JSON.stringify({ __type: `${namespace}#${err.awsCode}`, message: err.message }),
    headers: { 'x-amzn-query-error': `${err.queryCode};${err.fault}` },
  };
}
