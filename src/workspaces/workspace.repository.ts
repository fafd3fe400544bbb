import { type CompiledQuery, type Expression, type ExpressionBuilder, type Selectable, type SqlBool, sql } from 'kysely';
import type { Database } from '../config.js';
import { inProject, inTextList, nameContains, textListParameter } from '../db/dialect.js';
import type { DB, Executor, WorkspaceGrantTable, WorkspaceTable } from '../db/types.js';
import { DEFAULT_ENTERPRISE_PROJECT_NAME } from '../iam/enterprise-project.repository.js';

export type WorkspaceRow = Selectable<WorkspaceTable>;
export type WorkspaceRecord = WorkspaceRow & { enterprise_project_name: string };
export type GrantRow = Omit<Selectable<WorkspaceGrantTable>, 'project_id' | 'workspace_id'>;

export interface WorkspaceFilter {
  name?: string;
  enterpriseProjectId?: string;
  /** only workspaces this user may access (public, owned, or granted) */
  accessibleTo?: string;
}

export type SortKey = 'name' | 'update_time' | 'status';

const FENCE_MAX_MATCHES = 5000;

type WsBuilder = ExpressionBuilder<DB & { w: WorkspaceTable }, 'w'>;

export type WorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;

export function createWorkspaceRepository(dialect: Database['kind']) {
  function matching(eb: WsBuilder, projectId: string, filter: WorkspaceFilter) {
    const conditions: Expression<SqlBool>[] = [inProject(dialect, projectId, filter.name)];
    if (filter.name !== undefined) {
      conditions.push(nameContains(dialect, filter.name));
    }
    if (filter.enterpriseProjectId !== undefined) {
      conditions.push(eb('w.enterprise_project_id', '=', filter.enterpriseProjectId));
    }
    if (filter.accessibleTo !== undefined) {
      const userId = filter.accessibleTo;
      conditions.push(
        eb.or([
          eb('w.auth_type', '=', 'public'),
          eb('w.owner_id', '=', userId),
          eb.and([
            eb('w.auth_type', '=', 'internal'),
            eb.exists(
              eb
                .selectFrom('workspace_grants as g')
                .select(sql.lit(1).as('one'))
                .whereRef('g.project_id', '=', 'w.project_id')
                .whereRef('g.workspace_id', '=', 'w.id')
                .where('g.user_id', '=', userId),
            ),
          ]),
        ]),
      );
    }
    return eb.and(conditions);
  }

  // Hot queries compiled once (building and compiling costs more than SQLite running them).
  /**
   * With a name filter and ORDER BY name … LIMIT, PostgreSQL may walk the whole name index
   * backwards, filtering row by row (perf-baseline: 94–187 ms at 100k rows), although the trigram
   * index finds the few matches in a millisecond. When the matches are few, fetch them first
   * through a MATERIALIZED CTE that the planner cannot inline; when they are many, the ordered
   * walk reaches a page quickly and is the better plan.
   */
  function trigramHits(db: Executor, projectId: string, name: string) {
    return db.with(
      (cte) => cte('hits').materialized(),
      (qb) =>
        qb
          .selectFrom('workspaces as w')
          .select('w.id')
          .where('w.project_id', '=', projectId)
          .where(nameContains(dialect, name)),
    );
  }

  let byIdsQuery: CompiledQuery | undefined;
  let grantsOfQuery: CompiledQuery | undefined;
  let countAllQuery: CompiledQuery | undefined;

  function selectRecords(db: Executor) {
    return db
      .selectFrom('workspaces as w')
      .leftJoin('enterprise_projects as ep', 'ep.id', 'w.enterprise_project_id')
      .selectAll('w')
      .select((eb) => eb.fn.coalesce('ep.name', sql.lit(DEFAULT_ENTERPRISE_PROJECT_NAME)).as('enterprise_project_name'));
  }

  /** Several workspaces of a project in one statement, in no particular order; absent ids are left out. */
  async function findByIds(db: Executor, projectId: string, ids: readonly string[]): Promise<WorkspaceRecord[]> {
    byIdsQuery ??= selectRecords(db).where('w.project_id', '=', '').where(inTextList(dialect, 'w.id', [])).compile();
    const parameters = [projectId, textListParameter(dialect, ids)];
    return (await db.executeQuery<WorkspaceRecord>({ ...byIdsQuery, parameters })).rows;
  }

  return {
    async insert(db: Executor, row: WorkspaceRow): Promise<void> {
      await db.insertInto('workspaces').values(row).execute();
    },

    async findById(db: Executor, projectId: string, id: string): Promise<WorkspaceRecord | undefined> {
      return (await findByIds(db, projectId, [id]))[0];
    },

    findByIds,

    async nameTaken(db: Executor, projectId: string, name: string): Promise<boolean> {
      const row = await db
        .selectFrom('workspaces')
        .select('id')
        .where('project_id', '=', projectId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** matches: how many rows the filter selects, when known (it steers the PostgreSQL plan). */
    list(
      db: Executor,
      projectId: string,
      filter: WorkspaceFilter,
      page: { sortBy: SortKey; order: 'asc' | 'desc'; limit: number; skip: number; matches?: number },
    ): Promise<WorkspaceRecord[]> {
      const fenced =
        dialect === 'postgres' && filter.name !== undefined && page.matches !== undefined && page.matches <= FENCE_MAX_MATCHES;
      const root = fenced ? trigramHits(db, projectId, filter.name!) : db;
      // Names are unique per project, so name is a total order; the others need it as a tie-break.
      let q = selectRecords(root as Executor)
        .where((eb) => matching(eb, projectId, fenced ? { ...filter, name: undefined } : filter))
        .orderBy(`w.${page.sortBy}`, page.order);
      if (fenced) q = q.where(sql<SqlBool>`w.id in (select id from hits)`);
      if (page.sortBy !== 'name') q = q.orderBy('w.name', page.order);
      return q.limit(page.limit).offset(page.skip).execute();
    },

    /** The project's workspace counter: the unfiltered total without a COUNT(*). */
    async countAll(db: Executor, projectId: string): Promise<number> {
      countAllQuery ??= db.selectFrom('projects').select('workspace_count').where('id', '=', '').compile();
      const result = await db.executeQuery<{ workspace_count: number }>({ ...countAllQuery, parameters: [projectId] });
      return result.rows[0]?.workspace_count ?? 0;
    },

    async count(db: Executor, projectId: string, filter: WorkspaceFilter): Promise<number> {
      const row = await db
        .selectFrom('workspaces as w')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where((eb) => matching(eb, projectId, filter))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Compare-and-set on status: writes the changes only while the status is one of from. */
    async transition(
      db: Executor,
      projectId: string,
      id: string,
      from: readonly string[],
      changes: Partial<Pick<WorkspaceRow, 'name' | 'description' | 'auth_type' | 'status' | 'status_info' | 'update_time'>>,
    ): Promise<boolean> {
      const result = await db
        .updateTable('workspaces')
        .set(changes)
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .where('status', 'in', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Removes a workspace that is DELETING, with its grants and quotas; false when it was not. */
    async purge(db: Executor, projectId: string, id: string): Promise<boolean> {
      await db.deleteFrom('workspace_grants').where('project_id', '=', projectId).where('workspace_id', '=', id).execute();
      await db.deleteFrom('workspace_quotas').where('project_id', '=', projectId).where('workspace_id', '=', id).execute();
      const result = await db
        .deleteFrom('workspaces')
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .where('status', '=', 'DELETING')
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** The grants of several workspaces of a project, in position order per workspace. */
    async listGrantsOf(db: Executor, projectId: string, ids: readonly string[]): Promise<Array<GrantRow & { workspace_id: string }>> {
      grantsOfQuery ??= db
        .selectFrom('workspace_grants')
        .select(['workspace_id', 'position', 'user_id', 'user_name', 'user_type'])
        .where('project_id', '=', '')
        .where(inTextList(dialect, 'workspace_id', []))
        .orderBy('workspace_id')
        .orderBy('position')
        .compile();
      const parameters = [projectId, textListParameter(dialect, ids)];
      return (await db.executeQuery<GrantRow & { workspace_id: string }>({ ...grantsOfQuery, parameters })).rows;
    },

    async replaceGrants(db: Executor, projectId: string, id: string, grants: readonly GrantRow[]): Promise<void> {
      await db.deleteFrom('workspace_grants').where('project_id', '=', projectId).where('workspace_id', '=', id).execute();
      if (grants.length === 0) return;
      await db
        .insertInto('workspace_grants')
        .values(grants.map((g) => ({ ...g, project_id: projectId, workspace_id: id })))
        .execute();
    },

    async deleteGrantsOfUser(db: Executor, userId: string): Promise<void> {
      await db.deleteFrom('workspace_grants').where('user_id', '=', userId).execute();
    },

    /** Counts the new row against the per-project limit atomically; false when the limit is reached. */
    async reserveSlot(db: Executor, projectId: string, maxRows: number | null): Promise<boolean> {
      let q = db
        .updateTable('projects')
        .set((eb) => ({ workspace_count: eb('workspace_count', '+', 1) }))
        .where('id', '=', projectId);
      if (maxRows !== null) q = q.where('workspace_count', '<', maxRows);
      const result = await q.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async releaseSlot(db: Executor, projectId: string): Promise<void> {
      await db
        .updateTable('projects')
        .set((eb) => ({ workspace_count: eb('workspace_count', '-', 1) }))
        .where('id', '=', projectId)
        .execute();
    },
  };
}
