import type { Kysely } from 'kysely';

/**
 * IAM's account lockout: the failed password sign-ins of a user in the current window, and until
 * when the user is locked. In the database, so that every replica counts the same failures and
 * sees the same lock. A row exists only for a user who failed since its last sign-in, and goes
 * with its user.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_failures')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .execute();
}
