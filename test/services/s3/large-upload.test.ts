// Large objects stream through the server without being held in memory: a file over 100 MB is uploaded
// from disk (lib-storage multipart, and a single aws-chunked PutObject), downloaded and compared by
// SHA-256, while the server process's RSS is sampled from /proc and must stay near its baseline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CREDENTIALS, REGION } from './harness.ts';

const MiB = 1024 * 1024;
const FILE_BYTES = 120 * MiB;
/** Growth allowed above the idle server's RSS. Buffering the object would need at least FILE_BYTES. */
const MAX_RSS_GROWTH_BYTES = 96 * MiB;

async function writeTestFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const block = Buffer.alloc(MiB);
  for (let written = 0, n = 0; written < size; written += block.length, n++) {
    // Cheap, non-repeating content: a counter stamped every 64 bytes.
    for (let i = 0; i < block.length; i += 64) block.writeUInt32LE(n * block.length + i, i);
    hash.update(block);
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb * 1024;
}

/** Samples a process's RSS until stopped; resolves with the peak. */
function sampleRss(pid: number): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await rssBytes(pid));
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return { async stop() { running = false; await loop; return peak; } };
}

test('a file over 100 MB streams in and out with flat server memory and identical bytes', { skip: process.platform !== 'linux' && 'needs /proc' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-s3-large-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'big.bin');
  const sha = await writeTestFile(file, FILE_BYTES);

  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 's3-server.ts'), join(dir, 'store')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const [line] = await Promise.race([
    once(child.stdout!, 'data') as Promise<[Buffer]>,
    once(child, 'exit').then(([code]) => { throw new Error(`S3 server exited early with ${code}`); }),
  ]);
  const { port } = JSON.parse(String(line)) as { port: number };
  const s3 = new S3Client({ region: REGION, credentials: CREDENTIALS, endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true });
  t.after(() => s3.destroy());

  await s3.send(new CreateBucketCommand({ Bucket: 'large' }));
  await s3.send(new PutObjectCommand({ Bucket: 'large', Key: 'warmup', Body: Buffer.alloc(MiB) }));
  const baseline = await rssBytes(child.pid!);

  const sampler = sampleRss(child.pid!);
  const upload = new Upload({
    client: s3, params: { Bucket: 'large', Key: 'multipart.bin', Body: createReadStream(file) }, partSize: 8 * MiB, queueSize: 4,
  });
  const done = await upload.done();
  assert.match(done.ETag ?? '', /-15"$/);
  await s3.send(new PutObjectCommand({ Bucket: 'large', Key: 'single.bin', Body: createReadStream(file), ContentLength: FILE_BYTES }));

  for (const key of ['multipart.bin', 'single.bin']) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'large', Key: key }));
    assert.equal(head.ContentLength, FILE_BYTES, key);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'large', Key: key }));
    const hash = createHash('sha256');
    for await (const chunk of got.Body as AsyncIterable<Buffer>) hash.update(chunk);
    assert.equal(hash.digest('hex'), sha, `${key} round-trips byte for byte`);
  }
  const peak = await sampler.stop();
  const growth = peak - baseline;
  t.diagnostic(`server RSS baseline ${(baseline / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB, growth ${(growth / MiB).toFixed(1)} MiB`);
  assert.ok(growth < MAX_RSS_GROWTH_BYTES, `server RSS grew by ${(growth / MiB).toFixed(1)} MiB while streaming ${FILE_BYTES / MiB} MiB objects`);

  child.stdin!.end();
  await once(child, 'exit');
});
