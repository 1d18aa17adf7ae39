// Ctrl-C, SIGTERM and SIGHUP for long-running commands: the first one asks for a clean stop (every
// instance stopped), one that comes later forces the exit. When bin/gannet.js re-executed itself on
// the pinned Node, one Ctrl-C arrives twice — from the terminal and passed on by the launcher — so
// a repeat within DUPLICATE_MS is the same request, not an impatient second one.

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const DUPLICATE_MS = 500;

export type Interrupt = {
  /** Resolves with the first signal. */
  received: Promise<NodeJS.Signals>;
  /** Stops listening (signals get their default action again). */
  dispose(): void;
};

export function listenForInterrupt(force: (signal: NodeJS.Signals) => void): Interrupt {
  let firstAt: number | undefined;
  let resolve!: (s: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((r) => { resolve = r; });
  const onSignal = (signal: NodeJS.Signals) => {
    const now = performance.now();
    if (firstAt === undefined) { firstAt = now; resolve(signal); return; }
    if (now - firstAt > DUPLICATE_MS) force(signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return { received, dispose: () => { for (const s of SIGNALS) process.off(s, onSignal); } };
}

/** The exit status a shell reports for a process ended by `signal` (128 + its number). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as Record<string, number>)[signal]!;
}
