// Hot reload without spurious errors. A new instance reads the handler from disk; if an editor is
// writing that file at the same moment (truncate, then write) the instance may load half a file
// and fail with a load error that is not in the user's code. Such an invocation runs once more,
// on the code as saved, once the reload has landed; a load error that persists is reported as is.
// Only load errors qualify: the handler never ran, so running the event again repeats nothing.
import type { Pool, ResolvedFunction } from '../pool/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';

/** Lambda's errorTypes for code that could not be loaded (the handler was never called). */
const LOAD_ERRORS = new Set([
  'Runtime.ImportModuleError', 'Runtime.UserCodeSyntaxError', 'Runtime.HandlerNotFound', 'Runtime.MalformedHandlerName',
]);

export type EditState = {
  /** Resolves once no change is pending and no reload runs. */
  settled(): Promise<void>;
};

export type ReloadGuardOptions = {
  /** The folder's edit state; undefined when nothing watches it. */
  edits: () => EditState | undefined;
  /** The function as it is now (after any reload). */
  current: (fn: ResolvedFunction) => ResolvedFunction | undefined;
  clock: Clock;
  log: Logger;
};

/** Lets the file events of a write still in progress reach the watcher before it is asked. */
const EVENT_LAG_MS = 25;
/** An editor saving again and again could keep a function failing; give up after this many runs. */
const MAX_RUNS = 3;

export function reloadGuardedPool(pool: Pool, o: ReloadGuardOptions): Pool {
  return {
    async run(fn, event, deadlineMs) {
      let outcome = await pool.run(fn, event, deadlineMs);
      for (let runs = 1; runs < MAX_RUNS && outcome.status !== 'ok' && LOAD_ERRORS.has(outcome.errorType ?? ''); runs++) {
        const edits = o.edits();
        if (edits === undefined) break;
        // The code this instance read is stale if the service reloaded since (or is about to).
        await o.clock.sleep(EVENT_LAG_MS);
        await edits.settled();
        const fresh = o.current(fn);
        if (fresh === undefined || fresh.revision === fn.revision) {
          o.log.debug(`${fn.spec.key}: ${outcome.errorType} on revision ${fn.revision}, which is current: reporting it`);
          break;
        }
        o.log.debug(`${fn.spec.key}: ${outcome.errorType} while the service was being edited; running ${event.requestId} on the saved code`);
        fn = fresh;
        outcome = await pool.run(fn, event, deadlineMs);
      }
      return outcome;
    },
    busy: (name) => pool.busy(name),
    drain: (name, opts) => pool.drain(name, opts),
    close: () => pool.close(),
  };
}
