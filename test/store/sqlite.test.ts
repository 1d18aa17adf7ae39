// Runs the Store conformance suite on the embedded SQLite backend, plus what only it has:
// the database file's settings, schema versioning and orphaned body files.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import type { Clock } from '../../src/shared/clock.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { storeConformance, type MakeStore } from './conformance.ts';

const makeSqliteStore: MakeStore = async (clock?: Clock) => {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-store-'));
  const opened: Store[] = [await openStore({ dir, ...(clock ? { clock } : {}) })];
  return {
    store: opened[0]!,
    async reopen(c = clock) {
      const s = await openStore({ dir, ...(c ? { clock: c } : {}) });
      opened.push(s);
      return s;
    },
    child: { module: fileURLToPath(new URL('../../src/store/index.ts', import.meta.url)), exportName: 'openStore', args: { dir } },
    async cleanup() {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

storeConformance('sqlite', makeSqliteStore);

describe('sqlite store files', () => {
  const tempDir = (t: { after(fn: () => void): void }) => {
    const dir = mkdtempSync(join(tmpdir(), 'gannet-store-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('creates its folder and uses WAL with a busy timeout', async (t) => {
    const dir = join(tempDir(t), 'svc', '.gannet', 'dev');
    const store = await openStore({ dir });
    await store.close();
    const db = new DatabaseSync(join(dir, 'gannet.db'));
    t.after(() => db.close());
    assert.equal((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
    const versions = db.prepare('SELECT version FROM gannet_migrations ORDER BY version').all() as { version: number }[];
    assert.deepEqual(versions.map((v) => v.version), [1]);
  });

  it('reopens a store with its data and does not apply migrations twice', async (t) => {
    const dir = tempDir(t);
    const a = await openStore({ dir });
    await a.kv.put('ns', 'k', 1);
    await a.close();
    const b = await openStore({ dir });
    assert.equal(await b.kv.get('ns', 'k'), 1);
    await b.close();
  });

  it('refuses a database whose schema is newer than this Gannet knows', async (t) => {
    const dir = tempDir(t);
    await (await openStore({ dir })).close();
    const db = new DatabaseSync(join(dir, 'gannet.db'));
    db.prepare('INSERT INTO gannet_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('999_future.sql');
    db.close();
    await assert.rejects(openStore({ dir }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'GANNET_STORE_SCHEMA');
      assert.match(err.message, /schema version 999/);
      assert.match(err.message, /upgrade Gannet/);
      return true;
    });
  });
});

describe('sqlite store body files', () => {
  it('discards the bodies of conditional writes whose condition failed', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'gannet-store-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const store = await openStore({ dir });
    t.after(() => store.close());
    await store.objects.createBucket('b', 'us-east-1');
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) =>
      store.objects.put('b', 'once', Readable.from([Buffer.alloc(10_000, i)]), { userMetadata: {} }, { ifNoneMatch: '*' })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const [bucketDir] = readdirSync(join(dir, 'objects'));
    assert.equal(readdirSync(join(dir, 'objects', bucketDir!)).length, 1, 'only the winner\'s body is on disk');
  });

  it('removes old orphaned body and temp files after a crash, keeping live and recent ones', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'gannet-store-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const first = await openStore({ dir });
    await first.objects.createBucket('b', 'us-east-1');
    await first.objects.put('b', 'live', Readable.from([Buffer.from('keep me')]), { userMetadata: {} });
    await first.close();

    const [bucketDir] = readdirSync(join(dir, 'objects'));
    const folder = join(dir, 'objects', bucketDir!);
    const live = readdirSync(folder);
    const hourAgo = new Date(Date.now() - 2 * 3_600_000);
    const plant = (name: string, old: boolean) => {
      writeFileSync(join(folder, name), 'leftover');
      if (old) utimesSync(join(folder, name), hourAgo, hourAgo);
    };
    plant('old-orphan', true);
    plant('old-upload.tmp', true);
    plant('fresh-orphan', false);
    plant('fresh-upload.tmp', false);

    const second = await openStore({ dir });
    // The sweep runs in the background after open; give it a bounded while to finish.
    for (let i = 0; i < 500 && readdirSync(folder).some((f) => f.startsWith('old-')); i++) await new Promise((r) => setTimeout(r, 20));
    await second.close();
    assert.deepEqual(readdirSync(folder).sort(), [...live, 'fresh-orphan', 'fresh-upload.tmp'].sort());
    const reopened = await openStore({ dir });
    t.after(() => reopened.close());
    const got = await reopened.objects.get('b', 'live');
    let text = '';
    for await (const chunk of got!.body) text += chunk;
    assert.equal(text, 'keep me');
  });
});
