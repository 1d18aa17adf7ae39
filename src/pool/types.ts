// The pool's seam: it runs one event on one instance of a function and knows nothing of triggers.
import type { FunctionSpec, ServiceSpec } from '../config/types.ts';

/** Everything an instance needs to start: the function, its service, and the endpoint it should call. */
export type ResolvedFunction = {
  spec: FunctionSpec;
  service: ServiceSpec;
  /** Full ARN without qualifier: arn:aws:lambda:<region>:<account>:function:<name> */
  arn: string;
  /** Extra environment for the instance (AWS_ENDPOINT_URL, credentials...), set by the host. */
  hostEnvironment: Record<string, string>;
  /** Changes whenever the code or config changes; instances of an older revision are not reused. */
  revision: string;
};

export type InvocationEvent = {
  requestId: string;
  payload: Buffer;            // the JSON event, as bytes
  invokedFunctionArn: string; // with qualifier if the caller gave one
  clientContext?: string;     // base64 JSON, as in the Invoke API
  cognitoIdentity?: string;
  traceId?: string;
};

export type RuntimeOutcome = {
  /** 'ok': response posted; 'error': handler error posted (handled); 'crash': instance died or timed out (unhandled). */
  status: 'ok' | 'error' | 'crash';
  /** Response bytes (ok) or Lambda error JSON bytes ({errorType, errorMessage, trace|stackTrace}). */
  payload: Buffer;
  /** Lambda's errorType when status != 'ok' (e.g. 'Runtime.ExitError', 'Sandbox.Timedout', 'Error'). */
  errorType?: string;
  /** The log lines of this invocation, Lambda-formatted, without START/END/REPORT. */
  logs: string[];
  durationMs: number;
  /** Set on the first invocation of a fresh instance. */
  initDurationMs?: number;
  maxMemoryUsedMb: number;
  timedOut: boolean;
};

export interface Pool {
  /**
   * Runs one event; rejects with GannetError code GANNET_THROTTLED when concurrency is exhausted.
   * `deadlineMs` is the time budget in ms (the function's timeout, or less): it counts from when
   * the instance receives the event, so a cold start's init does not use it up (as on Lambda).
   */
  run(fn: ResolvedFunction, event: InvocationEvent, deadlineMs: number): Promise<RuntimeOutcome>;
  /** Instances currently busy for a function (for throttling decisions by callers). */
  busy(functionName: string): number;
  /** Stops every instance of the function(s); in-flight work finishes first unless `force`. */
  drain(functionName?: string, opts?: { force?: boolean }): Promise<void>;
  close(): Promise<void>;
}
