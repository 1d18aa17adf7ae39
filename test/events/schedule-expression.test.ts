import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTimeZone, parseSchedule, nextFire, nextFireInZone } from '../../src/events/schedule-expression.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

test('rate expressions fire one period after they start and insist on singular/plural', () => {
  const s = parseSchedule('rate(5 minutes)');
  const start = at('2026-01-01T10:00:30Z');
  assert.equal(iso(nextFire(s, start, start)), '2026-01-01T10:05:30.000Z');
  assert.equal(iso(nextFire(s, at('2026-01-01T10:05:30Z'), start)), '2026-01-01T10:10:30.000Z');
  assert.equal(parseSchedule('rate(1 day)').kind, 'rate');
  for (const bad of ['rate(1 minutes)', 'rate(5 minute)', 'rate(0 minutes)', 'rate(30 seconds)', 'rate(1.5 hours)', 'every 5 minutes']) {
    assert.throws(() => parseSchedule(bad), /invalid schedule expression/, bad);
  }
});

test('cron: daily, weekdays with names, and increments, in UTC', () => {
  assert.equal(iso(nextFire(parseSchedule('cron(0 12 * * ? *)'), at('2026-03-10T12:00:00Z'))), '2026-03-11T12:00:00.000Z');
  assert.equal(iso(nextFire(parseSchedule('cron(0 12 * * ? *)'), at('2026-03-10T11:59:00Z'))), '2026-03-10T12:00:00.000Z');
  // 2026-03-13 is a Friday: next weekday 18:00 after Friday 19:00 is Monday the 16th.
  assert.equal(iso(nextFire(parseSchedule('cron(0 18 ? * MON-FRI *)'), at('2026-03-13T19:00:00Z'))), '2026-03-16T18:00:00.000Z');
  assert.equal(iso(nextFire(parseSchedule('cron(0/15 * * * ? *)'), at('2026-03-13T19:07:00Z'))), '2026-03-13T19:15:00.000Z');
  // Day-of-week 1 is Sunday in AWS's dialect: 2026-03-15 is a Sunday.
  assert.equal(iso(nextFire(parseSchedule('cron(30 6 ? * 1 *)'), at('2026-03-10T00:00:00Z'))), '2026-03-15T06:30:00.000Z');
});

test('cron: L, W, # and the year field', () => {
  assert.equal(iso(nextFire(parseSchedule('cron(0 0 L * ? *)'), at('2026-02-10T00:00:00Z'))), '2026-02-28T00:00:00.000Z');
  // Last Thursday (5L) of March 2026 is the 26th.
  assert.equal(iso(nextFire(parseSchedule('cron(0 9 ? * 5L *)'), at('2026-03-01T00:00:00Z'))), '2026-03-26T09:00:00.000Z');
  // Second Tuesday (3#2) of March 2026 is the 10th.
  assert.equal(iso(nextFire(parseSchedule('cron(0 9 ? * 3#2 *)'), at('2026-03-01T00:00:00Z'))), '2026-03-10T09:00:00.000Z');
  // 2026-08-01 is a Saturday: the weekday nearest the 1st, within August, is Monday the 3rd.
  assert.equal(iso(nextFire(parseSchedule('cron(0 8 1W * ? *)'), at('2026-07-31T12:00:00Z'))), '2026-08-03T08:00:00.000Z');
  // 2026-05-15 is a Friday; the 16th (Saturday) moves back to it.
  assert.equal(iso(nextFire(parseSchedule('cron(0 8 16W * ? *)'), at('2026-05-01T00:00:00Z'))), '2026-05-15T08:00:00.000Z');
  assert.equal(iso(nextFire(parseSchedule('cron(0 0 1 1 ? 2030)'), at('2026-05-01T00:00:00Z'))), '2030-01-01T00:00:00.000Z');
  assert.equal(nextFire(parseSchedule('cron(0 0 1 1 ? 2020)'), at('2026-05-01T00:00:00Z')), undefined);
});

test('cron: malformed expressions name what is wrong', () => {
  assert.throws(() => parseSchedule('cron(0 10 * * *)'), /6 fields/);
  assert.throws(() => parseSchedule('cron(0 10 * * * *)'), /exactly one of day-of-month and day-of-week/);
  assert.throws(() => parseSchedule('cron(61 10 * * ? *)'), /"61" is out of range 0-59/);
  assert.throws(() => parseSchedule('cron(0 10 ? * 2#6 *)'), /must be 1-5/);
});

test('a cron with a time zone (EventBridge Scheduler) follows the zone, daylight saving included', () => {
  const nine = parseSchedule('cron(0 9 * * ? *)');
  assert.equal(iso(nextFireInZone(nine, at('2026-01-10T00:00:00Z'), 0, 'Europe/Paris')), '2026-01-10T08:00:00.000Z');
  assert.equal(iso(nextFireInZone(nine, at('2026-07-10T00:00:00Z'), 0, 'Europe/Paris')), '2026-07-10T07:00:00.000Z');
  assert.equal(iso(nextFireInZone(nine, at('2026-07-10T08:00:00Z'), 0, 'America/New_York')), '2026-07-10T13:00:00.000Z');
  assert.equal(iso(nextFireInZone(nine, at('2026-07-10T00:00:00Z'), 0, undefined)), '2026-07-10T09:00:00.000Z', 'UTC without a zone');
  const halfTwo = parseSchedule('cron(30 2 * * ? *)');
  assert.equal(iso(nextFireInZone(halfTwo, at('2026-03-29T00:00:00Z'), 0, 'Europe/Paris')), '2026-03-29T01:30:00.000Z', '02:30 is skipped: 03:30 CEST');
  assert.equal(iso(nextFireInZone(halfTwo, at('2026-10-25T00:00:00Z'), 0, 'Europe/Paris')), '2026-10-25T00:30:00.000Z', 'the first 02:30');
  assert.equal(iso(nextFireInZone(halfTwo, at('2026-10-25T00:30:00Z'), 0, 'Europe/Paris')), '2026-10-26T01:30:00.000Z', 'not the repeated 02:30');
  const rate = parseSchedule('rate(5 minutes)');
  assert.equal(nextFireInZone(rate, 1000, 0, 'Europe/Paris'), 300_000, 'rates ignore the zone');
  assert.throws(() => checkTimeZone('Mars/Olympus'), /unknown time zone "Mars\/Olympus"/);
});
