import type { Kysely } from 'kysely';

/** Sub-projects are created through IAM's API with a description, which the project listings return. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('projects')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
