// Rewrites the README's performance section (between <!-- perf --> and <!-- /perf -->) from
// bench/results.json: the machine, the date, the table, the goals met or missed (by how much, and
// what bounds the figure), and the command to reproduce. Run after `npm run bench`:
//   node bench/report.ts [--results FILE] [--readme FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TABLE_HEADER, tableRows, validateResults, type ScenarioResult } from './lib/results.ts';
import { checkTargets } from './lib/targets.ts';
import { BENCH_DIR } from './lib/services.ts';

const START = '<!-- perf -->';
const END = '<!-- /perf -->';

export function perfSection(results: ScenarioResult[]): string {
  const first = results[0]!;
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `Measured on ${first.machine}, Node ${first.node}, ${first.date.slice(0, 10)}, by \`npm run bench\`.`,
    'Load comes from `wrk` (one thread; 10 s per run after a 3 s warm-up). Absolute figures on a shared',
    '2-core machine swing by ±30 % between runs, so each comparison is a pair of runs back to back and',
    'the ratios are the figures to read. Every server answers `{"message":"hello"}` from the same',
    'handler (`bench/service`); Gannet runs it in a separate, warm instance process.',
    '',
    `| ${TABLE_HEADER.join(' | ')} |`,
    `| ${TABLE_HEADER.map((_, i) => (i >= 1 && i <= 5 ? '---:' : '---')).join(' | ')} |`,
    ...tableRows(results).map((row) => `| ${row.map(cell).join(' | ')} |`),
    '',
    '| goal | measured | |',
    '| --- | --- | --- |',
    ...checkTargets(results).map((c) => {
      const verdict = c.met === null ? 'not measured in this run' : c.met ? 'met' : `missed, ${c.shortBy}; bounded by ${c.bound}`;
      return `| ${cell(c.goal)} | ${cell(c.measured)} | ${cell(verdict)} |`;
    }),
    '',
    'Reproduce: `npm run bench` (needs `wrk`; it installs serverless@3 and serverless-offline@14 into',
    '`bench/offline` on its first run), then `node bench/report.ts` to rewrite this section.',
  ];
  return lines.join('\n');
}

export function replaceSection(readme: string, section: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a === -1 || b === -1 || b < a) throw new Error(`the README has no ${START} … ${END} section to rewrite; add both markers where the table belongs`);
  return `${readme.slice(0, a + START.length)}\n${section}\n${readme.slice(b)}`;
}

function main(): void {
  const { values } = parseArgs({ options: { results: { type: 'string' }, readme: { type: 'string' } }, strict: true });
  const resultsFile = values.results ?? join(BENCH_DIR, 'results.json');
  const readmeFile = values.readme ?? join(BENCH_DIR, '..', 'README.md');
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as ScenarioResult[];
  const problems = validateResults(results);
  if (problems.length > 0) throw new Error(`${resultsFile} is not well-formed:\n${problems.join('\n')}`);
  writeFileSync(readmeFile, replaceSection(readFileSync(readmeFile, 'utf8'), perfSection(results)));
  process.stderr.write(`rewrote the performance section of ${readmeFile} from ${resultsFile}\n`);
}

if (import.meta.main) main();
