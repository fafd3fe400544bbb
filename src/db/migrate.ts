import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import * as init from './migrations/0001-init.js';
import * as nameSearch from './migrations/0002-name-search.js';
import * as jobRetention from './migrations/0003-job-retention.js';
import * as workspaceSeq from './migrations/0004-workspace-seq.js';
import * as accounts from './migrations/0005-accounts.js';
import * as testControls from './migrations/0006-test-controls.js';
import * as traces from './migrations/0007-traces.js';
import * as loginLockout from './migrations/0008-login-lockout.js';
import * as storedSummaries from './migrations/0009-stored-summaries.js';
import * as workspaceSortKeys from './migrations/0010-workspace-sort-keys.js';
import * as nameIndexWithoutPendingList from './migrations/0011-name-index-without-pending-list.js';
import * as workspaceSeqInNameOrder from './migrations/0012-workspace-seq-in-name-order.js';
import * as workspaceCountParts from './migrations/0013-workspace-count-parts.js';
import { dialectOf } from './dialect.js';
import type { DB } from './types.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001-init': init,
  '0002-name-search': nameSearch,
  '0003-job-retention': jobRetention,
  '0004-workspace-seq': workspaceSeq,
  '0005-accounts': accounts,
  '0006-test-controls': testControls,
  '0007-traces': traces,
  '0008-login-lockout': loginLockout,
  '0009-stored-summaries': storedSummaries,
  '0010-workspace-sort-keys': workspaceSortKeys,
  '0011-name-index-without-pending-list': nameIndexWithoutPendingList,
  '0012-workspace-seq-in-name-order': workspaceSeqInNameOrder,
  '0013-workspace-count-parts': workspaceCountParts,
};

const MIGRATION_TABLE = 'maws_migrations';

/** The newest migration's name: an export records its database's, an import requires the same. */
export const LATEST_MIGRATION = Object.keys(MIGRATIONS).at(-1)!;

/** The newest migration applied to the database, or undefined when it was never migrated. */
export async function appliedMigration(db: Kysely<DB>): Promise<string | undefined> {
  const { rows: tables } = await sql<{ n: number }>`select count(*) as n from ${sql.raw(
    dialectOf(db) === 'postgres'
      ? `information_schema.tables where table_schema = current_schema() and table_name = '${MIGRATION_TABLE}'`
      : `sqlite_master where type = 'table' and name = '${MIGRATION_TABLE}'`,
  )}`.execute(db);
  if (Number(tables[0]?.n ?? 0) === 0) return undefined;
  const { rows } = await sql<{ name: string | null }>`select max(name) as name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
  return rows[0]?.name ?? undefined;
}

export async function migrateToLatest(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: `${MIGRATION_TABLE}_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
  }
}
