// Load from wrk (a load generator in C, so it does not compete with Node for a core): one thread,
// N connections, a warm-up run whose figures are thrown away, then the measured run.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Agent, get } from 'node:http';

const run = promisify(execFile);

export const WRK = process.env.GANNET_BENCH_WRK ?? 'wrk';

export type WrkResult = { requestsPerSec: number; p50Ms: number; p99Ms: number; requests: number; errors: number; non2xx: number };

export type LoadOptions = { connections: number; seconds: number; warmupSeconds: number };

/** True when wrk can be started. */
export async function wrkAvailable(): Promise<boolean> {
  try {
    await run(WRK, ['--version']);
    return true;
  } catch (err) {
    // wrk --version exits with 1 after printing its version.
    return (err as { code?: unknown }).code === 1;
  }
}

export async function load(url: string, o: LoadOptions): Promise<WrkResult> {
  if (o.warmupSeconds >= 1) await wrk(url, o.connections, o.warmupSeconds);
  else if (o.warmupSeconds > 0) await warm(url, o.connections, o.warmupSeconds * 1000);
  return wrk(url, o.connections, o.seconds);
}

async function wrk(url: string, connections: number, seconds: number): Promise<WrkResult> {
  // wrk counts time in whole seconds.
  const duration = `${Math.max(1, Math.round(seconds))}s`;
  const { stdout } = await run(WRK, ['-t1', `-c${connections}`, `-d${duration}`, '--latency', '--timeout', '10s', url], { maxBuffer: 1 << 20 });
  return parseWrk(stdout);
}

/** A sub-second warm-up (wrk's shortest run is one second): `connections` loops of keep-alive GETs. */
async function warm(url: string, connections: number, ms: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const until = performance.now() + ms;
  const loop = async () => {
    while (performance.now() < until) {
      await new Promise<void>((resolve) => {
        get(url, { agent }, (res) => { res.resume(); res.on('end', resolve); res.on('error', () => resolve()); }).on('error', () => resolve());
      });
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
}

/** Parses wrk's text report (with --latency). */
export function parseWrk(text: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const requests = /(\d+) requests in/.exec(text);
  if (rps === null || requests === null) throw new Error(`cannot read wrk's report:\n${text}`);
  const errorCounts = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  return {
    requestsPerSec: Number(rps[1]),
    p50Ms: percentile(text, '50%'),
    p99Ms: percentile(text, '99%'),
    requests: Number(requests[1]),
    errors: errorCounts === null ? 0 : errorCounts.slice(1).reduce((a, b) => a + Number(b), 0),
    non2xx: non2xx === null ? 0 : Number(non2xx[1]),
  };
}

function percentile(text: string, label: string): number {
  const m = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text);
  if (m === null) return NaN;
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm'];
  return Number(m[1]) * scale;
}
