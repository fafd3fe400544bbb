/** The few places where SQLite and PostgreSQL differ, kept in one file. */
import { type AliasedRawBuilder, type Expression, type Kysely, PostgresAdapter, type RawBuilder, type SqlBool, sql } from 'kysely';

export type DialectKind = 'sqlite' | 'postgres';

export function dialectOf(db: Kysely<any>): DialectKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Escapes LIKE wildcards so user text matches literally (used with ESCAPE '\'). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const TRIGRAM = 3;

/** Whether a name filter on this text goes through the trigram index (FTS5 / pg_trgm). */
export function usesTrigramIndex(dialect: DialectKind, text: string | undefined): text is string {
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
  return sql<SqlBool>`w.seq in (select rowid from workspaces_name_fts where workspaces_name_fts match ${trigramPhrase(text)})`;
}

/**
 * SQLite: the seq of every workspace whose name contains a text of three characters or more (its
 * trigramPhrase), as a table to join on w.seq. The same hits as nameContains, without the IN list
 * that SQLite first builds from them (an ephemeral b-tree: about 0.2 µs a hit).
 */
export function nameIndexHits(phrase: string): AliasedRawBuilder<{ seq: number }, 'name_hits'> {
  return sql<{ seq: number }>`(select rowid as seq from workspaces_name_fts where workspaces_name_fts match ${phrase})`.as('name_hits');
}

/** The FTS5 query for a substring: one phrase, quotes doubled. */
export function trigramPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
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
 * SQLite: the rowid of a workspaces row (alias w), seq under its declared name (see
 * name-index.ts). Every index of the table carries it, so a query that selects only it from an
 * index reads no row.
 */
export function workspaceRowid(): RawBuilder<number> {
  return sql<number>`w.seq`;
}

/** SQLite: the workspaces row (alias w) whose rowid the column holds: one lookup. */
export function isRowidOf(column: string): Expression<SqlBool> {
  return sql<SqlBool>`w.seq = ${sql.ref(column)}`;
}
