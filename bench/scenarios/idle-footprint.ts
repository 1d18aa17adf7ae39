// Idle footprint: resident memory of `gannet dev` with 1,000 declared functions, none invoked (so
// no instance runs: scale to zero), against an empty Node process and against `gannet dev` with
// one function, which separates Gannet's fixed cost from the cost per declared function.
import { spawn } from 'node:child_process';
import { result, type Machine, type ScenarioResult } from '../lib/results.ts';
import { descendants, rssMb, sleep, type Processes } from '../lib/processes.ts';
import { scratchDir, startGannet, writeManyFunctionService } from '../lib/services.ts';
import { round } from './throughput.ts';

export type FootprintOptions = { functions: number; settleMs: number; log(line: string): void };

type Footprint = { mainMb: number; childrenMb: number; children: number };

export async function idleFootprint(procs: Processes, o: FootprintOptions, m: Machine): Promise<ScenarioResult[]> {
  const empty = await emptyNode(o.settleMs);
  o.log(`  empty Node process                          ${empty.toFixed(1)} MB`);
  const one = await gannetFootprint(procs, 1, o.settleMs);
  o.log(`  gannet dev, 1 function                      ${one.mainMb.toFixed(1)} MB (+ ${one.childrenMb.toFixed(1)} MB in ${one.children} prewarmed spare process)`);
  const many = await gannetFootprint(procs, o.functions, o.settleMs);
  o.log(`  gannet dev, ${o.functions} functions${' '.repeat(Math.max(1, 24 - String(o.functions).length))}${many.mainMb.toFixed(1)} MB (+ ${many.childrenMb.toFixed(1)} MB in ${many.children} prewarmed spare process)`);
  const perFunctionKb = ((many.mainMb - one.mainMb) * 1024) / Math.max(1, o.functions - 1);
  const spareNote = (f: Footprint) => `gannet dev's own process; its ${f.children} prewarmed spare process(es) add ${f.childrenMb.toFixed(1)} MB, independent of the number of functions`;
  return [
    result(m, {
      name: `idle-footprint: gannet dev, ${o.functions.toLocaleString('en-US')} functions`, rssMb: round(many.mainMb, 1),
      ratios: { 'empty Node process': round(many.mainMb / empty, 3) },
      note: `${spareNote(many)}; ${(many.mainMb - empty).toFixed(1)} MB over an empty Node process, ${perFunctionKb > 0 ? `${perFunctionKb.toFixed(1)} KB per declared function` : 'no measurable cost per declared function (within run-to-run noise)'}`,
    }),
    result(m, {
      name: 'idle-footprint: gannet dev, 1 function', rssMb: round(one.mainMb, 1),
      ratios: { 'empty Node process': round(one.mainMb / empty, 3) }, note: spareNote(one),
    }),
    result(m, { name: 'idle-footprint: empty Node process', rssMb: round(empty, 1) }),
  ];
}

async function gannetFootprint(procs: Processes, functions: number, settleMs: number): Promise<Footprint> {
  const scratch = scratchDir('idle');
  writeManyFunctionService(scratch.dir, functions);
  const server = await startGannet(procs, scratch.dir);
  try {
    await sleep(settleMs);
    const mainMb = (await rssMb(server.pid)) ?? NaN;
    let childrenMb = 0;
    const kids = await descendants(server.pid);
    for (const pid of kids) childrenMb += (await rssMb(pid)) ?? 0;
    return { mainMb, childrenMb, children: kids.length };
  } finally {
    await server.stop();
    scratch.remove();
  }
}

async function emptyNode(settleMs: number): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], { stdio: 'ignore' });
  try {
    await sleep(Math.max(500, settleMs));
    return (await rssMb(child.pid!)) ?? NaN;
  } finally {
    child.kill('SIGKILL');
  }
}
