import { CompiledQuery, type RawBuilder, sql } from 'kysely';

/**
 * A project's workspace count, which many creates raise at once without waiting for each other.
 *
 * Kept in one row, the count is locked by each create from its update to its commit, fsync
 * included: on PostgreSQL the creates of a project then commit one after another, about a
 * thousand a second on a disk like the bench's. So a create adds its 1 to one of COUNT_SLOTS rows
 * of workspace_count_parts, picked at random, and two creates wait for each other only when they
 * pick the same one. The count is projects.workspace_count plus the sum of the project's parts.
 * Everything else changes projects.workspace_count: deletes, a reset, and a create under a
 * workspace limit (MAWS_MAX_WORKSPACES), which must hold the count it checks still until it
 * commits and so takes the project's row.
 *
 * Locks come in one order: the project's row, then a part. A create on PostgreSQL takes a share
 * lock on the project's row before its part (countUpStatement), as every writer that takes the
 * project's row for update (a reset, a deletion, an account's deletion) does before it touches a
 * part or a workspace. A reset that empties a project sets projects.workspace_count to minus the
 * sum of its parts (emptiedCountOf): one row written, and the parts stay for the next creates.
 */
export const COUNT_SLOTS = 64;

/** The project row's workspace count, projects being the table or its alias: an expression of that row. */
export function workspaceCountOf(projects: string): RawBuilder<number> {
  // cast: PostgreSQL sums bigints as numeric, which pg reads as text
  return sql<number>`cast(${sql.ref(`${projects}.workspace_count`)} + ${partsOf(projects)} as bigint)`;
}

/** What projects.workspace_count becomes for the project's count to be 0, whatever its parts hold. */
export function emptiedCountOf(projects: string): RawBuilder<number> {
  return sql<number>`cast(0 - ${partsOf(projects)} as bigint)`;
}

function partsOf(projects: string): RawBuilder<number> {
  return sql<number>`coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = ${sql.ref(`${projects}.id`)}), 0)`;
}

// Through the project's row, share-locked first (see above): no row, no count, and the insert it
// counts fails on its foreign key.
const COUNT_UP =
  'insert into workspace_count_parts (project_id, slot, n) ' +
  'select id, cast($2 as integer), 1 from projects where id = $1 for key share ' +
  'on conflict (project_id, slot) do update set n = workspace_count_parts.n + 1';

/**
 * PostgreSQL: adds 1 to the project's count, in a part picked at random; a statement to send with
 * the insert it counts (writeTogether). SQLite, which writes one transaction at a time, counts
 * its creates in the project's row.
 */
export function countUpStatement(projectId: string): CompiledQuery {
  return CompiledQuery.raw(COUNT_UP, [projectId, Math.floor(Math.random() * COUNT_SLOTS)]);
}
