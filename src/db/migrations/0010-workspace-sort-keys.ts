import type { Kysely } from 'kysely';
import { createWorkspaceSortKeys } from '../sort-keys.js';

/** SQLite: the narrow copy of workspaces that a name search reads its hits from (see sort-keys.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createWorkspaceSortKeys(db);
}
