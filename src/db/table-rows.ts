/**
 * Whole-table reads and writes for export, import and migration, by the table registry: the
 * database's catalog, a consistent read snapshot, keyset pages in primary-key order, batched
 * multi-row inserts.
 */
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { dialectOf } from './dialect.js';
import type { TableSpec } from './table-registry.js';

/** Every base table of the database (SQLite's virtual and shadow tables included) with its columns. */
export async function readCatalog(db: Kysely<any>): Promise<Map<string, string[]>> {
  const query =
    dialectOf(db) === 'postgres'
      ? sql<{ table_name: string; column_name: string }>`select c.table_name, c.column_name
          from information_schema.columns c
          join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
          where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
          order by c.table_name, c.ordinal_position`
      : sql<{ table_name: string; column_name: string }>`select m.name as table_name, p.name as column_name
          from sqlite_master m join pragma_table_info(m.name) p
          where m.type = 'table' and m.name not like 'sqlite\\_%' escape '\\'
          order by m.name, p.cid`;
  const catalog = new Map<string, string[]>();
  for (const row of (await query.execute(db)).rows) {
    const columns = catalog.get(row.table_name) ?? [];
    columns.push(row.column_name);
    catalog.set(row.table_name, columns);
  }
  return catalog;
}

/**
 * Starts a read-only snapshot: every read until endSnapshot sees the database as it is now, while
 * other connections go on writing. The handle must be one connection (connectDb with
 * connections: 1, or any SQLite handle), which nothing else uses meanwhile: the plain BEGIN binds
 * the transaction to the session. SQLite (WAL) fixes the snapshot at the first read, done here.
 */
export async function beginSnapshot(db: Kysely<any>): Promise<Snapshot> {
  if (dialectOf(db) === 'postgres') {
    await sql`begin isolation level repeatable read read only`.execute(db);
    return { session: await backendPid(db) };
  }
  await sql`begin`.execute(db);
  await sql`select count(*) from sqlite_master`.execute(db);
  return { session: null };
}

/** Which session holds the snapshot: a pool that lost the connection reconnects silently, outside it. */
interface Snapshot {
  session: number | null;
}

async function backendPid(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
  return Number(rows[0]?.pid);
}

/**
 * Throws when the reads since beginSnapshot may not all have come from it: PostgreSQL's pool
 * replaced a lost connection with a new session, which reads outside the snapshot.
 */
export async function checkSnapshotHeld(db: Kysely<any>, snapshot: Snapshot): Promise<void> {
  if (snapshot.session === null) return;
  if ((await backendPid(db)) !== snapshot.session) {
    throw new Error('the connection to the database was lost during the export: its rows may not come from one snapshot');
  }
}

export async function endSnapshot(db: Kysely<any>): Promise<void> {
  await sql`rollback`.execute(db);
}

/** The id of the domain (account) with this name, read in the caller's snapshot. */
export async function domainIdByName(db: Kysely<any>, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('domains').select('id').where('name', '=', name).executeTakeFirst();
  return row?.id as string | undefined;
}

/**
 * Text compares byte by byte (code point order) on both databases, so that rows come in the same
 * order from either: PostgreSQL's collation may be a locale's. SQLite's default is already binary.
 */
function key(db: Kysely<any>, table: TableSpec, column: string): RawBuilder<unknown> {
  const text = table.columns.find((c) => c.name === column)?.type === 'text';
  return text && dialectOf(db) === 'postgres' ? sql`${sql.ref(column)} collate "C"` : sql`${sql.ref(column)}`;
}

function belongsToDomain(db: Kysely<any>, table: TableSpec, domainId: string): Expression<SqlBool> {
  const link = table.account;
  switch (link.kind) {
    case 'domain':
      return sql<SqlBool>`${sql.ref(link.column)} = ${domainId}`;
    case 'user':
      return sql<SqlBool>`${sql.ref(link.column)} in (select id from users where domain_id = ${domainId})`;
    case 'project':
      return sql<SqlBool>`${sql.ref(link.column)} in (select id from projects where domain_id = ${domainId})`;
    case 'payload-project': {
      const projectId =
        dialectOf(db) === 'postgres'
          ? sql`(${sql.ref(link.column)}::json ->> 'project_id')`
          : sql`json_extract(${sql.ref(link.column)}, '$.project_id')`;
      return sql<SqlBool>`${projectId} in (select id from projects where domain_id = ${domainId})`;
    }
    case 'service':
      return sql<SqlBool>`1 = 0`;
  }
}

interface PageRequest {
  table: TableSpec;
  /** the primary key of the last row of the previous page */
  after?: readonly unknown[];
  limit: number;
  /** only this domain's rows */
  domainId?: string;
}

/** The next rows in primary-key order, as arrays in the order of the table's columns. */
export async function readPage(db: Kysely<any>, request: PageRequest): Promise<unknown[][]> {
  const { table, after, limit, domainId } = request;
  const where: Expression<SqlBool>[] = [];
  if (after !== undefined) {
    const keys = table.primaryKey.map((c) => key(db, table, c));
    where.push(sql<SqlBool>`(${sql.join(keys)}) > (${sql.join(after.map((v) => sql`${v}`))})`);
  }
  if (domainId !== undefined) where.push(belongsToDomain(db, table, domainId));
  const columns = table.columns.map((c) => c.name);
  const { rows } = await sql<Record<string, unknown>>`select ${sql.join(columns.map((c) => sql.ref(c)))}
    from ${sql.table(table.name)}
    ${where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``}
    order by ${sql.join(table.primaryKey.map((c) => key(db, table, c)))}
    limit ${limit}`.execute(db);
  return rows.map((row) => columns.map((c) => row[c]));
}

/** Rows (arrays in the order of the table's columns) in one multi-row insert. */
export async function insertRows(db: Kysely<any>, table: TableSpec, rows: readonly (readonly unknown[])[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i]])));
  await db.insertInto(table.name).values(values).execute();
}

export async function hasRows(db: Kysely<any>, table: TableSpec): Promise<boolean> {
  const { rows } = await sql`select 1 as one from ${sql.table(table.name)} limit 1`.execute(db);
  return rows.length > 0;
}

/** Rows per multi-row insert: within both databases' bound-parameter limits (SQLite 32766, PostgreSQL 65535). */
export function insertBatchRows(table: TableSpec): number {
  return Math.max(1, Math.floor(16_000 / table.columns.length));
}

/**
 * After a bulk load: PostgreSQL plans by statistics that autovacuum would gather only later.
 * SQLite keeps none on purpose (see inProject in dialect.ts), so nothing is done there.
 */
export async function refreshStatistics(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') await sql`analyze`.execute(db);
}
