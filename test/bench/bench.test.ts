// Keeps `npm run bench` from rotting: runs it in its quick mode (1 s per scenario, no
// serverless-offline) into a temp file, as a user would run it, and checks only that it completes
// and writes well-formed results. The figures themselves are never asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateResults, type ScenarioResult } from '../../bench/lib/results.ts';
import { wrkAvailable } from '../../bench/lib/wrk.ts';
import { perfSection, replaceSection } from '../../bench/report.ts';

const RUN = fileURLToPath(new URL('../../bench/run.ts', import.meta.url));

test('npm run bench --quick completes and writes well-formed results', { timeout: 240_000, skip: !(await wrkAvailable()) && 'wrk is not installed' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-bench-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'results.json');
  const child = spawn(process.execPath, [RUN, '--quick', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  t.after(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ } });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d; });
  child.stderr!.on('data', (d: Buffer) => { output += d; });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, output);

  const results = JSON.parse(readFileSync(out, 'utf8')) as ScenarioResult[];
  assert.deepEqual(validateResults(results), []);
  const names = new Set(results.map((r) => r.name));
  for (const name of ['bare', 'bare-handler', 'gannet-httpapi', 'gannet-rest', 'serverless-offline', 'cold-start: gannet, prewarmed spare', "cold-start: spawn node -e ''", 'idle-footprint: empty Node process']) {
    assert.ok(names.has(name), `a result for ${name}`);
  }
  const gannet = results.filter((r) => r.name === 'gannet-httpapi');
  assert.deepEqual(gannet.map((r) => r.connections).sort((a, b) => a! - b!), [1, 50]);
  assert.ok(gannet.every((r) => r.requestsPerSec! > 0 && r.ratios.bare! > 0), 'gannet-httpapi measured against bare');
  assert.match(results.find((r) => r.name === 'serverless-offline')!.note!, /skipped/);
  assert.match(output, /gannet-httpapi/, 'a table is printed');

  // The README section renders from these results.
  const readme = replaceSection('intro\n<!-- perf -->\nold\n<!-- /perf -->\nrest\n', perfSection(results));
  assert.match(readme, /^intro\n<!-- perf -->\nMeasured on .*\n[\s\S]*\| gannet-httpapi \| 50 \|[\s\S]*<!-- \/perf -->\nrest\n$/);
  assert.doesNotMatch(readme, /\nold\n/);
});

test('validateResults names what is wrong', () => {
  assert.deepEqual(validateResults([]), ['results hold no scenario']);
  const problems = validateResults([{ name: 'x', connections: 1, requestsPerSec: -1, p50Ms: null, p99Ms: null, rssMb: null, ratios: { bare: Number.NaN }, samples: 1, node: '24', cores: 0, date: 'yesterday', machine: '' }]);
  assert.deepEqual(problems, [
    'results[0] (x): requestsPerSec must be a non-negative number or null',
    'results[0] (x): ratios must map names to finite numbers',
    'results[0] (x): node must be a version like v24.1.0',
    'results[0] (x): cores must be a positive integer',
    'results[0] (x): date must be an ISO date',
    'results[0] (x): machine must be a non-empty string',
  ]);
});
