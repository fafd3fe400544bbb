import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Pool } from 'pg';
import type { Database } from '../config.js';
import { GroupCommitSqliteDialect } from './group-commit.js';
import { withCompiledRows } from './sqlite-rows.js';
import { serverPool } from './pg-server-pool.js';
import type { DB } from './types.js';

const PG_INT8_OID = 20;

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew; preparing costs more than running most of ours. The SQL
 * texts are few (parameters are bound, never inlined), so keep the prepared statements.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sqlText: string) {
      let statement = cache.get(sqlText);
      if (statement === undefined) {
        statement = withCompiledRows(database.prepare(sqlText));
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sqlText, statement);
      }
      return statement;
    },
  };
}

/** The server's settings of a SQLite connection: its durability and checks (the bench's raw inserts use them too). */
export function useServerPragmas(database: SQLite.Database, mmapBytes: number): void {
  database.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the response is sent, so a crash loses nothing acknowledged.
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // Reads of a memory-mapped file copy nothing and make no system call (a random lookup in a
  // large database otherwise costs a read(2) of a whole page).
  database.pragma(`mmap_size = ${mmapBytes}`);
}

function sqlite(file: string, mmapBytes: number): Kysely<DB> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  useServerPragmas(database, mmapBytes);
  // Concurrent transactions share one COMMIT (one fsync): see group-commit.ts.
  return new Kysely<DB>({ dialect: new GroupCommitSqliteDialect(database, withStatementCache(database)) });
}

async function postgresPool(url: string, connections: number): Promise<Pool> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: connections,
    // A handle of one connection carries a session (a snapshot's transaction): closing it while
    // idle (pg's default after 10 s, a slow export reader) would let the next query run on a new
    // session, outside the snapshot, without any error.
    ...(connections === 1 ? { idleTimeoutMillis: 0 } : {}),
    // Millisecond timestamps are bigint; they fit in a double, so hand them to JS as numbers.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
    },
  });
  // A connection that the server drops (restart, failover, pg_terminate_backend) emits 'error';
  // unheard, the event would crash the process. An idle one is reported on the pool, which
  // discards it. A checked-out one is reported on the client only: the request using it sees
  // the loss as its own query's failure (logged and answered 503 by the error handler), and the
  // pool discards the client when it is released.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

function postgres(url: string, connections: number): Kysely<DB> {
  // pg is loaded with the first connection, so that a server on SQLite never loads it (start time).
  // A connection lost while idle in the pool can be handed out before its loss is read: one more
  // attempt than the pool has connections gets past every one of them.
  const pool = async () => serverPool(await postgresPool(url, connections), connections + 1);
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * connections: PostgreSQL's pool size. With 1, every query of the handle runs on the same session,
 * so a transaction begun with a plain BEGIN spans the queries that follow (a snapshot read);
 * a SQLite handle is always one connection.
 */
export function connectDb(database: Database, options: { connections?: number } = {}): Kysely<DB> {
  return database.kind === 'sqlite' ? sqlite(database.file, database.mmapBytes) : postgres(database.url, options.connections ?? 10);
}
