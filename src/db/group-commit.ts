/**
 * Group commit for SQLite. With `synchronous = FULL` every COMMIT writes the WAL and waits for
 * fsync, with the event loop blocked, and a create spent most of its time there. Here the
 * transactions that arrive while one runs share one COMMIT:
 *
 * - The first transaction opens a group: BEGIN IMMEDIATE. Each transaction of the group is a
 *   SAVEPOINT in it, and holds the connection alone from its begin until it has released (or
 *   rolled back to) its savepoint, as Kysely's own driver holds it until COMMIT; then the next
 *   queued caller gets the connection, inside the same group.
 * - When nobody waits for the connection any more, the group commits, deferred by setImmediate
 *   so that the requests parsed in the same turn of the event loop join it first. A group also
 *   commits before it admits another caller once it holds GROUP_MAX_LEASES or has been open
 *   GROUP_MAX_MS, so a steady stream of transactions cannot put its COMMIT off.
 * - A transaction's commit (and Kysely's transaction().execute()) resolves only after the
 *   group's COMMIT returned, fsync included: what a caller is told is committed is on disk.
 *   A transaction that fails rolls back to its savepoint only. A COMMIT that fails fails every
 *   transaction of its group.
 *
 * Queries outside a transaction run on the same connection, so inside an open group they see the
 * group's writes before they are committed. Such a caller is therefore answered only after the
 * group's COMMIT as well (and fails with it), whatever it read or wrote: nothing answered, by a
 * transaction or by a plain query, depends on a write that is not yet durable. The same holds for a
 * transaction that fails: its error may come from a row of the group (a duplicate name), so it is
 * thrown after the COMMIT, or replaced by the COMMIT's failure. Outside a group, queries run in
 * autocommit as before and wait for nobody.
 *
 * What a caller must not do (it would deadlock here where Kysely's driver did not): hold the
 * connection (inside a transaction) while it waits for the promise of another caller that has
 * already finished its queries, since that caller resolves only after a COMMIT that waits for the
 * connection. The code awaits nothing but its own queries inside a transaction. Statements that
 * SQLite ignores or refuses inside a transaction (PRAGMA foreign_keys, VACUUM, BEGIN) run outside
 * a group only when no transaction is in flight, which is the case at start-up and in the CLI.
 */
import { performance } from 'node:perf_hooks';
import type SQLite from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, SqliteDialect, type SqliteDatabase } from 'kysely';

/** Enough for every connection of a loaded server (the bench drives 50) to join one group. */
const GROUP_MAX_LEASES = 100;
/** Longer than a group's transactions take, short against a request's latency. */
const GROUP_MAX_MS = 20;

interface GroupCommitOptions {
  /** called after every COMMIT that succeeded, with the number of callers it answered (tests count commits) */
  onCommit?(callers: number): void;
}

interface Group {
  opened: number;
  /** callers (transactions and plain queries) that ran inside the group and wait for its end */
  callers: number;
  /** why the group ended without committing */
  failure: unknown;
  ended: Promise<void>;
  end(): void;
}

/** One caller's hold on the connection, from acquireConnection to its release. */
class Lease implements DatabaseConnection {
  group: Group | undefined;
  /** it has handed the connection on: its savepoint is released or rolled back, or its queries are done */
  finished = false;

  constructor(private readonly db: SqliteDatabase) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.db.prepare(compiledQuery.sql);
    if (statement.reader) return Promise.resolve({ rows: statement.all(compiledQuery.parameters) as R[] });
    const { changes, lastInsertRowid } = statement.run(compiledQuery.parameters);
    return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const statement = this.db.prepare(compiledQuery.sql);
    if (!statement.reader) throw new Error('SQLite streams only queries that return rows');
    for (const row of statement.iterate(compiledQuery.parameters)) yield { rows: [row as R] };
  }
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function newGroup(): Group {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return { opened: performance.now(), callers: 0, failure: undefined, ended, end };
}

/** Kysely's SqliteDriver, with the connection shared as above. */
class GroupCommitDriver implements Driver {
  readonly #raw: SQLite.Database;
  readonly #db: SqliteDatabase;
  readonly #onCommit: ((callers: number) => void) | undefined;
  readonly #sql: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', SQLite.Statement>;
  #holder: Lease | undefined;
  readonly #queue: (() => void)[] = [];
  #group: Group | undefined;
  #commitScheduled = false;

  constructor(raw: SQLite.Database, db: SqliteDatabase, options: GroupCommitOptions) {
    this.#raw = raw;
    this.#db = db;
    this.#onCommit = options.onCommit;
    const member = 'maws_group_member';
    this.#sql = {
      begin: raw.prepare('BEGIN IMMEDIATE'),
      commit: raw.prepare('COMMIT'),
      rollback: raw.prepare('ROLLBACK'),
      savepoint: raw.prepare(`SAVEPOINT ${member}`),
      release: raw.prepare(`RELEASE ${member}`),
      rollbackTo: raw.prepare(`ROLLBACK TO ${member}`),
    };
  }

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    const lease = new Lease(this.#db);
    if (this.#holder === undefined && this.#queue.length === 0) {
      this.#grant(lease);
      return Promise.resolve(lease);
    }
    return new Promise((resolve) =>
      this.#queue.push(() => {
        this.#grant(lease);
        resolve(lease);
      }),
    );
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (this.#group === undefined) {
      this.#sql.begin.run();
      this.#group = newGroup();
      this.#join(lease, this.#group);
    }
    this.#sql.savepoint.run();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    this.#sql.release.run();
    this.#handOn(lease);
    await this.#outcome(lease);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    // Its savepoint was released and then the group's COMMIT failed: nothing of it is left.
    if (lease.finished) return;
    try {
      this.#sql.rollbackTo.run();
      this.#sql.release.run();
    } catch (error) {
      // Its writes could not be taken back: they must not be committed with the others.
      this.#abandon(error);
    }
    this.#handOn(lease);
    await this.#outcome(lease);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.finished) return;
    this.#handOn(lease);
    await this.#outcome(lease);
  }

  // trx.savepoint(name) and the like: nested in the transaction's own savepoint.
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`SAVEPOINT ${quoted(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`ROLLBACK TO ${quoted(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`RELEASE ${quoted(name)}`));
  }

  async destroy(): Promise<void> {
    if (this.#group !== undefined) {
      if (this.#holder === undefined) this.#commit();
      else this.#abandon(new Error('the database was closed during a transaction'));
    }
    this.#db.close();
  }

  #join(lease: Lease, group: Group): void {
    lease.group = group;
    group.callers++;
  }

  #grant(lease: Lease): void {
    const group = this.#group;
    if (group !== undefined) {
      if (!this.#raw.inTransaction) {
        // SQLite rolls the whole transaction back on some errors (I/O, full disk, no memory).
        this.#end(group, new Error('SQLite rolled the transaction back'));
      } else if (group.callers >= GROUP_MAX_LEASES || performance.now() - group.opened >= GROUP_MAX_MS) {
        this.#commit();
      }
    }
    this.#holder = lease;
    if (this.#group !== undefined) this.#join(lease, this.#group);
  }

  #handOn(lease: Lease): void {
    lease.finished = true;
    this.#holder = undefined;
    const next = this.#queue.shift();
    if (next !== undefined) next();
    else if (this.#group !== undefined && !this.#commitScheduled) {
      this.#commitScheduled = true;
      setImmediate(this.#commitIfIdle);
    }
  }

  readonly #commitIfIdle = (): void => {
    this.#commitScheduled = false;
    if (this.#holder === undefined && this.#group !== undefined) this.#commit();
  };

  #commit(): void {
    const group = this.#group!;
    try {
      this.#sql.commit.run();
    } catch (error) {
      this.#abandon(error);
      return;
    }
    this.#end(group, undefined);
    this.#onCommit?.(group.callers);
  }

  /** Rolls the whole group back (if SQLite has not already) and fails all of it. */
  #abandon(error: unknown): void {
    const group = this.#group!;
    if (this.#raw.inTransaction) {
      try {
        this.#sql.rollback.run();
      } catch {
        // Nothing more to do: the next BEGIN reports the state of the connection.
      }
    }
    this.#end(group, error);
  }

  #end(group: Group, failure: unknown): void {
    if (this.#group === group) this.#group = undefined;
    group.failure ??= failure;
    group.end();
  }

  async #outcome(lease: Lease): Promise<void> {
    const group = lease.group;
    if (group === undefined) return;
    await group.ended;
    if (group.failure !== undefined) {
      const reason = group.failure instanceof Error ? group.failure.message : String(group.failure);
      // A new error for each caller, without the SQLite code, which is not about this caller's writes.
      throw new Error(`the transaction's group commit failed: ${reason}`, { cause: group.failure });
    }
  }
}

/**
 * Kysely's SQLite dialect over one better-sqlite3 connection, with group commit. raw is that
 * connection; db what Kysely prepares its statements with (the connection, or a wrapper of it).
 */
export class GroupCommitSqliteDialect extends SqliteDialect {
  readonly #raw: SQLite.Database;
  readonly #db: SqliteDatabase;
  readonly #options: GroupCommitOptions;

  constructor(raw: SQLite.Database, db: SqliteDatabase = raw, options: GroupCommitOptions = {}) {
    super({ database: db });
    this.#raw = raw;
    this.#db = db;
    this.#options = options;
  }

  override createDriver(): Driver {
    return new GroupCommitDriver(this.#raw, this.#db, this.#options);
  }
}
