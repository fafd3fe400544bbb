import type { FastifyPluginAsync } from 'fastify';
import type { AuditService } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { DialectKind } from '../db/dialect.js';
import type { Db } from '../db/types.js';
import type { EnterpriseProjectService } from '../eps/enterprise-project.service.js';
import type { IamService } from '../iam/iam.service.js';
import type { JobsService } from '../jobs/jobs.module.js';
import type { JobHandler } from '../jobs/job.worker.js';
import { authorizationRoutes } from './authorization.routes.js';
import { createWorkspaceDeletionHandler, type DeletionControls } from './workspace.jobs.js';
import { createWorkspaceRepository } from './workspace.repository.js';
import { startNameIndexMerging } from './name-index-merging.js';
import { workspaceRoutes } from './workspace.routes.js';
import { createWorkspaceService, DELETE_JOB, type WorkspaceService } from './workspace.service.js';

export interface WorkspacesModule {
  service: WorkspaceService;
  routes: FastifyPluginAsync;
  jobHandlers: Record<string, JobHandler>;
  /** SQLite: keeps the name search's index merged, now and then periodically, until stopped */
  startIndexMaintenance(log: { error(obj: object, msg: string): void }): { stop(): Promise<void> };
}

interface WorkspacesDeps {
  db: Db;
  dialect: DialectKind;
  config: Pick<Config, 'workspaces' | 'deleteHook'>;
  iam: IamService;
  eps: EnterpriseProjectService;
  jobs: JobsService;
  audit: Pick<AuditService, 'record'>;
  /** test controls' say over deletions, only when MAWS_TEST_CONTROLS is on */
  deletionControls?: DeletionControls;
  now: () => number;
}

/** ModelArts workspaces: create, list, show, update, delete (as a job), ValidateAuthorization. */
export function createWorkspacesModule(deps: WorkspacesDeps): WorkspacesModule {
  const { db, now } = deps;
  const repo = createWorkspaceRepository(deps.dialect);
  const service = createWorkspaceService({ ...deps, repo, config: deps.config.workspaces });
  // Every project has workspace "0"; a deleted user's grants go with it, a deleted account's workspaces with it.
  deps.iam.events.projectCreated((trx, project, owner) => service.addDefaultWorkspace(trx, project.id, owner));
  deps.iam.events.userDeleting((trx, userId) => service.removeGrantsOfUser(trx, userId));
  deps.iam.events.accountDeleting((trx, account) => service.removeAllOfProjects(trx, account.projectIds));

  return {
    service,
    routes: async (app) => {
      await app.register(workspaceRoutes(service));
      await app.register(authorizationRoutes({ workspaces: service }));
    },
    startIndexMaintenance: (log) => startNameIndexMerging(db, log),
    jobHandlers: {
      [DELETE_JOB]: createWorkspaceDeletionHandler({
        db,
        repo,
        audit: deps.audit,
        iam: deps.iam,
        deleteHook: deps.config.deleteHook,
        controls: deps.deletionControls,
        now,
      }),
    },
  };
}
