import type { CompiledQuery, Insertable } from 'kysely';
import { type DialectKind, dialectOf } from './dialect.js';
import type { DB, Executor } from './types.js';

/**
 * An insert of one row, built and compiled once per dialect and then run with each row's values:
 * building and compiling a Kysely insert of many columns costs more than SQLite takes to run it.
 * Compiled with a marker for each column's value, so that every bound position is known to be
 * that column's (a value Kysely added or moved is refused at once).
 */
export function compiledInsert<T extends keyof DB & string>(table: T, columns: ReadonlyArray<keyof DB[T] & string>) {
  const compiled = new Map<DialectKind, CompiledQuery>();

  function compile(db: Executor): CompiledQuery {
    const markers = columns.map((column) => `\u0001${table}.${column}\u0001`);
    const row = Object.fromEntries(columns.map((column, index) => [column, markers[index]]));
    const query = db.insertInto(table).values(row as Insertable<DB[T]>).compile();
    if (query.parameters.length !== markers.length || query.parameters.some((value, index) => value !== markers[index])) {
      throw new Error(`compiled insert does not bind its columns in order: ${query.sql}`);
    }
    return query;
  }

  /** The insert of row, to run (or to send with other writes, see writeTogether). */
  function statement(db: Executor, row: Insertable<DB[T]>): CompiledQuery {
    const dialect = dialectOf(db);
    let query = compiled.get(dialect);
    if (!query) compiled.set(dialect, (query = compile(db)));
    const values = row as Record<string, unknown>;
    return { ...query, parameters: columns.map((column) => values[column]) };
  }

  return {
    statement,
    async insert(db: Executor, row: Insertable<DB[T]>): Promise<void> {
      await db.executeQuery(statement(db, row));
    },
  };
}
