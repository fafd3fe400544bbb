import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Trigram indexes for the fuzzy (substring) name filter of ListWorkspace: without them every
 * filtered list walks all of a project's workspaces (see perf-baseline: 12–135 ms at 100k rows).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    await sql`CREATE INDEX workspaces_name_trgm ON workspaces USING gin (name gin_trgm_ops)`.execute(db);
    return;
  }
  // External-content FTS5 keyed by the table's hidden rowid, which a table rebuild or VACUUM may
  // renumber: 0004 turns the rowid into a declared column, seq, and keys the index by it.
  await sql`CREATE VIRTUAL TABLE workspaces_name_fts USING fts5(name, content='workspaces', content_rowid='rowid', tokenize='trigram')`.execute(db);
  await sql`CREATE TRIGGER workspaces_name_fts_insert AFTER INSERT ON workspaces BEGIN
    INSERT INTO workspaces_name_fts(rowid, name) VALUES (new.rowid, new.name);
  END`.execute(db);
  await sql`CREATE TRIGGER workspaces_name_fts_delete AFTER DELETE ON workspaces BEGIN
    INSERT INTO workspaces_name_fts(workspaces_name_fts, rowid, name) VALUES ('delete', old.rowid, old.name);
  END`.execute(db);
  await sql`CREATE TRIGGER workspaces_name_fts_update AFTER UPDATE OF name ON workspaces BEGIN
    INSERT INTO workspaces_name_fts(workspaces_name_fts, rowid, name) VALUES ('delete', old.rowid, old.name);
    INSERT INTO workspaces_name_fts(rowid, name) VALUES (new.rowid, new.name);
  END`.execute(db);
  await sql`INSERT INTO workspaces_name_fts(workspaces_name_fts) VALUES ('rebuild')`.execute(db);
}
