// The invoker's seam: every trigger (HTTP, Lambda API, queue, bucket, topic, schedule) ends here.

export type Trigger =
  | { kind: 'cli' } | { kind: 'http'; routeKey?: string } | { kind: 'lambda-api' }
  | { kind: 'sqs'; queueArn: string } | { kind: 's3'; bucket: string } | { kind: 'sns'; topicArn: string }
  | { kind: 'schedule'; rule: string } | { kind: 'authorizer' } | { kind: 'destination' };

export type InvokeOptions = {
  mode: 'sync' | 'async';
  trigger: Trigger;
  qualifier?: string;
  clientContext?: string;
  /** Return the last 4 KB of logs in `logTail` (X-Amz-Log-Type: Tail). */
  tail?: boolean;
  /** Sync only: override the function's timeout (the gateway's 29 s integration limit). */
  deadlineMs?: number;
};

export type InvokeResult = {
  requestId: string;
  /** 'ok' | 'handled-error' (function error) | 'unhandled-error' (crash/timeout) | 'throttled' | 'queued' (async accepted). */
  status: 'ok' | 'handled-error' | 'unhandled-error' | 'throttled' | 'queued';
  payload: Buffer;
  executedVersion: string;
  /** Lambda's function error kind for X-Amz-Function-Error: 'Unhandled' or 'Handled'. */
  functionError?: 'Handled' | 'Unhandled';
  logTail?: string;
};

export interface Invoker {
  /** Sync: runs and resolves with the result. Async: resolves once the event is durably queued. */
  invoke(functionName: string, payload: Buffer, opts: InvokeOptions): Promise<InvokeResult>;
}

export type InvocationRecord = {
  requestId: string;
  functionName: string;
  version: string;
  trigger: string;
  startedAt: number;       // epoch ms
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  outcome: 'ok' | 'handled-error' | 'unhandled-error' | 'throttled' | 'timeout';
  errorType?: string;
  attempt: number;
  logs: string[];          // including START/END/REPORT
};
