import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { DialectKind } from '../../src/db/dialect.js';
import type { DB } from '../../src/db/types.js';

export interface RecordedQuery {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * A Kysely instance of the given dialect that runs nothing: every statement is compiled as for
 * the real database, recorded, and answered with no rows.
 */
export function recordingDb(kind: DialectKind): { db: Kysely<DB>; take(): RecordedQuery[] } {
  let recorded: RecordedQuery[] = [];
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => (kind === 'sqlite' ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => (kind === 'sqlite' ? new SqliteIntrospector(k) : new PostgresIntrospector(k)),
      createQueryCompiler: () => (kind === 'sqlite' ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
    log: (event) => {
      if (event.level === 'query') recorded.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  return {
    db,
    take() {
      const taken = recorded;
      recorded = [];
      return taken;
    },
  };
}
