import type { Kysely } from 'kysely';

/**
 * The parts of each project's workspace count that creates add to (see workspace-count.ts): the
 * count is projects.workspace_count plus the sum of the project's parts here. Existing counts
 * stay whole in projects.workspace_count.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workspace_count_parts')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('workspace_count_parts_pk', ['project_id', 'slot'])
    .execute();
}
