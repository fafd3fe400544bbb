import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { connectDb } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import type { Db } from './db/types.js';
import { type BootstrapResult, bootstrapRootAccount } from './iam/bootstrap.js';
import { createJobWorker, type JobWorker } from './jobs/job.worker.js';
import { createServices, type Services } from './services.js';

export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  services: Services;
  worker: JobWorker;
  bootstrap: BootstrapResult | null;
  url: string;
  close(): Promise<void>;
}

/** Connects, migrates, bootstraps the root account, starts the job worker and listens. */
export async function startServer(
  config: Config,
  onBootstrap?: (result: BootstrapResult) => void,
): Promise<RunningServer> {
  const db = connectDb(config.database);
  try {
    await migrateToLatest(db);
    const bootstrap = await bootstrapRootAccount(db, config);
    if (bootstrap) onBootstrap?.(bootstrap);
    const services = createServices(config, db);
    const app = await buildApp(services);
    const worker = createJobWorker({ db, handlers: services.jobHandlers, log: app.log, ...config.jobs });
    services.onJobQueued(worker.notify);
    if (config.jobs.worker) worker.start();
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      app,
      db,
      services,
      worker,
      bootstrap,
      url: `http://${host}:${port}`,
      async close() {
        await app.close();
        await worker.stop();
        await db.destroy();
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
