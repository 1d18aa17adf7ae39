// The shape of bench/results.json: one object per scenario (a throughput scenario once per
// connection count), each carrying the machine it ran on, and the table printed from it.
import { cpus, totalmem, type as osType, release } from 'node:os';

export type ScenarioResult = {
  name: string;
  /** wrk connections (throughput scenarios only). */
  connections: number | null;
  requestsPerSec: number | null;
  /** Latency percentiles in ms: wrk's for throughput, over the samples for cold starts. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Resident memory (footprint scenarios only). */
  rssMb: number | null;
  /** This scenario's figure divided by another's, each pair measured back to back. */
  ratios: Record<string, number>;
  /** How many measurements the figures are the mean (throughput) or percentiles (latency) of. */
  samples: number;
  note?: string;
  node: string;
  cores: number;
  date: string;
  machine: string;
};

export type Machine = Pick<ScenarioResult, 'node' | 'cores' | 'date' | 'machine'>;

export function machine(): Machine {
  const cpu = cpus();
  const model = (cpu[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  return {
    node: process.version,
    cores: cpu.length,
    date: new Date().toISOString(),
    machine: `${model}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GB RAM, ${osType()} ${release()}`,
  };
}

export function result(m: Machine, fields: Partial<ScenarioResult> & { name: string }): ScenarioResult {
  return {
    connections: null, requestsPerSec: null, p50Ms: null, p99Ms: null, rssMb: null, ratios: {}, samples: 1,
    ...fields, ...m,
  };
}

const NUMBER_OR_NULL = ['connections', 'requestsPerSec', 'p50Ms', 'p99Ms', 'rssMb'] as const;

/** Problems with a parsed results file (empty when well-formed). */
export function validateResults(value: unknown): string[] {
  if (!Array.isArray(value)) return ['results must be an array of scenario objects'];
  if (value.length === 0) return ['results hold no scenario'];
  const problems: string[] = [];
  value.forEach((r: Record<string, unknown>, i) => {
    const at = `results[${i}]${typeof r?.name === 'string' ? ` (${r.name})` : ''}`;
    if (r === null || typeof r !== 'object') { problems.push(`${at} is not an object`); return; }
    if (typeof r.name !== 'string' || r.name === '') problems.push(`${at}: name must be a non-empty string`);
    for (const k of NUMBER_OR_NULL) {
      const v = r[k];
      if (v !== null && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) problems.push(`${at}: ${k} must be a non-negative number or null`);
    }
    if (r.requestsPerSec === null && r.p50Ms === null && r.rssMb === null && r.note === undefined) problems.push(`${at}: no measurement and no note saying why`);
    if (r.ratios === null || typeof r.ratios !== 'object' || Object.values(r.ratios).some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      problems.push(`${at}: ratios must map names to finite numbers`);
    }
    if (typeof r.node !== 'string' || !/^v\d+/.test(r.node)) problems.push(`${at}: node must be a version like v24.1.0`);
    if (!Number.isInteger(r.cores) || (r.cores as number) < 1) problems.push(`${at}: cores must be a positive integer`);
    if (typeof r.date !== 'string' || Number.isNaN(Date.parse(r.date))) problems.push(`${at}: date must be an ISO date`);
    if (typeof r.machine !== 'string' || r.machine === '') problems.push(`${at}: machine must be a non-empty string`);
  });
  return problems;
}

const fmt = (v: number | null, digits = 0): string => (v === null ? '' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

export function ratioText(ratios: Record<string, number>): string {
  return Object.entries(ratios).map(([k, v]) => `${v.toFixed(2)} × ${k}`).join('; ');
}

/** Rows for the printed table and the README: scenario, connections, req/s, p50, p99, memory, ratios. */
export function tableRows(results: ScenarioResult[]): string[][] {
  return results.map((r) => [
    r.name,
    r.connections === null ? '' : String(r.connections),
    fmt(r.requestsPerSec),
    fmt(r.p50Ms, r.p50Ms !== null && r.p50Ms < 10 ? 2 : 1),
    fmt(r.p99Ms, r.p99Ms !== null && r.p99Ms < 10 ? 2 : 1),
    r.rssMb === null ? '' : `${fmt(r.rssMb, 1)} MB`,
    [ratioText(r.ratios), r.note ?? ''].filter((t) => t !== '').join('; '),
  ]);
}

export const TABLE_HEADER = ['scenario', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'RSS', 'ratios (back to back)'];

export function textTable(rows: string[][], header = TABLE_HEADER): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c >= 1 && c <= 5 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
