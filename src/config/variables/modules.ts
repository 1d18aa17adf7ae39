// Loading a JS/TS module's export afresh each time: `gannet dev` reloads the config when files
// change, and Node caches modules forever. CommonJS files are re-required after dropping them from
// the require cache; ES modules are imported under a URL carrying a hash of their content.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function importFresh(file: string): Promise<unknown> {
  if (await isCommonJs(file)) {
    const require = createRequire(file);
    const resolved = require.resolve(file);
    delete require.cache[resolved];
    return require(resolved) as unknown;
  }
  // A missing file must fail like a missing module would (ENOENT here), so fallbacks apply.
  const version = createHash('sha1').update(await readFile(file)).digest('hex').slice(0, 12);
  const mod = await import(`${pathToFileURL(file).href}?v=${version}`) as Record<string, unknown>;
  return moduleExport(mod);
}

/** What a module exports: `export default`, or its named exports as a plain object. */
export function moduleExport(mod: Record<string, unknown>): unknown {
  if ('default' in mod) return mod.default;
  return { ...mod };
}

/** .cjs/.cts always, .mjs/.mts never, .js/.ts by the nearest package.json `type`. */
async function isCommonJs(file: string): Promise<boolean> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.cjs' || ext === '.cts') return true;
  if (ext === '.mjs' || ext === '.mts') return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { type?: string };
      return pkg.type !== 'module';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return ext === '.js';
    }
    if (path.dirname(dir) === dir) return ext === '.js';
  }
}
