// `npm run bench`: starts every server on 127.0.0.1, measures, stops everything, prints a table and
// writes bench/results.json. `--quick` runs each scenario for 1 s (0.5 s warm-up) without
// serverless-offline, for the test that keeps this script from rotting; `--out FILE` writes elsewhere.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machine, tableRows, textTable, validateResults, type ScenarioResult } from './lib/results.ts';
import { checkTargets, targetLines } from './lib/targets.ts';
import { Processes, type Server } from './lib/processes.ts';
import { ensureOffline, startOffline } from './lib/offline.ts';
import { BENCH_DIR, copyService, scratchDir, startBare, startGannet } from './lib/services.ts';
import { wrkAvailable, WRK } from './lib/wrk.ts';
import { throughput, type Pair } from './scenarios/throughput.ts';
import { coldStart } from './scenarios/cold-start.ts';
import { idleFootprint } from './scenarios/idle-footprint.ts';

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, out: { type: 'string' }, 'no-offline': { type: 'boolean' } },
  strict: true,
});
const quick = values.quick ?? false;
const out = values.out ?? join(BENCH_DIR, 'results.json');
const log = (line: string) => process.stderr.write(line + '\n');

const OFFLINE = 'serverless-offline';
const OFFLINE_IN_PROCESS = 'serverless-offline --useInProcess';
const PAIRS: Pair[] = [
  ['bare-handler', 'bare'],
  ['gannet-httpapi', 'bare'],
  ['gannet-rest', 'bare'],
  ['gannet-httpapi', OFFLINE],
  ['gannet-httpapi', OFFLINE_IN_PROCESS],
];

async function main(): Promise<void> {
  if (!(await wrkAvailable())) throw new Error(`${WRK} is not installed: the benchmark needs wrk (apt-get install wrk)`);
  const m = machine();
  const procs = new Processes();
  const scratches: { remove(): void }[] = [];
  const results: ScenarioResult[] = [];
  try {
    log(`gannet bench${quick ? ' (quick)' : ''}: ${m.machine}, Node ${m.node}`);
    const urls: Record<string, string> = {};
    const skipped: ScenarioResult[] = [];
    const started: Server[] = [];
    const start = async (p: Promise<Server>) => { const s = await p; started.push(s); return s; };

    urls.bare = (await start(startBare(procs, false))).url + '/hello';
    urls['bare-handler'] = (await start(startBare(procs, true))).url + '/hello';
    const gannetDir = scratchDir('gannet');
    scratches.push(gannetDir);
    copyService(gannetDir.dir);
    const gannet = await start(startGannet(procs, gannetDir.dir));
    urls['gannet-httpapi'] = `${gannet.url}/hello`;
    urls['gannet-rest'] = `${gannet.url}/dev/hello`;

    const offlineNote = quick || values['no-offline'] ? 'skipped (quick mode or --no-offline)' : await offlineReady();
    if (offlineNote === undefined) {
      for (const [name, mode] of [[OFFLINE, 'worker-threads'], [OFFLINE_IN_PROCESS, 'in-process']] as const) {
        const dir = scratchDir('offline');
        scratches.push(dir);
        urls[name] = (await start(startOffline(procs, dir.dir, mode))).url + '/hello';
      }
    } else {
      log(`serverless-offline: ${offlineNote}`);
      for (const name of [OFFLINE, OFFLINE_IN_PROCESS]) skipped.push({ ...machineless(name), note: offlineNote, ...m });
    }

    log('throughput (wrk, 1 thread):');
    results.push(...await throughput({
      urls, pairs: PAIRS, connections: [1, 50], seconds: quick ? 1 : 10, warmupSeconds: quick ? 0.5 : 3, log,
    }, m));
    results.push(...skipped);
    for (const s of started) await s.stop();

    log('cold start:');
    results.push(...await coldStart(procs, { samples: quick ? 3 : 15, settleMs: quick ? 300 : 1000, log }, m));
    log('idle footprint:');
    results.push(...await idleFootprint(procs, { functions: 1000, settleMs: quick ? 500 : 6000, log }, m));
  } finally {
    await procs.stopAll();
    for (const s of scratches) s.remove();
  }

  const problems = validateResults(results);
  if (problems.length > 0) throw new Error(`the results are not well-formed:\n${problems.join('\n')}`);
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(`\n${textTable(tableRows(results))}\n\ntargets:\n${targetLines(checkTargets(results)).join('\n')}\n\nwritten to ${out}\n`);
}

function machineless(name: string): Omit<ScenarioResult, 'node' | 'cores' | 'date' | 'machine'> {
  return { name, connections: null, requestsPerSec: null, p50Ms: null, p99Ms: null, rssMb: null, ratios: {}, samples: 0 };
}

async function offlineReady(): Promise<string | undefined> {
  const r = await ensureOffline(log);
  return r.ok ? undefined : `skipped: ${r.reason}`;
}

main().then(() => process.exit(0), (err: unknown) => {
  log(`bench failed: ${(err as Error)?.stack ?? err}`);
  process.exit(1);
});
