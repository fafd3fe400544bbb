import type { Executor } from '../db/types.js';

export interface QuotaOverride {
  resource: string;
  quota: number;
  update_time: number;
}

/** Only changed quotas have rows; everything else is the catalog default. */
export type QuotaRepository = ReturnType<typeof createQuotaRepository>;

export function createQuotaRepository() {
  return {
    listOverrides(db: Executor, projectId: string, workspaceId: string): Promise<QuotaOverride[]> {
      return db
        .selectFrom('workspace_quotas')
        .select(['resource', 'quota', 'update_time'])
        .where('project_id', '=', projectId)
        .where('workspace_id', '=', workspaceId)
        .execute();
    },

    async upsert(db: Executor, projectId: string, workspaceId: string, rows: readonly QuotaOverride[]): Promise<void> {
      if (rows.length === 0) return;
      await db
        .insertInto('workspace_quotas')
        .values(rows.map((r) => ({ ...r, project_id: projectId, workspace_id: workspaceId })))
        .onConflict((oc) =>
          oc.columns(['project_id', 'workspace_id', 'resource']).doUpdateSet((eb) => ({
            quota: eb.ref('excluded.quota'),
            update_time: eb.ref('excluded.update_time'),
          })),
        )
        .execute();
    },
  };
}
