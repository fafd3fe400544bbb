import { type Expression, type RawBuilder, sql } from 'kysely';
import type { DialectKind } from './dialect.js';

/**
 * A row as the text of a JSON object, built by the database: {"key": value, …} in the order of
 * fields. A page of 1000 workspaces otherwise hands 11,000 values to JavaScript one by one, builds
 * 2,000 objects and serializes them again, which costs more than reading the rows; built in
 * SQL, each row is one string, and the page is the strings joined (see jsonItems).
 *
 * Values keep their JSON types: text becomes a JSON string (escaped by the database's JSON
 * functions), integers numbers, NULL null. The keys are literals, never user input.
 * PostgreSQL's json_build_object writes `"key" : value`: the spacing differs from SQLite's, the
 * JSON is the same.
 */
export function jsonObject(dialect: DialectKind, fields: Record<string, Expression<unknown>>): RawBuilder<string> {
  return dialect === 'postgres' ? sql<string>`${objectOf(dialect, fields)}::text` : objectOf(dialect, fields);
}

/** The database's JSON object of the fields, keys in their order (json on PostgreSQL, text on SQLite). */
function objectOf(dialect: DialectKind, fields: Record<string, Expression<unknown>>): RawBuilder<string> {
  const pairs = Object.entries(fields).flatMap(([key, value]) => [sql.lit(key), value]);
  return dialect === 'postgres' ? sql<string>`json_build_object(${sql.join(pairs)})` : sql<string>`json_object(${sql.join(pairs)})`;
}

/** Objects that jsonObject built, as the inside of a JSON array: their texts joined by commas. */
export interface JsonItems {
  count: number;
  /** `a,b,c` for the objects a, b and c; '' for none */
  items: string;
}

export function jsonItems(objects: readonly string[]): JsonItems {
  return { count: objects.length, items: objects.join(',') };
}

/**
 * PostgreSQL: an aggregate of jsonObject texts into JsonItems' `items`, in the order given (NULL
 * for no rows). A page arrives as one value: pg otherwise builds a row object for each of a
 * thousand summaries, which cost the server more than the rest of the page.
 */
export function jsonItemsAgg(objects: Expression<string>, orderBy: readonly Expression<unknown>[]): RawBuilder<string | null> {
  return sql<string | null>`string_agg(${objects}, ',' order by ${sql.join(orderBy)})`;
}

/**
 * An aggregate: the JSON objects of the group's rows (as jsonObject writes them) as the text of one
 * JSON array, in the order given; '[]' for no rows. Used in a correlated subquery, it brings a row's
 * children back in the row's own query instead of a second one (on PostgreSQL, a round trip).
 */
export function jsonArrayAgg(dialect: DialectKind, fields: Record<string, Expression<unknown>>, orderBy: Expression<unknown>): RawBuilder<string> {
  const object = objectOf(dialect, fields);
  return dialect === 'postgres'
    ? sql<string>`coalesce(json_agg(${object} order by ${orderBy})::text, '[]')`
    : sql<string>`coalesce(json_group_array(${object} order by ${orderBy}), '[]')`;
}
