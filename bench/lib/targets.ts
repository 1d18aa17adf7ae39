// The goals the benchmark reports against (goals, not assertions), each read from the results.
import type { ScenarioResult } from './results.ts';

export type TargetCheck = { goal: string; measured: string; met: boolean | null; shortBy?: string; bound: string };

// What limits each figure, for the README when a goal is missed (from profiles of gannet dev under
// wrk, and from timing the pool's hop alone in a loop on the same machine).
const BOUNDS = {
  throughput50: 'the gateway process\'s CPU. Besides the HTTP parse and reply that bare Node does, each request costs it building and serializing the event, a write to the instance\'s channel and a read of its answer, response mapping, the START/END/REPORT lines and the invocation record. The hop dominates: on this VM the pool\'s round trip alone costs the gateway 50-90 µs of CPU per event, most of it inside the write that wakes the instance process (a cross-CPU wake-up through the hypervisor); the same gateway answering in-process reaches ~0.6 × bare',
  offline: 'the same gateway cost as above: 5 × serverless-offline would be ~5,000 req/s at 50 connections here, more than the gateway serves with one hop per request',
  throughput1: 'latency: each request goes from the gateway to the instance process and back; on this VM a warm round trip through the pool takes ~200 µs (two cross-process wake-ups), more than twice what a whole bare request takes',
  cold: 'the instance\'s init in the prewarmed process: the handler loaded through Node\'s ESM loader (~1.5 ms of CPU), console and process handlers installed, and the first run of the event path through cold code; plus waking the waiting process, which takes several ms when the machine is busy',
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
    const one = find(rs, 'idle-footprint: gannet dev, 1 function');
    const fixed = one?.rssMb != null ? one.rssMb - empty.rssMb : undefined;
    const perFunctionKb = one?.rssMb != null ? ((idle.rssMb - one.rssMb) * 1024) / 999 : undefined;
    const bound = `Gannet's fixed cost more than the functions: gannet dev with one function is already ${fixed?.toFixed(1) ?? '?'} MB over an empty Node process (its modules: the YAML parser, the XML parser of the AWS protocols, node:sqlite, jose, esbuild's API, the gateway and AWS endpoint), and each declared function adds ${perFunctionKb?.toFixed(1) ?? '?'} KB (its spec, routes and event sources, and what parsing its lines of serverless.yml left in the heap)`;
    checks.push({ goal: idleGoal, measured: `+${over.toFixed(1)} MB (${idle.rssMb.toFixed(1)} MB vs ${empty.rssMb.toFixed(1)} MB)`, met, bound,
      ...(!met && { shortBy: `${(over - 50).toFixed(1)} MB over` }) });
  } else checks.push({ goal: idleGoal, measured: 'not measured', met: null, bound: '' });
  return checks;
}

export function targetLines(checks: TargetCheck[]): string[] {
  return checks.map((c) => `${c.met === null ? '–' : c.met ? '✓' : '✗'} ${c.goal}: ${c.measured}${c.shortBy ? ` (${c.shortBy})` : ''}`);
}
