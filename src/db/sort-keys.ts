/**
 * SQLite keeps, beside workspaces, a narrow copy of what a name search reads of every hit: its
 * project, and the keys a page is sorted by (name, update_time, status), by seq. A common word
 * has some 2,000 hits, each one lookup by seq; in the wide workspaces rows (with their stored
 * summaries, some 600 bytes) those lookups miss the CPU's caches, in this copy (some 60 bytes a
 * row, a tenth of the pages) far less: under load a name search cost a third less
 * (bench/README.md). Triggers write it in the statement that changes workspaces, so it is never
 * stale. PostgreSQL reads its rows through pg_trgm's index and has none.
 */
import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';

/** The columns of workspaces it copies, seq first. */
const COPIED = 'seq, project_id, name, update_time, status';

/**
 * Creates the table, its triggers on workspaces and fills it, each unless done. A migration that
 * rebuilds workspaces calls this again afterwards (dropping workspaces drops its triggers; the
 * copy is filled again from the rows whose seq it lacks, and rows whose seq is gone are removed).
 * Nothing on PostgreSQL.
 */
export async function createWorkspaceSortKeys(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  await sql`CREATE TABLE IF NOT EXISTS workspace_sort_keys (
    seq integer primary key,
    project_id text not null,
    name text not null,
    update_time bigint not null,
    status text not null
  )`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS workspace_sort_keys_insert AFTER INSERT ON workspaces BEGIN
    INSERT INTO workspace_sort_keys (${sql.raw(COPIED)}) VALUES (new.seq, new.project_id, new.name, new.update_time, new.status);
  END`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS workspace_sort_keys_delete AFTER DELETE ON workspaces BEGIN
    DELETE FROM workspace_sort_keys WHERE seq = old.seq;
  END`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS workspace_sort_keys_update AFTER UPDATE OF ${sql.raw(COPIED)} ON workspaces BEGIN
    DELETE FROM workspace_sort_keys WHERE seq = old.seq;
    INSERT INTO workspace_sort_keys (${sql.raw(COPIED)}) VALUES (new.seq, new.project_id, new.name, new.update_time, new.status);
  END`.execute(db);
  await sql`DELETE FROM workspace_sort_keys WHERE seq NOT IN (SELECT seq FROM workspaces)`.execute(db);
  await sql`INSERT INTO workspace_sort_keys (${sql.raw(COPIED)})
    SELECT ${sql.raw(COPIED)} FROM workspaces WHERE seq NOT IN (SELECT seq FROM workspace_sort_keys)`.execute(db);
}
