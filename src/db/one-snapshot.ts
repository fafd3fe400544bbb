import type { DialectKind } from './dialect.js';
import type { Executor } from './types.js';

/**
 * Runs reads that must agree with each other (a count and its page) in one snapshot of the
 * database. Outside a transaction each statement reads its own: PostgreSQL's READ COMMITTED takes
 * one per statement, and SQLite one per read. A transaction at REPEATABLE READ (PostgreSQL) or any
 * transaction (SQLite, WAL) reads one throughout. Inside a transaction already, the reads run there.
 */
export function inOneSnapshot<T>(db: Executor, dialect: DialectKind, read: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return read(db);
  const transaction = dialect === 'postgres' ? db.transaction().setIsolationLevel('repeatable read') : db.transaction();
  return transaction.execute(read);
}
