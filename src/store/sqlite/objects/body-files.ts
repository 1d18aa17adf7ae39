// Object bodies as files under <dir>/objects/<bucket-hash>/. A body is streamed into a temp file
// in its final folder (hashing as it goes), fsync'd, then renamed to a fresh name; the caller
// commits the metadata row afterwards. A crash at any step leaves at worst an unreferenced file,
// which sweep.ts removes later, never a row pointing at a partial body.
import { createHash, randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export const TEMP_SUFFIX = '.tmp';

export type WrittenBody = { file: string; size: number; md5: Buffer };

export class BodyFiles {
  readonly root: string;
  #madeDirs = new Set<string>();

  constructor(root: string) {
    this.root = root;
  }

  /** Folder (relative to root) holding a bucket's bodies; hashed so any bucket name is a safe path. */
  bucketDir(bucket: string): string {
    return createHash('sha256').update(bucket).digest('hex').slice(0, 16);
  }

  /** Streams `source` into a new body file of `bucket`. Nothing is visible under the final name
   *  until the data is on disk; on any error the temp file is removed and the error rethrown. */
  async write(bucket: string, source: Readable | AsyncIterable<Buffer | string>): Promise<WrittenBody> {
    const dir = this.bucketDir(bucket);
    const absDir = join(this.root, dir);
    if (!this.#madeDirs.has(dir)) {
      await mkdir(absDir, { recursive: true });
      this.#madeDirs.add(dir);
    }
    const name = randomUUID();
    const temp = join(absDir, name + TEMP_SUFFIX);
    const hash = createHash('md5');
    let size = 0;
    const fh = await open(temp, 'wx').catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      await mkdir(absDir, { recursive: true }); // the bucket was deleted (and maybe re-created) elsewhere
      return open(temp, 'wx');
    });
    try {
      for await (const chunk of source) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        hash.update(buf);
        size += buf.length;
        await writeAll(fh, buf);
      }
      await fh.sync();
    } catch (err) {
      await fh.close().catch(() => {});
      await unlink(temp).catch(() => {});
      throw err;
    }
    await fh.close();
    await rename(temp, join(absDir, name));
    await syncDir(absDir);
    return { file: `${dir}/${name}`, size, md5: hash.digest() };
  }

  /** Opens a body for reading; undefined if it was removed meanwhile (a newer version replaced it). */
  async open(file: string): Promise<FileHandle | undefined> {
    try {
      return await open(join(this.root, file), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Removes a body no row refers to any more; already gone is fine. */
  async remove(file: string): Promise<void> {
    await unlink(join(this.root, file)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  async removeBucketDir(bucket: string): Promise<void> {
    const dir = this.bucketDir(bucket);
    this.#madeDirs.delete(dir);
    await rm(join(this.root, dir), { recursive: true, force: true });
  }
}

async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

/** Makes the rename itself durable across power loss (process crashes do not need it). */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
