import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Executor } from './types.js';

/**
 * With a selective filter and ORDER BY … LIMIT, PostgreSQL may walk a whole ordered index
 * backwards, filtering row by row (perf-baseline: 94–187 ms at 100k rows), although another
 * index finds the few matches in a millisecond. Selecting the matching ids first, in a
 * MATERIALIZED CTE that the planner cannot inline, forces the cheap plan; the outer query then
 * orders just those rows (join them with inMatchesFirstPage). Worth it only when the matches are
 * few: with many, the ordered walk reaches a page quickly.
 */
export function withMatchesFirst(db: Executor, ids: Expression<{ id: string }>): Executor {
  // The CTE adds a table to the builder's type that the outer query reads only through inMatchesFirstPage.
  return db.with((cte) => cte('matches_first').materialized(), () => ids) as unknown as Executor;
}

/**
 * column IN the ids of a page of the rows that withMatchesFirst selected, in this order (of
 * matches_first's columns): the page is picked among the materialized rows, so that only its
 * rows are read again.
 */
export function inMatchesFirstPage(
  column: string,
  order: readonly RawBuilder<unknown>[],
  page: { limit: number; skip: number },
): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} in (select id from matches_first order by ${sql.join(order)} limit ${page.limit} offset ${page.skip})`;
}
