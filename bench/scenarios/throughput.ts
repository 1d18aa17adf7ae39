// Warm throughput: wrk against each server at 1 and at 50 connections. Absolute figures on a
// shared 2-core machine swing by ±30 % between runs, so scenarios are compared in pairs run back
// to back (reference first, then subject) and the ratio of the pair is what gets reported.
import { load, type LoadOptions, type WrkResult } from '../lib/wrk.ts';
import { result, type Machine, type ScenarioResult } from '../lib/results.ts';

/** [subject, reference]: the subject's ratio to the reference is measured back to back. */
export type Pair = [string, string];

export type ThroughputOptions = {
  /** Scenario name -> URL of the route to load. */
  urls: Record<string, string>;
  pairs: Pair[];
  connections: number[];
  seconds: number;
  warmupSeconds: number;
  log(line: string): void;
};

export async function throughput(o: ThroughputOptions, m: Machine): Promise<ScenarioResult[]> {
  const out: ScenarioResult[] = [];
  for (const connections of o.connections) {
    const runs = new Map<string, WrkResult[]>();
    const ratios = new Map<string, Record<string, number>>();
    const measure = async (name: string): Promise<WrkResult> => {
      const opts: LoadOptions = { connections, seconds: o.seconds, warmupSeconds: o.warmupSeconds };
      const r = await load(o.urls[name]!, opts);
      o.log(`  ${name.padEnd(36)} ${String(connections).padStart(2)} conns  ${r.requestsPerSec.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms${r.errors + r.non2xx > 0 ? `  (${r.errors} socket errors, ${r.non2xx} non-2xx)` : ''}`);
      runs.set(name, [...(runs.get(name) ?? []), r]);
      return r;
    };
    for (const [subject, reference] of o.pairs) {
      if (o.urls[subject] === undefined || o.urls[reference] === undefined) continue;
      const ref = await measure(reference);
      const sub = await measure(subject);
      const r = ratios.get(subject) ?? {};
      r[reference] = round(sub.requestsPerSec / ref.requestsPerSec, 3);
      ratios.set(subject, r);
    }
    for (const [name, list] of runs) {
      const failed = list.reduce((n, r) => n + r.errors + r.non2xx, 0);
      const total = list.reduce((n, r) => n + r.requests, 0);
      out.push(result(m, {
        name, connections,
        requestsPerSec: round(mean(list.map((r) => r.requestsPerSec)), 0),
        p50Ms: round(mean(list.map((r) => r.p50Ms)), 3),
        p99Ms: round(mean(list.map((r) => r.p99Ms)), 3),
        ratios: ratios.get(name) ?? {},
        samples: list.length,
        ...(failed > 0 && { note: `${failed} of ${total} requests failed (socket errors or non-2xx)` }),
      }));
    }
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
