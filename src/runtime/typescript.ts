// TypeScript handlers: bundled with esbuild on first use and whenever one of the bundle's inputs
// changed (size or mtime), into <serviceDir>/.gannet/build/. Packages stay external and resolve
// from the service's node_modules at run time; an inline source map lets the child's stack
// traces name the .ts file and line.
import { build, type Metafile } from 'esbuild';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { GannetError } from '../shared/errors.ts';

export type BundleFormat = 'esm' | 'cjs';

export type Bundle = {
  /** The module the Node bootstrap loads instead of resolving the handler. */
  outFile: string;
  /** Absolute paths of the source files that went into the bundle. */
  inputs: string[];
};

/** Which module format a TypeScript entry compiles to: .mts/.cts decide, else the package's "type". */
export async function formatFor(entry: string): Promise<BundleFormat> {
  const ext = extname(entry);
  if (ext === '.mts') return 'esm';
  if (ext === '.cts') return 'cjs';
  let dir = dirname(entry);
  for (;;) {
    try {
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { type?: string };
      return pkg.type === 'module' ? 'esm' : 'cjs';
    } catch { /* no (readable) package.json here: look further up */ }
    const parent = dirname(dir);
    if (parent === dir) return 'cjs';
    dir = parent;
  }
}

// ESM output cannot call `require`; bundled code that does (or CommonJS helpers) gets a real one.
const ESM_BANNER = "import { createRequire as __gannetCreateRequire } from 'node:module';\nconst require = __gannetCreateRequire(import.meta.url);";

/** Bundles `entry` into `outDir` (bundle, platform node, packages external, inline source map). */
export async function bundleTypeScript(entry: string, outDir: string, format?: BundleFormat): Promise<Bundle> {
  const fmt = format ?? await formatFor(entry);
  const stem = basename(entry, extname(entry));
  const outFile = join(outDir, `${stem}.${fmt === 'esm' ? 'mjs' : 'cjs'}`);
  let result;
  try {
    result = await build({
      entryPoints: [entry],
      outfile: outFile,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: fmt,
      packages: 'external',
      sourcemap: 'inline',
      keepNames: true,
      metafile: true,
      write: false,
      logLevel: 'silent',
      ...(fmt === 'esm' ? { banner: { js: ESM_BANNER } } : {}),
    });
  } catch (err) {
    const errors = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors ?? [];
    const first = errors[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column}` : entry;
    throw new GannetError('GANNET_TYPESCRIPT_BUILD', `Could not bundle ${entry}: ${where}: ${first?.text ?? String(err)}. Fix the TypeScript error and invoke again.`, { cause: err });
  }
  await mkdir(outDir, { recursive: true });
  for (const file of result.outputFiles) {
    // Write beside and rename: an instance starting right now never reads half a bundle.
    const tmp = `${file.path}.${process.pid}.tmp`;
    await writeFile(tmp, file.contents);
    await rename(tmp, file.path);
  }
  return { outFile, inputs: inputsOf(result.metafile) };
}

function inputsOf(meta: Metafile): string[] {
  return Object.keys(meta.inputs).filter((p) => !p.includes('node_modules')).map((p) => resolve(p));
}

type Manifest = { outFile: string; inputs: { path: string; size: number; mtimeMs: number }[] };

/** File mtimes come from a coarse clock that can trail Date.now() by a tick; be generous. */
const RACY_MS = 1000;

/**
 * Bundles of one host, cached on disk with a manifest of their inputs. Concurrent cold starts of
 * one function share one build.
 */
export class TypeScriptBuilds {
  #inFlight = new Map<string, Promise<Bundle>>();

  /** The bundle for `entry` of the service in `serviceDir`, rebuilt if any input changed. */
  bundleFor(serviceDir: string, entry: string): Promise<Bundle> {
    const rel = relative(serviceDir, entry);
    const outDir = join(serviceDir, '.gannet', 'build', rel.startsWith('..') ? '_external' : dirname(rel));
    const key = join(outDir, basename(entry));
    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      pending = this.#fresh(entry, outDir, `${key}.manifest.json`).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  async #fresh(entry: string, outDir: string, manifestFile: string): Promise<Bundle> {
    const cached = await readManifest(manifestFile);
    if (cached !== undefined && await unchanged(cached)) {
      return { outFile: cached.outFile, inputs: cached.inputs.map((i) => i.path) };
    }
    const startedAt = Date.now();
    const bundle = await bundleTypeScript(entry, outDir);
    const inputs = await Promise.all(bundle.inputs.map(async (path) => {
      const s = await stat(path);
      // Saved while esbuild read it (or just before): its stat may describe text newer than the
      // bundle's. Such an input never matches, so the next use builds again (git's "racy" files).
      return { path, size: s.size, mtimeMs: s.mtimeMs >= startedAt - RACY_MS ? -1 : s.mtimeMs };
    }));
    await writeFile(manifestFile, JSON.stringify({ outFile: bundle.outFile, inputs } satisfies Manifest));
    return bundle;
  }
}

async function readManifest(file: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

async function unchanged(m: Manifest): Promise<boolean> {
  try {
    await stat(m.outFile);
    const stats = await Promise.all(m.inputs.map((i) => stat(i.path)));
    return stats.every((s, n) => s.size === m.inputs[n]!.size && s.mtimeMs === m.inputs[n]!.mtimeMs);
  } catch {
    return false;
  }
}

/** Splits a handler string as Lambda's Node runtime does: `src/users.create` → `src/users` + `create`. */
export function splitHandler(handler: string): { modulePath: string; exportPath: string } | undefined {
  const base = handler.slice(handler.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  if (dot <= 0) return undefined;
  const dir = handler.slice(0, handler.length - base.length);
  return { modulePath: dir + base.slice(0, dot), exportPath: base.slice(dot + 1) };
}

const TS_EXTENSIONS = ['.ts', '.mts', '.cts'];

/**
 * The TypeScript source a Node handler names, if there is one. TypeScript wins over a .js beside
 * it: that .js is usually a stale compile of the same file.
 */
export async function findTypeScriptHandler(codeDir: string, handler: string): Promise<string | undefined> {
  if (handler.includes('..')) return undefined;
  const parts = splitHandler(handler);
  if (parts === undefined) return undefined;
  const base = resolve(codeDir, parts.modulePath.split('/').join(sep));
  // All at once, then in order of precedence: this runs on every cold start, and three stats one
  // after another were three trips through the thread pool before the instance got its handler.
  const isFile = await Promise.all(TS_EXTENSIONS.map((ext) => stat(base + ext).then((s) => s.isFile(), () => false)));
  const i = isFile.indexOf(true);
  return i === -1 ? undefined : base + TS_EXTENSIONS[i];
}
