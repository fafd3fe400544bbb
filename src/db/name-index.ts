/**
 * SQLite's index for the substring name filter: an external-content FTS5 trigram table over
 * workspaces.name, keyed by workspaces.seq. PostgreSQL indexes workspaces.name itself (pg_trgm),
 * so there both functions do nothing.
 *
 * seq is the table's INTEGER PRIMARY KEY, that is its rowid under a declared name: VACUUM keeps
 * it, and so does a table rebuild, which copies every column. A hit costs one rowid lookup.
 */
import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';

/**
 * Creates the trigram table and the triggers that keep it in step with workspaces, each unless it
 * exists. Dropping workspaces drops its triggers: a migration that rebuilds the table calls this
 * again afterwards (the trigram table survives, and stays right if seq was copied).
 */
export async function createWorkspaceNameIndex(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  await sql`CREATE VIRTUAL TABLE IF NOT EXISTS workspaces_name_fts
    USING fts5(name, content='workspaces', content_rowid='seq', tokenize='trigram')`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS workspaces_name_fts_insert AFTER INSERT ON workspaces BEGIN
    INSERT INTO workspaces_name_fts (rowid, name) VALUES (new.seq, new.name);
  END`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS workspaces_name_fts_delete AFTER DELETE ON workspaces BEGIN
    INSERT INTO workspaces_name_fts (workspaces_name_fts, rowid, name) VALUES ('delete', old.seq, old.name);
  END`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS workspaces_name_fts_update AFTER UPDATE OF seq, name ON workspaces BEGIN
    INSERT INTO workspaces_name_fts (workspaces_name_fts, rowid, name) VALUES ('delete', old.seq, old.name);
    INSERT INTO workspaces_name_fts (rowid, name) VALUES (new.seq, new.name);
  END`.execute(db);
}

/**
 * Rebuilds the trigram table from workspaces, for when its rows were written without the triggers.
 * Then merges it into one b-tree: as the rebuild leaves it, phrases of common trigrams read
 * about 1.5 times slower than from an index the triggers filled, once merged about 2 times faster.
 */
export async function rebuildWorkspaceNameIndex(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  await sql`INSERT INTO workspaces_name_fts (workspaces_name_fts) VALUES ('rebuild')`.execute(db);
  await sql`INSERT INTO workspaces_name_fts (workspaces_name_fts) VALUES ('optimize')`.execute(db);
}

/**
 * One step of merging the trigram table's segments into one: up to `pages` pages of work (FTS5's
 * 'merge' with a negative count). Every transaction that writes names adds a small segment, and
 * FTS5's own merging leaves several per level: a search reads every segment, and one merged index
 * answers a common word about a tenth faster. True while there was work to do. Nothing on PostgreSQL.
 */
export async function mergeWorkspaceNameIndex(db: Kysely<any>, pages: number): Promise<boolean> {
  if (dialectOf(db) === 'postgres') return false;
  return db.transaction().execute(async (trx) => {
    const changes = sql<{ n: number }>`select total_changes() as n`;
    const before = (await changes.execute(trx)).rows[0]!.n;
    await sql`INSERT INTO workspaces_name_fts (workspaces_name_fts, rank) VALUES ('merge', ${-pages})`.execute(trx);
    // The command counts as one change when it merged nothing (FTS5's documented test).
    return (await changes.execute(trx)).rows[0]!.n - before > 1;
  });
}
