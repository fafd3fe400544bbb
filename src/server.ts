import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from './app.js';
import { type AuditModule, createAuditModule } from './audit/audit.module.js';
import { type AuthModule, createAuthModule } from './auth/auth.module.js';
import type { Config } from './config.js';
import { connectDb } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import type { Db } from './db/types.js';
import { createEpsModule, type EpsModule } from './eps/eps.module.js';
import { createMetrics } from './http/metrics.js';
import { createServingGate } from './http/serving-gate.js';
import type { BootstrapResult } from './iam/bootstrap.js';
import { createIamModule, type IamModule } from './iam/iam.module.js';
import { createJobsModule, type JobsModule } from './jobs/jobs.module.js';
import { createOperatorModule, type OperatorModule } from './operator/operator.module.js';
import type { JobWorker } from './jobs/job.worker.js';
import { createQuotasModule, type QuotasModule } from './quotas/quotas.module.js';
import { createTransferModule, type TransferModule } from './transfer/transfer.module.js';
import type { SecretBox } from './secrets/secret-box.js';
import { openSecrets } from './secrets/start.js';
import { databaseFailure, listenFailure } from './start-failure.js';
import { createTestControlsModule, createTestDeletionControls, type TestControlsModule } from './testing/testing.module.js';
import { createWorkspacesModule, type WorkspacesModule } from './workspaces/workspaces.module.js';

export interface Modules {
  audit: AuditModule;
  operator: OperatorModule;
  iam: IamModule;
  auth: AuthModule;
  eps: EpsModule;
  jobs: JobsModule;
  workspaces: WorkspacesModule;
  quotas: QuotasModule;
  testing: TestControlsModule;
  transfer: TransferModule;
}

export interface RunningServer {
  config: Config;
  app: FastifyInstance;
  db: Db;
  modules: Modules;
  worker: JobWorker;
  bootstrap: BootstrapResult | null;
  /** encrypts secret keys for tools that write access keys directly (tests, as another replica would) */
  secrets: SecretBox;
  url: string;
  close(): Promise<void>;
}

/** Builds each domain module from the ones it depends on; no HTTP here, so tools can use them too. */
export function createModules(config: Config, db: Db, secrets: SecretBox, now: () => number = Date.now): Modules {
  const audit = createAuditModule({ db, retentionMs: config.traceRetentionMs, recording: config.auditTrail, now });
  const operator = createOperatorModule({ db, now });
  const iam = createIamModule({ db, now, regions: config.regions, secrets });
  // A deleted account's traces go with everything else it owned: nobody can read them any more.
  iam.service.events.accountDeleting((trx, account) => audit.service.deleteOfAccount(trx, account.domainId));
  const auth = createAuthModule({ config: config.auth, iam: iam.service, now });
  const eps = createEpsModule({ db, iam: iam.service, now });
  const jobs = createJobsModule({ db, config: config.jobs, now });
  const workspaces = createWorkspacesModule({
    db,
    dialect: config.database.kind,
    config,
    iam: iam.service,
    eps: eps.service,
    jobs: jobs.service,
    audit: audit.service,
    deletionControls: createTestDeletionControls({ enabled: config.testControls, now }),
    now,
  });
  const quotas = createQuotasModule({ db, catalogFile: config.quotaCatalogFile, workspaces: workspaces.service, now });
  const testing = createTestControlsModule({ db, enabled: config.testControls, iam: iam.service, workspaces: workspaces.service, now });
  const transfer = createTransferModule({ database: config.database, now });
  return { audit, operator, iam, auth, eps, jobs, workspaces, quotas, testing, transfer };
}

interface StartOptions {
  /** told the root account's generated secrets on the first start */
  onBootstrap?(result: BootstrapResult): void;
  /** told the operator token generated on the first start (none was configured) */
  onOperatorToken?(token: string): void;
  /** the clock of every module (tests move it instead of waiting) */
  now?: () => number;
}

/**
 * The composition root: connects and migrates the database, builds each domain module from the
 * ones it depends on, binds the port, creates the root account on first start, then serves HTTP
 * and runs the job worker. A failure the operator can fix is thrown as a StartFailure.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  let db: Db;
  try {
    db = connectDb(config.database);
  } catch (error) {
    throw databaseFailure(config.database, error);
  }
  let app: FastifyInstance | undefined;
  let worker: JobWorker | undefined;
  try {
    // Reached first on its own, so that a database that is missing or unreachable is named with its cause.
    await sql`select 1`.execute(db).catch((error: unknown) => {
      throw databaseFailure(config.database, error);
    });
    await migrateToLatest(db).catch((error: unknown) => {
      throw databaseFailure(config.database, error);
    });
    const secrets = await openSecrets(config, db);
    const modules = createModules(config, db, secrets, options.now);
    const { audit, operator, iam, auth, eps, jobs, workspaces, quotas, testing, transfer } = modules;
    const gate = createServingGate();
    app = await buildApp({
      config,
      db,
      metrics: createMetrics({ countJobs: jobs.countGauged }),
      needs: { authenticate: auth.authenticate, authenticateOperator: operator.authenticate, scopeToProject: auth.scopeToProject },
      routes: [auth.routes, iam.routes, eps.routes, workspaces.routes, quotas.routes, audit.routes, testing.routes, transfer.routes],
      beforeRoutes: [audit.installTracing, ...(testing.installFaults ? [testing.installFaults] : [])],
      gate,
    });
    worker = jobs.createWorker({ ...workspaces.jobHandlers }, app.log);
    // The port first: a busy port must fail the start before the root account exists and its
    // one-time secrets are printed. The gate answers 503 until the start is complete.
    await app
      .listen({ host: config.host, port: config.port, listenTextResolver: (address) => `bound to ${address}, finishing the start` })
      .catch((error: unknown) => {
        throw listenFailure(config.host, config.port, error);
      });

    // Every module exists and has subscribed to IAM's events (the new project gets workspace "0").
    // Only a database that never started (no operator token stored yet) gets the first account:
    // one whose accounts the operator all deleted stays empty. The token is stored after it.
    const bootstrap = (await operator.hasCredential()) ? null : await iam.bootstrap(config.root, config.regions);
    if (bootstrap) options.onBootstrap?.(bootstrap);
    const addedProjects = await iam.addRegionProjects(config.regions);
    if (addedProjects > 0) app.log.info(`added ${addedProjects} region project(s) for the regions in MAWS_REGIONS`);
    const operatorToken = await operator.ensureCredential(config.operatorToken);
    if (operatorToken) options.onOperatorToken?.(operatorToken);
    gate.open();
    if (config.jobs.worker) worker.start();
    const purging = audit.startPurging(app.log);
    const indexMaintenance = workspaces.startIndexMaintenance(app.log);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    // The readiness line (deployment scripts and tests wait for it): the secrets are printed before it.
    app.log.info(`Server listening at ${url}`);
    app.log.info(`Web console at ${url}/console/`);
    const running = { app, worker, purging, indexMaintenance };
    return {
      config,
      ...running,
      db,
      modules,
      bootstrap,
      secrets,
      url,
      async close() {
        running.purging.stop();
        await running.indexMaintenance.stop();
        await running.app.close();
        await running.worker.stop();
        await db.destroy();
      },
    };
  } catch (error) {
    // Nothing of a failed start may outlive it: not the listener, not a worker polling a closed database.
    await app?.close();
    await worker?.stop();
    await db.destroy();
    throw error;
  }
}
