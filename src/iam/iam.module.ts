import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../db/types.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { accessKeyRoutes } from './access-key.routes.js';
import { createAccessKeyService } from './access-key.service.js';
import { authScopeRoutes } from './auth-scope.routes.js';
import { createAccountRepository } from './account.repository.js';
import { accountRoutes } from './account.routes.js';
import { createAccountService } from './account.service.js';
import { addMissingRegionProjects } from './accounts.js';
import { type BootstrapResult, bootstrapRootAccount } from './bootstrap.js';
import { createCredentialRepository } from './credential.repository.js';
import { createIamEvents } from './iam.events.js';
import { createIamService, type IamService } from './iam.service.js';
import { createIdentityRepository } from './identity.repository.js';
import { createLoginLockoutRepository } from './login-lockout.repository.js';
import { projectRoutes } from './project.routes.js';
import { createProjectService } from './project.service.js';
import { userRoutes } from './user.routes.js';
import { createUserService } from './user.service.js';

export interface IamModule {
  service: IamService;
  routes: FastifyPluginAsync;
  /** the first start's root account, or null when it exists */
  bootstrap(root: Config['root'], regions: readonly string[]): Promise<BootstrapResult | null>;
  /** gives every account the projects of regions added since it was created; returns how many */
  addRegionProjects(regions: readonly string[]): Promise<number>;
}

/** IAM: accounts (and the operator API's routes for them), projects, users, access keys and the tokens issued to them. */
export function createIamModule(deps: { db: Db; now: () => number; regions: readonly string[]; secrets: SecretBox }): IamModule {
  const own = {
    ...deps,
    identity: createIdentityRepository(),
    credentials: createCredentialRepository(),
    lockout: createLoginLockoutRepository(),
    events: createIamEvents(),
  };
  const users = createUserService(own);
  const accessKeys = createAccessKeyService(own);
  const service = createIamService(own);
  const projects = createProjectService(own);
  const accounts = createAccountService({ ...own, accounts: createAccountRepository(), regions: deps.regions });
  return {
    service,
    routes: async (app) => {
      await app.register(userRoutes({ users }));
      await app.register(accessKeyRoutes({ accessKeys }));
      await app.register(projectRoutes({ iam: service, projects }));
      await app.register(authScopeRoutes({ iam: service }));
      await app.register(accountRoutes({ accounts }));
    },
    bootstrap: (root, regions) => bootstrapRootAccount(own, root, regions),
    addRegionProjects: async (regions) => (await addMissingRegionProjects(own, regions)).length,
  };
}
