import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/types.js';
import type { IamService } from '../iam/iam.service.js';
import type { DeletionControls } from '../workspaces/workspace.jobs.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { createFaultInjector } from './fault-injector.js';
import { createTestControlRepository } from './test-control.repository.js';
import { testControlRoutes } from './test-control.routes.js';
import { createDeletionControls, createTestControlService, type TestControlService, toFaultRule } from './test-control.service.js';

/** How long a replica uses the fault controls it read: a change made through another replica applies within this. */
const FAULT_REFRESH_MS = 1000;

export interface TestControlsModule {
  service: TestControlService;
  routes: FastifyPluginAsync;
  /** installs fault injection on the routes registered after it; undefined while test controls are off */
  installFaults?: (app: FastifyInstance) => void;
}

/**
 * The deletion job's view of the controls, for the workspaces module; undefined while test
 * controls are off, so that a deletion then asks nothing more of the database.
 */
export function createTestDeletionControls(deps: { enabled: boolean; now: () => number }): DeletionControls | undefined {
  return deps.enabled ? createDeletionControls({ repo: createTestControlRepository(), now: deps.now }) : undefined;
}

/**
 * Test controls (MAWS_TEST_CONTROLS): injected deletion failures and holds, faults on chosen
 * operations, project resets. Their routes exist either way and answer 403 while the flag is off;
 * then nothing of them is on any other request's path.
 */
export function createTestControlsModule(deps: {
  db: Db;
  enabled: boolean;
  iam: Pick<IamService, 'findProject'>;
  workspaces: Pick<WorkspaceService, 'exists' | 'resetProject'>;
  now: () => number;
  /** default FAULT_REFRESH_MS */
  faultRefreshMs?: number;
  /** for the share of calls a fault affects (default Math.random) */
  random?: () => number;
}): TestControlsModule {
  const { db, now } = deps;
  const repo = createTestControlRepository();
  const faults = createFaultInjector({
    load: async () => (await repo.listActiveOfKind(db, now(), 'fault')).map(toFaultRule),
    take: (id) => repo.takeOne(db, id, now()),
    now,
    refreshMs: deps.faultRefreshMs ?? FAULT_REFRESH_MS,
    random: deps.random,
  });
  const service = createTestControlService({ db, repo, iam: deps.iam, workspaces: deps.workspaces, faults, now });
  return {
    service,
    routes: testControlRoutes(service, deps.enabled),
    installFaults: deps.enabled ? (app) => faults.install(app) : undefined,
  };
}
