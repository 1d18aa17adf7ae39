// Removes body files no row refers to: temp files of writes cut short (a crash, a killed process)
// and bodies renamed into place whose metadata commit never happened. Runs once in the background
// after open. Only files untouched for a while are removed, so writes in flight (in this or
// another process sharing the store) are never hit.
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectCtx } from './context.ts';
import { TEMP_SUFFIX } from './body-files.ts';

/** A renamed body is committed within milliseconds; one this old without a row is an orphan. */
export const ORPHAN_MIN_AGE_MS = 10 * 60_000;
/** A temp file grows while its upload streams; a client stalled this long has gone. */
export const TEMP_MIN_AGE_MS = 60 * 60_000;

export async function sweepOrphanBodies(ctx: ObjectCtx, signal: AbortSignal): Promise<number> {
  const dirs = await readdir(ctx.files.root, { withFileTypes: true }).catch(() => []);
  const bucketOfDir = new Map(ctx.buckets.selectAll().map((b) => [ctx.files.bucketDir(b.name), b.name]));
  let removed = 0;
  for (const dir of dirs) {
    if (!dir.isDirectory() || signal.aborted) continue;
    const bucket = bucketOfDir.get(dir.name);
    const referenced = new Set(bucket === undefined ? [] : [...ctx.objects.files(bucket), ...ctx.uploads.partFilesOfBucket(bucket)]);
    const names = await readdir(join(ctx.files.root, dir.name)).catch(() => []);
    for (const name of names) {
      if (signal.aborted) return removed;
      if (referenced.has(`${dir.name}/${name}`)) continue;
      const abs = join(ctx.files.root, dir.name, name);
      const st = await stat(abs).catch(() => undefined);
      if (!st?.isFile()) continue;
      // File times are wall-clock times, so this compares with Date.now(), not the injected clock.
      const age = Date.now() - st.mtimeMs;
      if (age < (name.endsWith(TEMP_SUFFIX) ? TEMP_MIN_AGE_MS : ORPHAN_MIN_AGE_MS)) continue;
      await unlink(abs).then(() => removed++, () => {});
    }
  }
  return removed;
}
