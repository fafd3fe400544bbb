import { type ChangeTrace, tracedChange } from '../audit/change-trace.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import type { Principal } from '../access/principal.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { type QuotaDefinition, quotaProblem } from './quota.catalog.js';
import type { QuotaOverride, QuotaRepository } from './quota.repository.js';
import type { QuotaView, UpdatedQuotaView, UpdateQuotasBody } from './quota.schemas.js';

export type QuotaService = ReturnType<typeof createQuotaService>;

function updatedView(def: QuotaDefinition, quota: number, updateTime: number): UpdatedQuotaView {
  return {
    resource: def.resource,
    quota,
    min_quota: def.min_quota,
    max_quota: def.max_quota,
    name_en: def.name_en,
    name_cn: def.name_cn,
    unit_en: def.unit_en,
    unit_cn: def.unit_cn,
    update_time: updateTime,
  };
}

export function createQuotaService(deps: {
  db: Db;
  repo: QuotaRepository;
  workspaces: Pick<WorkspaceService, 'loadFor'>;
  catalog: readonly QuotaDefinition[];
  now: () => number;
}) {
  const { db, repo, workspaces, catalog, now } = deps;
  const byResource = new Map(catalog.map((d) => [d.resource, d]));

  return {
    async show(principal: Principal, projectId: string, workspaceId: string): Promise<QuotaView[]> {
      const { record } = await workspaces.loadFor(principal, projectId, workspaceId, 'access', 'modelarts:workspace:getQuotas');
      const overrides = new Map(
        (await repo.listOverrides(db, projectId, workspaceId)).map((o) => [o.resource, o]),
      );
      return catalog.map((def) => {
        const override = overrides.get(def.resource);
        const quota = override?.quota ?? def.default_quota;
        // This service runs no ModelArts jobs, so nothing consumes quota yet.
        return { ...updatedView(def, quota, override?.update_time ?? record.create_time), used_quota: quota === -1 ? null : 0 };
      });
    },

    /** Applies the listed changes and returns only those items, as ModelArts does. */
    async update(
      principal: Principal,
      projectId: string,
      workspaceId: string,
      body: UpdateQuotasBody,
      trace: ChangeTrace,
    ): Promise<UpdatedQuotaView[]> {
      const { record } = await workspaces.loadFor(principal, projectId, workspaceId, 'manage', 'modelarts:workspace:updateQuotas');
      if (record.status !== 'NORMAL') {
        throw new AppError(
          'workspace_abnormal',
          `the status of workspace: ${workspaceId} is abnormal, can not execute [action: updateQuotas]`,
        );
      }
      const time = now();
      const seen = new Set<string>();
      const changes: Array<{ def: QuotaDefinition; row: QuotaOverride }> = body.quotas.map((item, index) => {
        const def = byResource.get(item.resource);
        if (!def) throw new AppError('invalid_parameter', `quotas[${index}]: quota resource ${item.resource} does not exist`);
        if (seen.has(item.resource)) throw new AppError('invalid_parameter', `quotas[${index}]: ${item.resource} is listed twice`);
        seen.add(item.resource);
        const problem = quotaProblem(def, item.quota);
        if (problem) throw new AppError('invalid_parameter', `quotas[${index}]: ${problem}`);
        return { def, row: { resource: item.resource, quota: item.quota, update_time: time } };
      });
      const quotas = changes.map(({ def, row }) => updatedView(def, row.quota, row.update_time));
      await tracedChange(
        db,
        trace,
        (trx) => repo.upsert(trx, projectId, workspaceId, changes.map((c) => c.row)),
        () => ({ resourceName: record.name, response: { quotas } }),
      );
      return quotas;
    },
  };
}
