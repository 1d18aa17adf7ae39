// Applies the numbered plain-SQL migrations in ./migrations, each in its own write transaction,
// and refuses a database written by a newer Gannet (its schema could mean anything to us).
import { readdirSync, readFileSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { GannetError } from '../../shared/errors.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

type Migration = { version: number; name: string; sql: string };

/** Reads the migration files once at open: `NNN_name.sql`, applied in version order. */
function knownMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .map((f) => ({ version: Number(f.slice(0, f.indexOf('_'))), name: f, sql: readFileSync(new URL(f, MIGRATIONS_DIR), 'utf8') }))
    .sort((a, b) => a.version - b.version);
}

export function migrate(db: DatabaseSync, file: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS gannet_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
  const migrations = knownMigrations();
  const latest = migrations.at(-1)?.version ?? 0;
  const appliedMax = db.prepare('SELECT max(version) AS v FROM gannet_migrations');
  const record = db.prepare('INSERT INTO gannet_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const current = () => Number((appliedMax.get() as { v: number | null }).v ?? 0);
  refuseNewer(current(), latest, file);
  for (const m of migrations) {
    if (m.version <= current()) continue;
    // BEGIN IMMEDIATE takes SQLite's write lock, so two processes opening the same store at
    // once migrate one after the other; the re-check inside skips what the other one applied.
    db.exec('BEGIN IMMEDIATE');
    try {
      if (m.version > current()) {
        db.exec(m.sql);
        record.run(m.version, m.name, Date.now());
      }
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new GannetError('GANNET_STORE_SCHEMA', `store ${file}: migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
    }
  }
}

function refuseNewer(applied: number, latest: number, file: string): void {
  if (applied > latest) {
    throw new GannetError('GANNET_STORE_SCHEMA',
      `store ${file} has schema version ${applied}, but this Gannet knows only up to ${latest}; ` +
      'it was written by a newer Gannet: upgrade Gannet, or point it at another data directory');
  }
}
