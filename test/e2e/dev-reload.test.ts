// `gannet dev` hot reload, as a user editing files in their editor sees it: a changed handler or
// serverless.yml applies to the next request without a restart; an invalid serverless.yml keeps
// the last good version serving and prints the error with its line; and requests sent while a
// handler is being rewritten get the old or the new code, never an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGannetDev, type GannetDev } from '../helpers/gannet-process.ts';
import { tempService, yaml } from '../helpers/cli.ts';

const SERVICE_YML = yaml(
  'service: reload',
  'provider:',
  '  name: aws',
  '  runtime: nodejs20.x',
  'functions:',
  '  version:',
  '    handler: handler.version',
  '    events:',
  '      - httpApi: GET /version',
);

const handler = (answer: string) => `export const version = async () => ({ statusCode: 200, body: ${JSON.stringify(answer)} });\n`;

/** Polls `path` until its body satisfies `ok` (reloads are asynchronous to the file write). */
async function eventually(dev: GannetDev, path: string, ok: (status: number, body: string) => boolean, what: string): Promise<{ status: number; body: string }> {
  let last = { status: 0, body: '' };
  for (let i = 0; i < 200; i++) {
    const r = await fetch(dev.url + path);
    last = { status: r.status, body: await r.text() };
    if (ok(last.status, last.body)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what}: last answer ${last.status} ${last.body}\nstderr:\n${dev.stderr()}`);
}

test('editing the handler and serverless.yml applies without a restart; an invalid serverless.yml keeps the last good version', async (t) => {
  // The handler sits in a subfolder, and is saved as most editors do: a temp file renamed over it.
  const yml = SERVICE_YML.replace('handler: handler.version', 'handler: src/handler.version');
  const dir = tempService(t, { 'serverless.yml': yml, 'src/handler.mjs': handler('one') });
  const save = (text: string) => {
    writeFileSync(join(dir, 'src', '.handler.mjs.swp'), text);
    renameSync(join(dir, 'src', '.handler.mjs.swp'), join(dir, 'src', 'handler.mjs'));
  };
  const dev = await startGannetDev(t, dir);
  const first = await fetch(dev.url + '/version');
  assert.deepEqual([first.status, await first.text()], [200, 'one']);

  save(handler('two'));
  await eventually(dev, '/version', (s, b) => s === 200 && b === 'two', 'the edited handler answers');
  // Once replaced by a rename, the file is still watched.
  save(handler('three'));
  await eventually(dev, '/version', (s, b) => s === 200 && b === 'three', 'the handler edited again answers');

  // A new route in serverless.yml, and a key Gannet does not know: warned about once, with its line.
  writeFileSync(join(dir, 'serverless.yml'), yml.replace('  runtime: nodejs20.x', '  runtime: nodejs20.x\n  fancyThing: yes') + yaml('      - httpApi: GET /also'));
  await eventually(dev, '/also', (s, b) => s === 200 && b === 'three', 'the route added to serverless.yml answers');
  await dev.waitFor(`  + GET     ${dev.url}/also → version\n`);
  await dev.waitFor(/^warning: .*serverless\.yml:5: unknown provider key "fancyThing" is ignored$/m);
  save(handler('four'));
  await eventually(dev, '/also', (s, b) => s === 200 && b === 'four', 'the handler edited once more answers');
  assert.equal(dev.stderr().match(/fancyThing/g)?.length, 1, 'a warning is not repeated by later reloads');

  // Broken YAML on line 7: the error is printed with its line, the last good version keeps serving.
  const before = dev.stderr().length;
  writeFileSync(join(dir, 'serverless.yml'), yml.replace('    handler: src/handler.version', '    handler: src/handler.version\n   bad: [unclosed'));
  await dev.waitFor(/serverless\.yml:8:\d+/);
  const printed = dev.stderr().slice(before);
  assert.match(printed, /keeping the last good version/);
  assert.doesNotMatch(printed, /^\s+at /m, 'no stack trace');
  const still = await fetch(dev.url + '/also');
  assert.deepEqual([still.status, await still.text()], [200, 'four']);

  // Fixed again: reloads as usual.
  writeFileSync(join(dir, 'serverless.yml'), yml);
  await eventually(dev, '/also', (s) => s === 404, 'the removed route is gone');
  await dev.waitFor(`  - GET     ${dev.url}/also → version\n`);
});

test('a request in flight when the handler changes finishes on the code it started with', async (t) => {
  const marker = join(tempService(t, {}), 'started');
  const slow = (answer: string) => [
    "import { writeFileSync } from 'node:fs';",
    'export const version = async () => {',
    `  writeFileSync(${JSON.stringify(marker)}, 'yes');`,
    '  await new Promise((r) => setTimeout(r, 1500));',
    `  return { statusCode: 200, body: ${JSON.stringify(answer)} };`,
    '};',
    '',
  ].join('\n');
  const dir = tempService(t, { 'serverless.yml': SERVICE_YML, 'handler.mjs': slow('old') });
  const dev = await startGannetDev(t, dir);
  const inFlight = fetch(dev.url + '/version').then(async (r) => [r.status, await r.text()]);
  for (let i = 0; i < 200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(existsSync(marker), 'the handler started');
  writeFileSync(join(dir, 'handler.mjs'), slow('new'));
  await dev.waitFor('reloaded');
  assert.deepEqual(await inFlight, [200, 'old']);
  await eventually(dev, '/version', (s, b) => s === 200 && b === 'new', 'the next request runs the new code');
});

for (const kind of ['node', 'typescript', 'python'] as const) {
  test(`requests sent while a ${kind} handler is being rewritten get the old or the new code, never an error`, async (t) => {
    const file = { node: 'handler.mjs', typescript: 'handler.ts', python: 'handler.py' }[kind];
    const source = kind === 'python'
      ? (n: number) => `# generation ${n}\n${'# padding so a write is not one syscall\n'.repeat(200)}def version(event, context):\n    return {"statusCode": 200, "body": "v${n}"}\n`
      : (n: number) => `// generation ${n}\n${'// padding so a write is not one syscall\n'.repeat(200)}export const version = async ()${kind === 'typescript' ? ': Promise<object>' : ''} => ({ statusCode: 200, body: 'v${n}' });\n`;
    const yml = kind === 'python' ? SERVICE_YML.replace('nodejs20.x', 'python3.11') : SERVICE_YML;
    const dir = tempService(t, { 'serverless.yml': yml, [file]: source(0) });
    const dev = await startGannetDev(t, dir, ['--debug']);

    const GENERATIONS = 30;
    let written = 0;
    let editing = true;
    const bad: string[] = [];
    const seen = new Set<string>();
    const client = async () => {
      while (editing) {
        const r = await fetch(dev.url + '/version');
        const body = await r.text();
        const n = /^v(\d+)$/.exec(body)?.[1];
        if (r.status !== 200 || n === undefined || Number(n) > written) bad.push(`${r.status} ${body}`);
        else seen.add(body);
      }
    };
    const editor = async () => {
      for (let n = 1; n <= GENERATIONS; n++) {
        written = n;
        if (n % 2 === 0) {
          // As most editors save: a temp file renamed over the handler.
          writeFileSync(join(dir, `.${file}.tmp`), source(n));
          renameSync(join(dir, `.${file}.tmp`), join(dir, file));
        } else {
          writeFileSync(join(dir, file), source(n)); // in place: truncate, then write
        }
        await new Promise((r) => setTimeout(r, 40 + (n % 3) * 30));
      }
      // Let the last reload land, then stop the clients.
      await eventually(dev, '/version', (s, b) => s === 200 && b === `v${GENERATIONS}`, 'the last generation answers');
      editing = false;
    };
    await Promise.all([editor(), client(), client(), client()]);
    assert.deepEqual(bad, [], `every answer is some written generation\nstderr:\n${dev.stderr().slice(-3000)}\nfunction errors:\n${dev.stdout().split('\n').filter((l) => /error/i.test(l)).join('\n')}`);
    assert.ok(seen.size >= 2, `the clients saw the code change while editing (${[...seen].join(', ')})`);
  });
}
