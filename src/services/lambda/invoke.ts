// Lambda's Invoke (aws-compat §3.1): validate as Lambda does, hand the event to the invoker in the
// mode the invocation type asks for, and turn the InvokeResult into Invoke's output members.
import type { FunctionSpec } from '../../config/types.ts';
import type { InvokeResult } from '../../invoke/types.ts';
import type { ServiceEnv } from '../types.ts';
import { functionArn, parseArn, parseFunctionRef } from '../identifiers.ts';
import {
  asyncPayloadTooLarge, functionNotFound, invalidClientContext, invalidParameterValue, invalidRequestContent, tooManyRequests, validationError,
} from './errors.ts';
import { MAX_ASYNC_PAYLOAD_BYTES } from './routes.ts';

export type InvokeInput = {
  FunctionName: string;
  Qualifier?: string;
  InvocationType?: string;
  LogType?: string;
  ClientContext?: string;
  Payload: Buffer;
};

export type InvokeOutput = {
  StatusCode: number;
  FunctionError?: string;
  LogResult?: string;
  ExecutedVersion?: string;
  Payload: Buffer;
};

export const LATEST = '$LATEST';
const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'];
const LOG_TYPES = ['None', 'Tail'];
/** Lambda's limit on the decoded X-Amz-Client-Context. */
export const MAX_CLIENT_CONTEXT_BYTES = 3583;
const EMPTY = Buffer.alloc(0);
const EMPTY_EVENT = Buffer.from('{}');
const FUNCTION_NAME_PATTERN = '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';

export type Resolved = { fn: FunctionSpec; qualifier: string | undefined };

/** Finds the function a FunctionName (+ Qualifier) names, with Lambda's errors for each way it can fail. */
export function resolveFunction(env: ServiceEnv, functionName: string, queryQualifier: string | undefined): Resolved {
  const ref = parseFunctionRef(functionName);
  if (ref === undefined || functionName.length > 170) {
    throw validationError(functionName, 'functionName', `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`);
  }
  let qualifier = ref.qualifier;
  if (queryQualifier !== undefined && queryQualifier !== '') {
    if (qualifier !== undefined && qualifier !== queryQualifier) {
      throw invalidParameterValue('The derived qualifier from the function name does not match the specified qualifier.');
    }
    qualifier = queryQualifier;
  }
  const fn = env.functions.find(functionName);
  // Gannet serves the code of serverless.yml as $LATEST; published versions and aliases do not exist.
  if (fn === undefined || (qualifier !== undefined && qualifier !== LATEST)) {
    const base = fn !== undefined ? env.functions.arnOf(fn) : unknownFunctionArn(env, functionName, ref.name);
    throw functionNotFound(qualifier === undefined ? base : `${base}:${qualifier}`);
  }
  return { fn, qualifier };
}

function unknownFunctionArn(env: ServiceEnv, given: string, name: string): string {
  const arn = given.startsWith('arn:') ? parseArn(given) : undefined;
  const ref = parseFunctionRef(given);
  return functionArn(arn?.region || env.region, ref?.account ?? env.accountId, name);
}

export async function invoke(env: ServiceEnv, input: InvokeInput, setRequestId: (id: string) => void): Promise<InvokeOutput> {
  const type = input.InvocationType ?? 'RequestResponse';
  if (!INVOCATION_TYPES.includes(type)) {
    throw validationError(type, 'invocationType', 'Member must satisfy enum value set: [Event, RequestResponse, DryRun]');
  }
  const logType = input.LogType ?? 'None';
  if (!LOG_TYPES.includes(logType)) throw validationError(logType, 'logType', 'Member must satisfy enum value set: [Tail, None]');
  const { fn, qualifier } = resolveFunction(env, input.FunctionName, input.Qualifier);
  if (type === 'Event' && input.Payload.length > MAX_ASYNC_PAYLOAD_BYTES) {
    throw asyncPayloadTooLarge(input.Payload.length, MAX_ASYNC_PAYLOAD_BYTES);
  }
  if (input.ClientContext !== undefined) validateClientContext(input.ClientContext);
  const payload = validatePayload(input.Payload);
  if (type === 'DryRun') return { StatusCode: 204, Payload: EMPTY };

  const result = await env.invoker.invoke(fn.name, payload, {
    mode: type === 'Event' ? 'async' : 'sync',
    trigger: { kind: 'lambda-api' },
    ...(qualifier !== undefined && { qualifier }),
    ...(input.ClientContext !== undefined && type !== 'Event' && { clientContext: input.ClientContext }),
    // Lambda honours Tail only for synchronous invocations.
    tail: logType === 'Tail' && type === 'RequestResponse',
  });
  setRequestId(result.requestId);
  return invokeOutput(result, type);
}

function invokeOutput(result: InvokeResult, type: string): InvokeOutput {
  if (result.status === 'throttled') throw tooManyRequests(throttleReason(result.payload));
  // Lambda's own example of an Event invoke answers with the status code alone (no executed version).
  if (type === 'Event') return { StatusCode: 202, Payload: EMPTY };
  const out: InvokeOutput = { StatusCode: 200, ExecutedVersion: result.executedVersion, Payload: result.payload };
  if (result.status !== 'ok') out.FunctionError = result.functionError ?? 'Unhandled';
  if (result.logTail !== undefined) out.LogResult = result.logTail;
  return out;
}

/** The invoker puts Lambda's throttle body in the payload; its Reason says which limit was hit. */
function throttleReason(payload: Buffer): string {
  try {
    const reason = (JSON.parse(payload.toString('utf8')) as { Reason?: unknown }).Reason;
    if (typeof reason === 'string') return reason;
  } catch { /* fall through */ }
  return 'ConcurrentInvocationLimitExceeded';
}

/** Lambda events are JSON; an empty payload reaches the handler as `{}`. */
function validatePayload(payload: Buffer): Buffer {
  if (payload.length === 0) return EMPTY_EVENT;
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw invalidRequestContent((err as Error).message);
  }
  return payload;
}

function validateClientContext(value: string): void {
  const decoded = Buffer.from(value, 'base64');
  if (decoded.length > MAX_CLIENT_CONTEXT_BYTES) {
    throw invalidParameterValue(`Client context must be smaller than ${MAX_CLIENT_CONTEXT_BYTES} bytes once decoded (it is ${decoded.length} bytes).`);
  }
  try {
    const parsed: unknown = JSON.parse(decoded.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object') return;
  } catch { /* reported below */ }
  throw invalidClientContext();
}
