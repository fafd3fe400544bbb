import type { Kysely } from 'kysely';

/** The worker deletes done and failed jobs by age; without this index each purge reads the whole table. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('jobs_status_updated_at').on('jobs').columns(['status', 'updated_at']).execute();
}
