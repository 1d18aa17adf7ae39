// Compares an event a function received with one AWS delivers, field by field: the same keys at
// every level, the same JSON type for every value. Values are the test's business (ids, handles
// and times differ by nature).
import assert from 'node:assert/strict';

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Throws naming the first path where `actual` and `real` differ in keys or JSON types. */
export function assertSameShape(actual: unknown, real: unknown, path = '$'): void {
  assert.equal(kind(actual), kind(real), `${path}: ${kind(actual)} where AWS has ${kind(real)} (${JSON.stringify(actual)})`);
  if (Array.isArray(real)) {
    const items = actual as unknown[];
    if (real.length === 0) return;
    items.forEach((item, i) => assertSameShape(item, real[Math.min(i, real.length - 1)], `${path}[${i}]`));
    return;
  }
  if (kind(real) !== 'object') return;
  const a = actual as Record<string, unknown>;
  const r = real as Record<string, unknown>;
  assert.deepEqual(Object.keys(a).sort(), Object.keys(r).sort(), `${path}: keys differ from the event AWS delivers`);
  for (const key of Object.keys(r)) assertSameShape(a[key], r[key], `${path}.${key}`);
}
