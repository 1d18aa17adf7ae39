// `gannet logs` body: finds the function by key in serverless.yml and prints its records from the
// stage's store, as `gannet dev` wrote them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLogs } from '../../src/cli/logs.ts';
import { openStore } from '../../src/store/index.ts';
import { GannetError } from '../../src/shared/errors.ts';

test('runLogs prints the records of the function named by its key, for the stage', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-cli-logs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'serverless.yml'), [
    'service: shop', 'provider:', '  name: aws', '  runtime: nodejs20.x',
    'functions:', '  orders:', '    handler: handler.orders', '  users:', '    handler: handler.users', '',
  ].join('\n'));
  const store = await openStore({ dir: join(dir, '.gannet', 'dev') });
  const rec = (requestId: string, functionName: string, line: string) => ({
    requestId, functionName, version: '$LATEST', trigger: 'http', startedAt: Date.now(), durationMs: 1, billedDurationMs: 1,
    memorySizeMb: 1024, maxMemoryUsedMb: 50, outcome: 'ok' as const, attempt: 1,
    logs: [`START RequestId: ${requestId} Version: $LATEST`, line, `END RequestId: ${requestId}`],
  });
  await store.records.append(rec('a', 'shop-dev-orders', 'order placed'));
  await store.records.append(rec('b', 'shop-dev-users', 'user created'));
  await store.records.append(rec('c', 'shop-dev-orders', 'order shipped'));
  await store.close();

  const out: string[] = [];
  assert.equal(await runLogs({ dir, function: 'orders', write: (l) => out.push(l) }), 0);
  assert.deepEqual(out.filter((l) => !/^(START|END) /.test(l)), ['order placed', 'order shipped']);

  const filtered: string[] = [];
  await runLogs({ dir, function: 'orders', filter: 'shipped', since: '10m', write: (l) => filtered.push(l) });
  assert.deepEqual(filtered, ['START RequestId: c Version: $LATEST', 'order shipped', 'END RequestId: c']);

  await assert.rejects(runLogs({ dir, function: 'nope', write: () => {} }), (err: unknown) =>
    err instanceof GannetError && err.code === 'GANNET_USAGE' && err.message.includes('orders, users'));
});
