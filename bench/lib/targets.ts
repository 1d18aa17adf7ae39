// The goals the benchmark reports against (goals, not assertions), each read from the results.
import type { ScenarioResult } from './results.ts';

export type TargetCheck = { goal: string; measured: string; met: boolean | null; shortBy?: string };

const find = (rs: ScenarioResult[], name: string, connections: number | null = null) =>
  rs.find((r) => r.name === name && r.connections === connections);

function ratioTarget(rs: ScenarioResult[], connections: number, reference: string, atLeast: number): TargetCheck {
  const goal = `gannet-httpapi at ${connections} connection${connections === 1 ? '' : 's'} ≥ ${atLeast} × ${reference}`;
  const ratio = find(rs, 'gannet-httpapi', connections)?.ratios[reference];
  if (ratio === undefined) return { goal, measured: 'not measured', met: null };
  const met = ratio >= atLeast;
  return { goal, measured: `${ratio.toFixed(2)} ×`, met, ...(!met && { shortBy: `${(((atLeast - ratio) / atLeast) * 100).toFixed(0)} % short` }) };
}

export function checkTargets(rs: ScenarioResult[]): TargetCheck[] {
  const checks = [
    ratioTarget(rs, 50, 'bare', 0.5),
    ratioTarget(rs, 50, 'serverless-offline', 5),
    ratioTarget(rs, 1, 'bare', 0.25),
    ratioTarget(rs, 1, 'serverless-offline --useInProcess', 2),
  ];
  const cold = find(rs, 'cold-start: gannet, prewarmed spare');
  const spawn = find(rs, "cold-start: spawn node -e ''");
  const coldGoal = "cold start with a prewarmed spare ≤ 0.2 × spawning node -e ''";
  if (cold?.p50Ms != null && spawn?.p50Ms != null) {
    const ratio = cold.p50Ms / spawn.p50Ms;
    const met = ratio <= 0.2;
    checks.push({ goal: coldGoal, measured: `${ratio.toFixed(2)} × (${cold.p50Ms.toFixed(1)} ms vs ${spawn.p50Ms.toFixed(1)} ms, p50)`, met,
      ...(!met && { shortBy: `${(cold.p50Ms - 0.2 * spawn.p50Ms).toFixed(1)} ms over` }) });
  } else checks.push({ goal: coldGoal, measured: 'not measured', met: null });
  const idle = rs.find((r) => r.name.startsWith('idle-footprint: gannet dev, 1,000'));
  const empty = find(rs, 'idle-footprint: empty Node process');
  const idleGoal = 'idle footprint of 1,000 declared functions ≤ 50 MB over an empty Node process';
  if (idle?.rssMb != null && empty?.rssMb != null) {
    const over = idle.rssMb - empty.rssMb;
    const met = over <= 50;
    checks.push({ goal: idleGoal, measured: `+${over.toFixed(1)} MB (${idle.rssMb.toFixed(1)} MB vs ${empty.rssMb.toFixed(1)} MB)`, met,
      ...(!met && { shortBy: `${(over - 50).toFixed(1)} MB over` }) });
  } else checks.push({ goal: idleGoal, measured: 'not measured', met: null });
  return checks;
}

export function targetLines(checks: TargetCheck[]): string[] {
  return checks.map((c) => `${c.met === null ? '–' : c.met ? '✓' : '✗'} ${c.goal}: ${c.measured}${c.shortBy ? ` (${c.shortBy})` : ''}`);
}
