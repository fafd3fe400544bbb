/** The few places where SQLite and PostgreSQL differ, kept in one file. */
import { type Expression, type Kysely, PostgresAdapter, type RawBuilder, type SqlBool, sql } from 'kysely';

export type DialectKind = 'sqlite' | 'postgres';

export function dialectOf(db: Kysely<any>): DialectKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Escapes LIKE wildcards so user text matches literally (used with ESCAPE '\'). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const TRIGRAM = 3;

function usesTrigramIndex(dialect: DialectKind, text: string | undefined): boolean {
  return dialect === 'sqlite' && text !== undefined && [...text].length >= TRIGRAM;
}

/**
 * w.project_id = ?, except that with a trigram search on SQLite the project index must not win:
 * without statistics SQLite would walk every row of the project instead of the trigram hits
 * (the unary + hides the column from the planner).
 */
export function inProject(dialect: DialectKind, projectId: string, nameFilter: string | undefined): Expression<SqlBool> {
  return usesTrigramIndex(dialect, nameFilter) ? sql<SqlBool>`+w.project_id = ${projectId}` : sql<SqlBool>`w.project_id = ${projectId}`;
}

/**
 * Case-insensitive substring match on workspaces.name (table alias w). Terms of three or more
 * characters go through the trigram index (FTS5 / pg_trgm); shorter ones cannot use it. On SQLite
 * the trigram hits are seq values, each one rowid lookup (see name-index.ts).
 */
export function nameContains(dialect: DialectKind, text: string): Expression<SqlBool> {
  const pattern = `%${escapeLike(text)}%`;
  if (dialect === 'postgres') return sql<SqlBool>`w.name ilike ${pattern} escape '\\'`;
  if (!usesTrigramIndex(dialect, text)) return sql<SqlBool>`w.name like ${pattern} escape '\\'`;
  const phrase = `"${text.replaceAll('"', '""')}"`;
  return sql<SqlBool>`w.seq in (select rowid from workspaces_name_fts where workspaces_name_fts match ${phrase})`;
}

/**
 * column IN (values), with the whole list bound as one parameter, so that one prepared statement
 * serves every list length: a JSON array read by json_each on SQLite, a text[] on PostgreSQL.
 */
export function inTextList(dialect: DialectKind, column: string, values: readonly string[]): Expression<SqlBool> {
  return dialect === 'postgres'
    ? sql<SqlBool>`${sql.ref(column)} = any(${textListParameter(dialect, values)}::text[])`
    : sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${textListParameter(dialect, values)}))`;
}

/** The bound value of inTextList's list, for rebinding a query compiled once. */
export function textListParameter(dialect: DialectKind, values: readonly string[]): unknown {
  return dialect === 'postgres' ? [...values] : JSON.stringify(values);
}

/**
 * The handle of a workspace row (alias w) for finding it again: a page's keys are found first,
 * then only its rows are read (see the workspace repository's list). On SQLite seq, the rowid,
 * which every index of the table carries, so finding the keys reads no row; on PostgreSQL id,
 * unique within the project.
 */
export function workspaceKey(dialect: DialectKind): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`w.id` : sql`w.seq`;
}

/** The row of workspaces (alias w) whose workspaceKey is p.key, in the project. */
export function isKeyedWorkspace(dialect: DialectKind, projectId: string): Expression<SqlBool> {
  return dialect === 'postgres' ? sql<SqlBool>`w.project_id = ${projectId} and w.id = p.key` : sql<SqlBool>`w.seq = p.key`;
}
