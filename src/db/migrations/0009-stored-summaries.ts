import type { Kysely } from 'kysely';
import { createStoredSummaries } from '../stored-summary.js';

/** SQLite: each workspace's ListWorkspace summary kept as JSON in its row (see stored-summary.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createStoredSummaries(db);
}
