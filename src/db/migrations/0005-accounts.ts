import type { Kysely } from 'kysely';

/**
 * Several accounts run by an operator: an account can be disabled (its users and keys stop
 * working, nothing is deleted) and has the description the operator gave it, and the operator
 * API's credential is kept as a hash.
 * Projects gain a parent (null for a region's project, the region's project for a sub-project)
 * and a description, which IAM's API takes when a sub-project is created.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('domains')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('domains')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('projects').addColumn('parent_id', 'text').execute();
  await db.schema
    .alterTable('projects')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .createTable('operator_credentials')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
