import type { Kysely } from 'kysely';

/**
 * Test controls (MAWS_TEST_CONTROLS): injected deletion failures, deletion holds and faults. They
 * live in the database so that every replica sees them and a count is consumed exactly once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('test_controls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text')
    .addColumn('workspace_id', 'text')
    .addColumn('operations', 'text', (c) => c.notNull())
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('remaining', 'integer')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('test_controls_kind_project').on('test_controls').columns(['kind', 'project_id']).execute();
}
