// EventBridge schedule expressions: `rate(5 minutes)` and AWS's six-field `cron(...)` (UTC, or a
// time zone for EventBridge Scheduler), with `?`, `L`, `W`, `#` and the year field. Hand-written because AWS's dialect differs from
// Unix cron (1 = Sunday, a year field, `?`, `W`) and libraries implement it only in part.
import { GannetError } from '../shared/errors.ts';

export type Schedule =
  | { kind: 'rate'; periodMs: number; text: string }
  | { kind: 'cron'; text: string; minutes: Set<number>; hours: Set<number>; months: Set<number>; years: Set<number> | 'any';
      dom: DayOfMonth; dow: DayOfWeek };

type DayOfMonth = { any: true } | { days: Set<number>; last: boolean; lastWeekday: boolean; nearestWeekday: number[] };
type DayOfWeek = { any: true } | { days: Set<number>; lastOf: number[]; nth: { day: number; n: number }[] };

const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function invalid(text: string, why: string): GannetError {
  return new GannetError('GANNET_SCHEDULE', `invalid schedule expression "${text}": ${why}`);
}

export function parseSchedule(text: string): Schedule {
  const trimmed = text.trim();
  const rate = /^rate\((.*)\)$/.exec(trimmed);
  if (rate) return parseRate(trimmed, rate[1]!.trim());
  const cron = /^cron\((.*)\)$/.exec(trimmed);
  if (cron) return parseCron(trimmed, cron[1]!.trim());
  throw invalid(text, 'expected rate(value unit) or cron(minutes hours day-of-month month day-of-week year)');
}

function parseRate(text: string, body: string): Schedule {
  const m = /^(\d+)\s+(minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!m) throw invalid(text, 'expected a positive whole number and minute(s), hour(s) or day(s), e.g. rate(5 minutes)');
  const value = Number(m[1]);
  const unit = m[2]!;
  if (value <= 0) throw invalid(text, 'the value must be positive');
  const plural = unit.endsWith('s');
  if ((value === 1) === plural) throw invalid(text, value === 1 ? `use "${unit.replace(/s$/, '')}" for 1` : `use "${unit}s" for values above 1`);
  return { kind: 'rate', periodMs: value * UNITS[unit.replace(/s$/, '')]!, text };
}

function parseCron(text: string, body: string): Schedule {
  const fields = body.split(/\s+/);
  if (fields.length !== 6) throw invalid(text, `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  const [min, hour, dom, mon, dow, year] = fields as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw invalid(text, 'exactly one of day-of-month and day-of-week must be "?"');
  return {
    kind: 'cron', text,
    minutes: parseField(text, min, 0, 59, []),
    hours: parseField(text, hour, 0, 23, []),
    months: parseField(text, mon, 1, 12, MONTHS),
    years: year === '*' ? 'any' : parseField(text, year, 1970, 2199, []),
    dom: dom === '?' ? { any: true } : parseDayOfMonth(text, dom),
    dow: dow === '?' ? { any: true } : parseDayOfWeek(text, dow),
  };
}

function parseValue(text: string, v: string, lo: number, hi: number, names: string[]): number {
  const named = names.indexOf(v.toUpperCase());
  const n = named >= 0 ? named + lo : Number(v);
  if (!Number.isInteger(n) || n < lo || n > hi) throw invalid(text, `"${v}" is out of range ${lo}-${hi}`);
  return n;
}

function parseField(text: string, field: string, lo: number, hi: number, names: string[]): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw invalid(text, `bad increment in "${part}"`);
    let from: number; let to: number;
    if (range === '*') { from = lo; to = hi; } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      from = parseValue(text, a, lo, hi, names); to = parseValue(text, b, lo, hi, names);
    } else { from = parseValue(text, range, lo, hi, names); to = stepText === undefined ? from : hi; }
    // A range may wrap (FRI-MON, 22-2): walk from `from` past `hi` back round to `to`.
    const span = from <= to ? to - from : hi - from + 1 + to - lo;
    for (let i = 0; i <= span; i += step) out.add(from + i > hi ? from + i - (hi - lo + 1) : from + i);
  }
  return out;
}

function parseDayOfMonth(text: string, field: string): DayOfMonth {
  const spec = { days: new Set<number>(), last: false, lastWeekday: false, nearestWeekday: [] as number[] };
  for (const part of field.split(',')) {
    if (part === 'L') spec.last = true;
    else if (part === 'LW') spec.lastWeekday = true;
    else if (/^\d+W$/.test(part)) spec.nearestWeekday.push(parseValue(text, part.slice(0, -1), 1, 31, []));
    else for (const d of parseField(text, part, 1, 31, [])) spec.days.add(d);
  }
  return spec;
}

function parseDayOfWeek(text: string, field: string): DayOfWeek {
  const spec = { days: new Set<number>(), lastOf: [] as number[], nth: [] as { day: number; n: number }[] };
  for (const part of field.split(',')) {
    // AWS numbers days 1-7 from Sunday; stored here 0-6 as Date.getUTCDay() does.
    if (part === 'L') spec.days.add(6);
    else if (/^\w+L$/.test(part)) spec.lastOf.push(parseValue(text, part.slice(0, -1), 1, 7, DAYS) - 1);
    else if (part.includes('#')) {
      const [d, n] = part.split('#') as [string, string];
      const nth = Number(n);
      if (!Number.isInteger(nth) || nth < 1 || nth > 5) throw invalid(text, `"#${n}" must be 1-5`);
      spec.nth.push({ day: parseValue(text, d, 1, 7, DAYS) - 1, n: nth });
    } else for (const d of parseField(text, part, 1, 7, DAYS)) spec.days.add(d - 1);
  }
  return spec;
}

function daysInMonth(y: number, m: number): number { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }

function nearestWeekday(y: number, m: number, day: number): number {
  const last = daysInMonth(y, m);
  const d = Math.min(day, last);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  if (wd === 6) return d === 1 ? 3 : d - 1;            // Saturday → Friday, unless that leaves the month
  if (wd === 0) return d === last ? d - 2 : d + 1;     // Sunday → Monday, unless that leaves the month
  return d;
}

function dayMatches(s: Extract<Schedule, { kind: 'cron' }>, y: number, m: number, d: number): boolean {
  if (!s.months.has(m) || (s.years !== 'any' && !s.years.has(y))) return false;
  const last = daysInMonth(y, m);
  if (!('any' in s.dom)) {
    const dom = s.dom;
    if (dom.days.has(d) || (dom.last && d === last)) return true;
    if (dom.lastWeekday && d === nearestWeekday(y, m, last)) return true;
    return dom.nearestWeekday.some((n) => n <= last && nearestWeekday(y, m, n) === d);
  }
  if (!('any' in s.dow)) {
    const dow = s.dow;
    const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    if (dow.days.has(wd)) return true;
    if (dow.lastOf.includes(wd) && d + 7 > last) return true;
    return dow.nth.some((x) => x.day === wd && Math.ceil(d / 7) === x.n);
  }
  return true;
}

/** The first fire time strictly after `afterMs` (epoch ms), or undefined when there is none. For a
 *  rate, `startMs` is when the rule was enabled: fires are one period apart from it. */
export function nextFire(s: Schedule, afterMs: number, startMs = afterMs): number | undefined {
  if (s.kind === 'rate') return startMs + (Math.floor((afterMs - startMs) / s.periodMs) + 1) * s.periodMs;
  const minutes = [...s.minutes].sort((a, b) => a - b);
  const hours = [...s.hours].sort((a, b) => a - b);
  const from = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
  const lastYear = s.years === 'any' ? from.getUTCFullYear() + 30 : Math.max(...s.years);
  let day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let first = true; new Date(day).getUTCFullYear() <= lastYear; day += 86_400_000, first = false) {
    const dt = new Date(day);
    if (!dayMatches(s, dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate())) continue;
    for (const h of hours) {
      if (first && h < from.getUTCHours()) continue;
      for (const mi of minutes) {
        const t = day + h * 3_600_000 + mi * 60_000;
        if (t >= from.getTime()) return t;
      }
    }
  }
  return undefined;
}

/** How far `zone`'s wall clock is ahead of UTC at `utcMs` (negative west of Greenwich). */
function zoneOffsetMs(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** Throws GANNET_SCHEDULE unless `zone` is an IANA time zone name this Node knows. */
export function checkTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new GannetError('GANNET_SCHEDULE', `unknown time zone "${zone}": expected an IANA name such as Europe/Paris or America/New_York`);
  }
}

/**
 * nextFire for a cron evaluated on `zone`'s wall clock (EventBridge Scheduler's `timezone`); rates
 * and UTC are unaffected. A wall time repeated by a daylight-saving fall-back fires once, at its
 * first occurrence; one skipped by a spring-forward fires as late after the jump as it was meant
 * to be after the last full hour before it.
 */
export function nextFireInZone(s: Schedule, afterMs: number, startMs: number, zone: string | undefined): number | undefined {
  if (s.kind === 'rate' || zone === undefined || zone === 'UTC') return nextFire(s, afterMs, startMs);
  // Search on a timeline where "UTC" reads as the zone's wall clock, then map back.
  let wallAfter = afterMs + zoneOffsetMs(zone, afterMs);
  for (let guard = 0; guard < 4; guard++) {
    const wall = nextFire(s, wallAfter);
    if (wall === undefined) return undefined;
    const before = wall - zoneOffsetMs(zone, wall - 12 * 3_600_000);
    const after = wall - zoneOffsetMs(zone, wall + 12 * 3_600_000);
    const real = [before, after].filter((utc) => utc + zoneOffsetMs(zone, utc) === wall).sort((a, b) => a - b);
    const candidates = real.length > 0 ? real : [before];
    if (candidates[0]! > afterMs) return candidates[0];
    wallAfter = wall; // that wall time is behind us (its first occurrence fired): look further
  }
  return undefined;
}
