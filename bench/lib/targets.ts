// The goals the benchmark reports against (goals, not assertions), each read from the results.
import type { ScenarioResult } from './results.ts';

export type TargetCheck = { goal: string; measured: string; met: boolean | null; shortBy?: string; bound: string };

// What limits each figure, for the README when a goal is missed (from profiles of gannet dev under wrk).
const BOUNDS = {
  throughput50: 'the gateway process: on top of the HTTP parse and reply that bare Node does, each request costs it an event built and serialized, a write to and a read from the instance\'s channel (two syscalls, and a wake-up of the instance process), response mapping, the START/END/REPORT lines and the invocation record; with one core for the gateway and one for the instances, the gateway\'s core is full first',
  offline: 'serverless-offline\'s own figure: its worker-thread mode copies each event into a worker and back, so the gap is larger when the machine has more cores idle',
  throughput1: 'latency, not CPU: every request crosses two processes (gateway and instance), so each one waits for two wake-ups through the kernel scheduler, which on a shared 2-core VM cost tens of microseconds each',
  cold: 'the module load and first run of the handler in the prewarmed process (Node\'s module loader, the first call through cold code) plus the first answer over the channel; the process spawn itself is already hidden',
  idle: 'Gannet\'s fixed cost, not the functions: the gateway, AWS endpoint, store (node:sqlite), config parser and TypeScript sources of gannet dev itself; 1,000 declared functions add only their route entries and specs (see the per-function figure)',
};

const find = (rs: ScenarioResult[], name: string, connections: number | null = null) =>
  rs.find((r) => r.name === name && r.connections === connections);

function ratioTarget(rs: ScenarioResult[], connections: number, reference: string, atLeast: number, bound: string): TargetCheck {
  const goal = `gannet-httpapi at ${connections} connection${connections === 1 ? '' : 's'} ≥ ${atLeast} × ${reference}`;
  const ratio = find(rs, 'gannet-httpapi', connections)?.ratios[reference];
  if (ratio === undefined) return { goal, measured: 'not measured', met: null, bound };
  const met = ratio >= atLeast;
  return { goal, measured: `${ratio.toFixed(2)} ×`, met, bound, ...(!met && { shortBy: `${(((atLeast - ratio) / atLeast) * 100).toFixed(0)} % short` }) };
}

export function checkTargets(rs: ScenarioResult[]): TargetCheck[] {
  const checks = [
    ratioTarget(rs, 50, 'bare', 0.5, BOUNDS.throughput50),
    ratioTarget(rs, 50, 'serverless-offline', 5, BOUNDS.offline),
    ratioTarget(rs, 1, 'bare', 0.25, BOUNDS.throughput1),
    ratioTarget(rs, 1, 'serverless-offline --useInProcess', 2, BOUNDS.offline),
  ];
  const cold = find(rs, 'cold-start: gannet, prewarmed spare');
  const spawn = find(rs, "cold-start: spawn node -e ''");
  const coldGoal = "cold start with a prewarmed spare ≤ 0.2 × spawning node -e ''";
  if (cold?.p50Ms != null && spawn?.p50Ms != null) {
    const ratio = cold.p50Ms / spawn.p50Ms;
    const met = ratio <= 0.2;
    checks.push({ goal: coldGoal, measured: `${ratio.toFixed(2)} × (${cold.p50Ms.toFixed(1)} ms vs ${spawn.p50Ms.toFixed(1)} ms, p50)`, met, bound: BOUNDS.cold,
      ...(!met && { shortBy: `${(cold.p50Ms - 0.2 * spawn.p50Ms).toFixed(1)} ms over` }) });
  } else checks.push({ goal: coldGoal, measured: 'not measured', met: null, bound: BOUNDS.cold });
  const idle = rs.find((r) => r.name.startsWith('idle-footprint: gannet dev, 1,000'));
  const empty = find(rs, 'idle-footprint: empty Node process');
  const idleGoal = 'idle footprint of 1,000 declared functions ≤ 50 MB over an empty Node process';
  if (idle?.rssMb != null && empty?.rssMb != null) {
    const over = idle.rssMb - empty.rssMb;
    const met = over <= 50;
    checks.push({ goal: idleGoal, measured: `+${over.toFixed(1)} MB (${idle.rssMb.toFixed(1)} MB vs ${empty.rssMb.toFixed(1)} MB)`, met, bound: BOUNDS.idle,
      ...(!met && { shortBy: `${(over - 50).toFixed(1)} MB over` }) });
  } else checks.push({ goal: idleGoal, measured: 'not measured', met: null, bound: BOUNDS.idle });
  return checks;
}

export function targetLines(checks: TargetCheck[]): string[] {
  return checks.map((c) => `${c.met === null ? '–' : c.met ? '✓' : '✗'} ${c.goal}: ${c.measured}${c.shortBy ? ` (${c.shortBy})` : ''}`);
}
