import { sql } from 'kysely';
import { lockedForUpdate } from '../db/row-lock.js';
import type { Executor } from '../db/types.js';
import type { LoginFailureRow } from './login-lockout.js';

export type LoginLockoutRepository = ReturnType<typeof createLoginLockoutRepository>;

/** Failed sign-ins and locks (login_failures): a row per user who failed since its last sign-in. */
export function createLoginLockoutRepository() {
  return {
    find(db: Executor, userId: string): Promise<LoginFailureRow | undefined> {
      return db.selectFrom('login_failures').selectAll().where('user_id', '=', userId).executeTakeFirst();
    },

    /**
     * The user's row, created empty if missing, unless no such user exists: then nothing is
     * written (an unknown user is never counted), but the statement is the same. As the first
     * statement of a transaction it is a write, so on SQLite it takes the write lock at once.
     */
    async ensure(db: Executor, userId: string): Promise<void> {
      await db
        .insertInto('login_failures')
        .columns(['user_id', 'failures', 'window_started_at'])
        .expression(db.selectFrom('users').select(['id', sql.lit(0).as('failures'), sql.lit(0).as('window_started_at')]).where('id', '=', userId))
        .onConflict((oc) => oc.column('user_id').doNothing())
        .execute();
    },

    /** The row, which no other transaction may change until this one ends. */
    findForUpdate(db: Executor, userId: string): Promise<LoginFailureRow | undefined> {
      return lockedForUpdate(db, db.selectFrom('login_failures').selectAll().where('user_id', '=', userId)).executeTakeFirst();
    },

    async update(db: Executor, row: LoginFailureRow): Promise<void> {
      const { user_id, ...values } = row;
      await db.updateTable('login_failures').set(values).where('user_id', '=', user_id).execute();
    },

    /** Forgets the user's failures, but not a lock that holds at now (set meanwhile by another request). */
    async clearUnlessLocked(db: Executor, userId: string, now: number): Promise<void> {
      await db
        .deleteFrom('login_failures')
        .where('user_id', '=', userId)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .execute();
    },

    /** Forgets the user's failures and lock. */
    async clear(db: Executor, userId: string): Promise<void> {
      await db.deleteFrom('login_failures').where('user_id', '=', userId).execute();
    },
  };
}
