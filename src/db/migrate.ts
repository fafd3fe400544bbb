import { type Kysely, type Migration, Migrator } from 'kysely';
import * as init from './migrations/0001-init.js';
import * as nameSearch from './migrations/0002-name-search.js';
import * as jobRetention from './migrations/0003-job-retention.js';
import * as workspaceSeq from './migrations/0004-workspace-seq.js';
import * as accounts from './migrations/0005-accounts.js';
import type { DB } from './types.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001-init': init,
  '0002-name-search': nameSearch,
  '0003-job-retention': jobRetention,
  '0004-workspace-seq': workspaceSeq,
  '0005-accounts': accounts,
};

export async function migrateToLatest(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'maws_migrations',
    migrationLockTableName: 'maws_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
  }
}
