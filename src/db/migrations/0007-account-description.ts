import type { Kysely } from 'kysely';

/** An account's description, set by the operator who created it (the first start's account has none). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('domains')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
