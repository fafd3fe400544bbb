import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/types.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { loadQuotaCatalog } from './quota.catalog.js';
import { createQuotaRepository } from './quota.repository.js';
import { quotaRoutes } from './quota.routes.js';
import { createQuotaService, type QuotaService } from './quota.service.js';

export interface QuotasModule {
  service: QuotaService;
  routes: FastifyPluginAsync;
}

/** Workspace quotas: the catalog's defaults, overridden per workspace. */
export function createQuotasModule(deps: {
  db: Db;
  catalogFile: string | undefined;
  workspaces: WorkspaceService;
  now: () => number;
}): QuotasModule {
  const service = createQuotaService({
    ...deps,
    repo: createQuotaRepository(),
    catalog: loadQuotaCatalog(deps.catalogFile),
  });
  return { service, routes: quotaRoutes(service) };
}
