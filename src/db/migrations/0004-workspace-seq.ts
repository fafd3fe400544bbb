import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';
import { createWorkspaceNameIndex, rebuildWorkspaceNameIndex } from '../name-index.js';

const COLUMNS = sql.raw(
  'project_id, id, name, description, owner_id, owner_name, enterprise_project_id, auth_type, status, status_info, create_time, update_time',
);

/**
 * SQLite only: gives workspaces an explicit seq INTEGER PRIMARY KEY (its rowid under a declared
 * name, which VACUUM and table rebuilds keep) and keys the name index of 0002 by it; 0002 keyed it
 * by the hidden rowid of a table with a composite primary key, which both may renumber.
 * (project_id, id) stays unique, which is all the foreign keys of workspace_grants and
 * workspace_quotas need. PostgreSQL's pg_trgm index is on the column itself and stays.
 *
 * ALTER TABLE cannot change a primary key, so this is SQLite's table rebuild: foreign keys off
 * (only possible outside a transaction; Kysely runs SQLite migrations outside one), then in one
 * transaction create, copy, drop, rename, recreate indexes and triggers, check the foreign keys.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  const { rows } = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db);
  const enforced = rows[0]?.foreign_keys === 1;
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    // With foreign keys still on, dropping workspaces would delete every grant and quota by cascade.
    const { rows: now } = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db);
    if (now[0]?.foreign_keys !== 0) throw new Error('0004 must run outside a transaction: foreign keys could not be turned off');
    await db.transaction().execute(async (trx) => {
      await sql`DROP TABLE workspaces_name_fts`.execute(trx);
      await sql`CREATE TABLE workspaces_new (
        seq integer primary key,
        project_id text not null references projects (id),
        id text not null,
        name text not null,
        description text not null,
        owner_id text not null,
        owner_name text not null,
        enterprise_project_id text not null,
        auth_type text not null,
        status text not null,
        status_info text not null,
        create_time bigint not null,
        update_time bigint not null,
        constraint workspaces_key unique (project_id, id),
        constraint workspaces_project_name unique (project_id, name)
      )`.execute(trx);
      // Today's rowids become seq, so every row keeps its number.
      await sql`INSERT INTO workspaces_new (seq, ${COLUMNS}) SELECT rowid, ${COLUMNS} FROM workspaces ORDER BY rowid`.execute(trx);
      await sql`DROP TABLE workspaces`.execute(trx);
      await sql`ALTER TABLE workspaces_new RENAME TO workspaces`.execute(trx);
      await sql`CREATE INDEX workspaces_project_update ON workspaces (project_id, update_time)`.execute(trx);
      await sql`CREATE INDEX workspaces_project_status ON workspaces (project_id, status)`.execute(trx);
      await sql`CREATE INDEX workspaces_project_ep ON workspaces (project_id, enterprise_project_id, name)`.execute(trx);
      await createWorkspaceNameIndex(trx);
      await rebuildWorkspaceNameIndex(trx);
      // Only the tables whose parent was rebuilt: an unrelated old orphan must not block the start.
      const violations = [
        ...(await sql`PRAGMA foreign_key_check(workspace_grants)`.execute(trx)).rows,
        ...(await sql`PRAGMA foreign_key_check(workspace_quotas)`.execute(trx)).rows,
      ];
      if (violations.length > 0) throw new Error(`0004: foreign key violations after the rebuild: ${JSON.stringify(violations.slice(0, 5))}`);
    });
  } finally {
    if (enforced) await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}
