import type { Config } from './config.js';
import type { Db } from './db/types.js';
import { createAccessKeyService } from './iam/access-key.service.js';
import { createAuthService } from './iam/auth.service.js';
import { createEnterpriseProjectService } from './iam/enterprise-project.service.js';
import { createUserService } from './iam/user.service.js';
import type { JobHandler } from './jobs/job.worker.js';
import { loadQuotaCatalog } from './quotas/quota.catalog.js';
import { createQuotaService } from './quotas/quota.service.js';
import { createWorkspaceDeletionHandler } from './workspaces/workspace.jobs.js';
import { createWorkspaceRepository } from './workspaces/workspace.repository.js';
import { createWorkspaceService, DELETE_JOB } from './workspaces/workspace.service.js';

export type Services = ReturnType<typeof createServices>;

/** Wires repositories and services together; no HTTP here, so the CLI and tests can use it too. */
export function createServices(config: Config, db: Db, now: () => number = Date.now) {
  const repo = createWorkspaceRepository(config.database.kind);
  const jobListeners: Array<() => void> = [];
  const auth = createAuthService({ db, config, now });
  const onCredentialsChanged = () => auth.forgetCredentials();
  const users = createUserService({ db, workspaceRepository: repo, onCredentialsChanged, now });
  const accessKeys = createAccessKeyService({ db, onCredentialsChanged, now });
  const enterpriseProjects = createEnterpriseProjectService({ db, now });
  const workspaces = createWorkspaceService({
    db,
    repo,
    config,
    now,
    onJobQueued: () => jobListeners.forEach((listener) => listener()),
  });
  const quotas = createQuotaService({ db, workspaces, catalog: loadQuotaCatalog(config.quotaCatalogFile), now });
  const jobHandlers: Record<string, JobHandler> = {
    [DELETE_JOB]: createWorkspaceDeletionHandler({ db, repo, deleteHook: config.deleteHook, now }),
  };
  return {
    config,
    db,
    auth,
    users,
    accessKeys,
    enterpriseProjects,
    workspaces,
    workspaceRepository: repo,
    quotas,
    jobHandlers,
    onJobQueued(listener: () => void): void {
      jobListeners.push(listener);
    },
  };
}
