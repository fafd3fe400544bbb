import type { SelectQueryBuilder } from 'kysely';
import { dialectOf } from './dialect.js';
import type { DB, Executor } from './types.js';

/**
 * The selected rows stay as they are, and no new row may refer to them, until the transaction
 * ends: PostgreSQL's FOR UPDATE, which also holds off the KEY SHARE lock a foreign key check
 * takes. SQLite lets one writer in at a time, so a write transaction there needs nothing more.
 */
export function lockedForUpdate<TB extends keyof DB, O>(db: Executor, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialectOf(db) === 'postgres' ? query.forUpdate() : query;
}
