import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/types.js';
import type { IamService } from '../iam/iam.service.js';
import { createEnterpriseProjectRepository } from './enterprise-project.repository.js';
import { enterpriseProjectRoutes } from './enterprise-project.routes.js';
import { createEnterpriseProjectService, type EnterpriseProjectService } from './enterprise-project.service.js';

export interface EpsModule {
  service: EnterpriseProjectService;
  routes: FastifyPluginAsync;
}

/** Enterprise projects (the EPS API subset): groups of workspaces; "0" is the built-in default. */
export function createEpsModule(deps: { db: Db; iam: IamService; now: () => number }): EpsModule {
  const service = createEnterpriseProjectService({ ...deps, repo: createEnterpriseProjectRepository() });
  // A deleted account's enterprise projects go with it.
  deps.iam.events.accountDeleting((trx, account) => service.removeAllOfDomain(trx, account.domainId));
  return { service, routes: enterpriseProjectRoutes({ enterpriseProjects: service }) };
}
