// Invocation records through the real commands: invocations made through `gannet dev` (Lambda API,
// sync and async) are printed by `gannet logs DIR -f NAME` with their START/END/REPORT and function
// lines; --filter, --since and --tail select and follow them as a user expects.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GANNET_BIN, startGannetDev, type GannetDev } from '../helpers/gannet-process.ts';
import { runGannet } from '../helpers/cli.ts';
import { eventually } from '../helpers/function-output.ts';

const dir = fileURLToPath(new URL('./fixtures/lambda-api', import.meta.url));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The lines `gannet logs` printed for one request id, in order. */
const linesOf = (out: string, requestId: string) => out.split('\n').filter((l) => l.includes(requestId));

describe('gannet logs', () => {
  let dev: GannetDev;
  let dataDir: string;
  let lambda: LambdaClient;
  const ids: Record<string, string> = {};

  const invoke = async (fn: string, marker: string, type: 'RequestResponse' | 'Event' = 'RequestResponse') => {
    const out = await lambda.send(new InvokeCommand({
      FunctionName: `lambda-api-e2e-dev-${fn}`, InvocationType: type, Payload: new TextEncoder().encode(JSON.stringify({ marker })),
    }));
    return out.$metadata.requestId!;
  };
  const logs = async (args: string[]) => {
    const r = await runGannet(['logs', dir, '--data-dir', dataDir, ...args]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gannet-logs-'));
    dev = await startGannetDev(undefined, dir, ['--no-watch', '--spares', '0', '--data-dir', dataDir]);
    lambda = new LambdaClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
    ids.first = await invoke('echo', 'first-marker');
    ids.second = await invoke('echo', 'second-marker');
    ids.failed = await invoke('fail', 'failing-marker');
    ids.queued = await invoke('echo', 'queued-marker', 'Event');
    // An async invocation's record is written once it has run.
    await eventually('the Event invocation to run', () => dev.stdout().includes('queued-marker'));
  });
  after(async () => {
    lambda?.destroy();
    await dev?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('-f NAME prints each invocation\'s START, function lines, END and REPORT, sync and async alike', async () => {
    const out = await eventually('the async record', async () => {
      const o = await logs(['-f', 'echo']);
      return o.includes(ids.queued!) ? o : undefined;
    });
    for (const [which, marker] of [['first', 'first-marker'], ['second', 'second-marker'], ['queued', 'queued-marker']] as const) {
      const id = ids[which]!;
      const lines = linesOf(out, id);
      assert.equal(lines[0], `START RequestId: ${id} Version: $LATEST`, out);
      assert.match(lines[1]!, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\techo got \\{"marker":"${marker}"\\}$`));
      assert.equal(lines.at(-2), `END RequestId: ${id}`);
      assert.match(lines.at(-1)!, new RegExp(`^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB`));
    }
    assert.ok(out.indexOf(ids.first!) < out.indexOf(ids.second!), 'oldest first');
    assert.ok(!out.includes(ids.failed!), 'only the named function');
    assert.equal(await logs(['-f', 'lambda-api-e2e-dev-echo']), out, 'the deployed name works as well as the key');

    const failed = await logs(['-f', 'fail']);
    assert.match(failed, new RegExp(`\\t${ids.failed}\\tERROR\\tInvoke Error \\t\\{"errorType":"TypeError"`));
  });

  test('--filter TEXT keeps the invocations with a line containing TEXT', async () => {
    const out = await logs(['-f', 'echo', '--filter', 'second-marker']);
    assert.ok(out.includes(`START RequestId: ${ids.second}`), out);
    assert.ok(out.includes(`REPORT RequestId: ${ids.second}`), 'the whole invocation, not just the matching line');
    assert.ok(!out.includes(ids.first!) && !out.includes(ids.queued!), out);
    assert.equal(await logs(['-f', 'echo', '--filter', 'no such text anywhere']), '');
  });

  test('--since keeps the invocations that started since then', async () => {
    const recent = await logs(['-f', 'echo', '--since', '10m']);
    for (const id of [ids.first!, ids.second!]) assert.ok(recent.includes(`START RequestId: ${id}`), recent);
    const cut = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const later = await invoke('echo', 'after-the-cut');
    const since = await logs(['-f', 'echo', '--since', cut]);
    assert.deepEqual(since.split('\n').filter((l) => l.startsWith('START')), [`START RequestId: ${later} Version: $LATEST`]);
    const bad = await runGannet(['logs', dir, '--data-dir', dataDir, '-f', 'echo', '--since', 'yesterday']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--since expects an age like 30s, 10m, 2h, 1d or an ISO date/);
  });

  test('--tail prints the past, then follows a new invocation until stopped', async (t) => {
    const child = spawn(process.execPath, [GANNET_BIN, 'logs', dir, '--data-dir', dataDir, '-f', 'echo', '--tail'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d; });
    child.stderr.on('data', (d: Buffer) => { err += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });

    await eventually('the past invocations', () => out.includes(`REPORT RequestId: ${ids.second}`) || (err !== '' && assert.fail(err)));
    const id = await invoke('echo', 'followed-marker');
    await eventually('the new invocation to be followed', () => out.includes(`REPORT RequestId: ${id}`));
    assert.match(out, new RegExp(`\\t${id}\\tINFO\\techo got \\{"marker":"followed-marker"\\}\\n`));
    assert.equal(child.exitCode, null, 'still following');
    child.kill('SIGINT');
    assert.equal(await exited, 0, err);
  });

  test('an unknown function is a usage error naming the functions', async () => {
    const r = await runGannet(['logs', dir, '--data-dir', dataDir, '-f', 'nope']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /function "nope" is not in .*serverless\.yml; functions: echo, fail, slow, chatty, sleepy, huge$/m);
  });
});

test('gannet logs finds what gannet dev recorded in the service folder when neither is given --data-dir', async (t) => {
  // A copy, so that the store gannet dev keeps in <service>/.gannet/dev lands in a temp folder.
  const copy = mkdtempSync(join(tmpdir(), 'gannet-logs-default-'));
  t.after(() => rmSync(copy, { recursive: true, force: true }));
  cpSync(dir, copy, { recursive: true });
  const dev = await startGannetDev(t, copy, ['--no-watch', '--spares', '0']);
  const lambda = new LambdaClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
  t.after(() => lambda.destroy());
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'lambda-api-e2e-dev-echo', Payload: new TextEncoder().encode('{"where":"default"}') }));
  const id = out.$metadata.requestId!;
  assert.ok(existsSync(join(copy, '.gannet', 'dev')), 'the store is in <service>/.gannet/<stage>');
  const printedLogs = await eventually('the record', async () => {
    const r = await runGannet(['logs', copy, '-f', 'echo']);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.includes(`REPORT RequestId: ${id}`) ? r.stdout : undefined;
  });
  assert.match(printedLogs, new RegExp(`\\t${id}\\tINFO\\techo got \\{"where":"default"\\}`));
});

