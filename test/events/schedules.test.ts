// The scheduler on the real service host (store, invoker, pool, real function processes) under a
// fake clock: ticks fire one period after start, deliver the Scheduled Event (or the rule's input),
// skip disabled rules, stay off with `schedules: false`, and a tick missed while down is not replayed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServiceHost, type ServiceHost } from '../../src/host/index.ts';
import type { Logger } from '../../src/shared/log.ts';
import { ASYNC_QUEUE_PREFIX, asyncQueueName } from '../../src/invoke/index.ts';
import { FakeClock } from '../store/fake-clock.ts';
import { assertSameShape } from '../helpers/event-shape.ts';
import { eventually, printed } from '../helpers/function-output.ts';

const dir = fileURLToPath(new URL('./fixtures/schedules', import.meta.url));
const realEvent = JSON.parse(readFileSync(fileURLToPath(new URL('../e2e/fixtures/aws-events/scheduled-event.json', import.meta.url)), 'utf8'));
const START = Date.UTC(2024, 0, 31, 12, 0, 30);
const ruleArn = (fn: string) => `arn:aws:events:us-east-1:000000000000:rule/schedules-unit-dev-${fn}EventsRuleSchedule1`;

type Tick = { fn: string; event: any };

async function host(t: { after(fn: () => Promise<void>): void }, clock: FakeClock, dataDir: string, o: { schedules?: boolean; asyncWorker?: boolean } = {}) {
  const lines: string[] = [];
  const warnings: string[] = [];
  const log: Logger = { info: () => {}, debug: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  const h: ServiceHost = await startServiceHost({ dir, log, clock, dataDir, spares: 0, ...o, onFunctionLog: (l) => lines.push(l) });
  let closed = false;
  const close = async () => { if (!closed) { closed = true; await h.close(); } };
  t.after(close);
  const ticks = (fn?: string) => printed<Tick>(lines.join('\n'), 'SCHEDULED').filter((x) => fn === undefined || x.fn === `schedules-unit-dev-${fn}`);
  // Fake time must not jump while an event is in flight: its lease would expire and it would run again.
  const idle = () => eventually('the async queues to drain', async () => {
    for (const q of await h.store.queues.list(ASYNC_QUEUE_PREFIX)) {
      const c = await h.store.queues.counts(q.name);
      if (c.visible + c.inFlight + c.delayed > 0) return false;
    }
    return true;
  });
  /** Moves time on, then waits until each function has printed `expect[fn]` ticks in all and its queue is empty. */
  const step = async (ms: number, expect: Record<string, number> = {}) => {
    await clock.advance(ms);
    await eventually(`ticks ${JSON.stringify(expect)}`, () => Object.entries(expect).every(([fn, n]) => ticks(fn).length >= n));
    await idle();
  };
  return { h, lines, warnings, ticks, close, step };
}

test('ticks fire one period after start with the Scheduled Event or the rule input; disabled rules never fire', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gannet-schedules-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const clock = new FakeClock(START);
  const s = await host(t, clock, dataDir);

  await s.step(59_000);
  assert.deepEqual(s.ticks(), [], 'nothing before one period');
  await s.step(1_000, { ticker: 1 }); // 12:01:30, one minute after start
  const first = s.ticks('ticker')[0]!;
  assertSameShape(first.event, realEvent);
  assert.equal(first.event.version, '0');
  assert.equal(first.event['detail-type'], 'Scheduled Event');
  assert.equal(first.event.source, 'aws.events');
  assert.equal(first.event.account, '000000000000');
  assert.equal(first.event.region, 'us-east-1');
  assert.equal(first.event.time, '2024-01-31T12:01:30Z');
  assert.deepEqual(first.event.resources, [ruleArn('Ticker')]);
  assert.deepEqual(first.event.detail, {});
  assert.match(first.event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

  await s.step(60_000, { ticker: 2, withInput: 1, withInputPath: 1, withTransformer: 1 }); // 12:02:30: the two-minute rules
  await s.step(30_000, { everyThird: 1 }); // 12:03:00: the cron rule
  await s.step(30_000, { ticker: 3 }); // 12:03:30

  assert.deepEqual(s.ticks('ticker').map((x) => x.event.time), ['2024-01-31T12:01:30Z', '2024-01-31T12:02:30Z', '2024-01-31T12:03:30Z']);
  assert.equal(new Set(s.ticks('ticker').map((x) => x.event.id)).size, 3, 'each tick has its own id');
  assert.deepEqual(s.ticks('withInput').map((x) => x.event), [{ key: 'value', nested: { n: 1 } }], 'input replaces the event');
  assert.deepEqual(s.ticks('withInputPath').map((x) => x.event), [[ruleArn('WithInputPath')]], 'inputPath selects from the event');
  assert.deepEqual(s.ticks('withTransformer').map((x) => x.event), [{ at: '2024-01-31T12:02:30Z', rule: ruleArn('WithTransformer'), fixed: 'yes' }]);
  assert.deepEqual(s.ticks('everyThird').map((x) => x.event.time), ['2024-01-31T12:03:00Z'], 'cron ticks on the clock, in UTC');
  assert.deepEqual(s.ticks('disabled'), [], 'enabled: false');
  assert.deepEqual(s.warnings, []);
});

test('a tick missed while the service was down is not replayed', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gannet-schedules-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const before = new FakeClock(START);
  const first = await host(t, before, dataDir);
  await first.step(60_000, { ticker: 1 });
  await first.close();

  // Down for ten minutes: the ticks of 12:02:30 … 12:11:30 and the cron ticks of 12:03 … 12:09 are missed.
  const after = new FakeClock(START + 11 * 60_000 + 30_000); // 12:12:00
  const second = await host(t, after, dataDir);
  await second.step(60_000, { ticker: 1 }); // 12:13:00: one period after the restart
  await second.step(60_000, { ticker: 2 });
  await second.step(60_000, { ticker: 3, everyThird: 1 }); // 12:15:00: the next cron tick

  assert.deepEqual(second.ticks('ticker').map((x) => x.event.time), ['2024-01-31T12:13:00Z', '2024-01-31T12:14:00Z', '2024-01-31T12:15:00Z']);
  assert.deepEqual(second.ticks('everyThird').map((x) => x.event.time), ['2024-01-31T12:15:00Z']);
});

test('a reload keeps each rate rule counting from when it started', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gannet-schedules-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const clock = new FakeClock(START);
  const s = await host(t, clock, dataDir);
  await s.step(45_000); // 12:01:15
  await s.h.reload(); // as `gannet dev` does when a file is saved
  await s.step(15_000, { ticker: 1 }); // 12:01:30: still one minute after the start, not after the reload
  assert.deepEqual(s.ticks('ticker').map((x) => x.event.time), ['2024-01-31T12:01:30Z']);
});

test('schedules: false (gannet dev --no-schedules) fires nothing', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gannet-schedules-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const clock = new FakeClock(START);
  // Without the async worker a fired tick would stay on its function's queue, where it is counted.
  const s = await host(t, clock, dataDir, { schedules: false, asyncWorker: false });
  await clock.advance(10 * 60_000);
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const fn of Object.values(s.h.spec().functions)) {
    const queued = await s.h.store.queues.get(asyncQueueName(fn.name)) ? await s.h.store.queues.counts(asyncQueueName(fn.name)) : undefined;
    assert.ok(queued === undefined || queued.visible + queued.inFlight + queued.delayed === 0, `${fn.key}: ${JSON.stringify(queued)}`);
  }

  // The same check sees the ticks of a host that runs its schedules.
  const dataDir2 = mkdtempSync(join(tmpdir(), 'gannet-schedules-'));
  t.after(() => rmSync(dataDir2, { recursive: true, force: true }));
  const clock2 = new FakeClock(START);
  const on = await host(t, clock2, dataDir2, { asyncWorker: false });
  await clock2.advance(60_000);
  await eventually('a queued tick', async () => (await on.h.store.queues.counts(asyncQueueName('schedules-unit-dev-ticker')).catch(() => ({ visible: 0 }))).visible === 1);
});
