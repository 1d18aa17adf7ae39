// What the pool sees of one running instance, whatever speaks to it: Gannet's Node channel or the
// Lambda Runtime API (custom runtimes, Python).
import type { InvocationEvent } from '../pool/types.ts';

/**
 * How init ended: the handler is loaded, or the runtime reported an init error (`payload`), or
 * the process died first (`exit`; the pool words the error, it knows the request id).
 */
export type InitResult =
  | { ok: true; initDurationMs: number }
  | { ok: false; initDurationMs: number; errorType: string; payload?: Buffer; exit?: ExitInfo };

/** How the process ended. `reason` is set when Gannet killed it on purpose. */
export type ExitInfo = {
  code: number | null;
  signal: NodeJS.Signals | null;
  reason?: 'timeout' | 'memory' | 'stopped';
};

/** The runtime's answer to one event, or the process's exit when it died first. */
export type InvokeAnswer =
  /** `handlerMs`: the time the runtime itself spent on the event, when it reports one (Gannet's Node bootstrap). */
  | { kind: 'response'; payload: Buffer; handlerMs?: number | undefined }
  | { kind: 'error'; payload: Buffer; errorType: string; handlerMs?: number | undefined }
  /** The runtime answered, then exits on its own (a Node uncaught exception): not reusable. */
  | { kind: 'fatal'; payload: Buffer; errorType: string }
  | { kind: 'too-large'; size: number }
  | { kind: 'exit'; exit: ExitInfo };

export interface RuntimeInstance {
  readonly id: string;
  readonly pid: number | undefined;
  /** Settles once when init ends (the first `next` on the Runtime API, or the Node channel's ready). */
  readonly ready: Promise<InitResult>;
  /** Settles once when the process has exited and its output was read to the end. */
  readonly exited: Promise<ExitInfo>;
  readonly alive: boolean;
  /** Hands one event to the instance; never rejects. */
  invoke(event: InvocationEvent, deadlineAt: number): Promise<InvokeAnswer>;
  /** Log records written since the last call (console records and output lines). */
  takeLogs(): string[];
  /** Peak resident memory seen so far, in MB (sampled; see watchdog). */
  peakRssMb: number;
  /** Stops the process (SIGKILL); `reason` is reported in `exited`. */
  kill(reason: ExitInfo['reason']): void;
}
