import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * The parts of each project's workspace count that creates add to (see workspace-count.ts): the
 * count is projects.workspace_count plus the sum of the project's parts here. Existing counts
 * stay whole in projects.workspace_count, which deletions now lower while creates raise the parts:
 * on PostgreSQL it becomes a bigint, as the parts are (SQLite's integers are 64-bit already).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workspace_count_parts')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('workspace_count_parts_pk', ['project_id', 'slot'])
    .execute();
  if (dialectOf(db) === 'postgres') {
    await db.schema.alterTable('projects').alterColumn('workspace_count', (c) => c.setDataType('bigint')).execute();
  }
}
