// A Python function's requirements.txt, installed once with pip into a cache keyed by the
// file's hash (as serverless-python-requirements does), then put on the instance's PYTHONPATH.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { GannetError } from '../../shared/errors.ts';

const installing = new Map<string, Promise<string>>();

export function defaultPythonCache(): string {
  return process.env.GANNET_PYTHON_CACHE ?? join(homedir(), '.cache', 'gannet', 'python');
}

/** The folder holding the installed requirements of `codeDir`, or undefined when it has none. */
export async function pythonRequirementsDir(codeDir: string, python: string, cacheRoot = defaultPythonCache()): Promise<string | undefined> {
  const file = join(codeDir, 'requirements.txt');
  let text: string;
  try { text = await readFile(file, 'utf8'); } catch { return undefined; }
  if (!text.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#'))) return undefined;
  const key = createHash('sha256').update(python).update('\0').update(text).digest('hex').slice(0, 16);
  const target = join(cacheRoot, key);
  let pending = installing.get(target);
  if (!pending) {
    pending = install(file, python, target);
    installing.set(target, pending);
    pending.catch(() => installing.delete(target));
  }
  return pending;
}

async function install(file: string, python: string, target: string): Promise<string> {
  const marker = join(target, '.gannet-complete');
  try { await access(marker); return target; } catch { /* not cached yet */ }
  const tmp = `${target}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    execFile(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '-r', file, '-t', tmp],
      { maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        reject(new GannetError('GANNET_PYTHON_REQUIREMENTS',
          `pip could not install ${file}:\n${String(stderr).trim().split('\n').slice(-8).join('\n')}\n` +
          'Fix the file, or install the packages for the interpreter Gannet uses (set GANNET_PYTHON to pick it).', { cause: err }));
      });
  });
  await writeFile(join(tmp, '.gannet-complete'), new Date().toISOString());
  await rm(target, { recursive: true, force: true });
  await rename(tmp, target);
  return target;
}
