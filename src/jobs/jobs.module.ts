import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Db, Executor } from '../db/types.js';
import { jobQueue } from './job.queue.js';
import { createJobWorker, type JobHandler, type JobWorker } from './job.worker.js';

export interface JobsService {
  /** Adds a job in the caller's transaction: it exists exactly when the caller's change commits. */
  enqueue(trx: Executor, type: string, payload: object): Promise<string>;
  /** After the enqueuing transaction committed: start on the job now rather than at the next poll. */
  wake(): void;
}

export interface JobsModule {
  service: JobsService;
  /** jobs by status, for the metrics */
  countByStatus(): Promise<Record<string, number>>;
  /** The worker for these handlers; it polls only once started. */
  createWorker(handlers: Record<string, JobHandler>, log: FastifyBaseLogger): JobWorker;
}

/** The durable job queue (an outbox in the database) and its worker. */
export function createJobsModule(deps: { db: Db; config: Config['jobs']; now: () => number }): JobsModule {
  const { db, config, now } = deps;
  let worker: JobWorker | undefined;
  return {
    service: {
      enqueue: (trx, type, payload) => jobQueue.enqueue(trx, type, payload, now()),
      wake: () => worker?.notify(),
    },
    async countByStatus() {
      const rows = await db
        .selectFrom('jobs')
        .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
        .groupBy('status')
        .execute();
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
    },
    createWorker(handlers, log) {
      worker = createJobWorker({ db, handlers, log, now, ...config });
      return worker;
    },
  };
}
