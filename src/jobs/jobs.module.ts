import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Db, Executor } from '../db/types.js';
import { createJobQueue, type GaugedStatus } from './job.queue.js';
import { createJobWorker, type JobHandler, type JobWorker } from './job.worker.js';

export interface JobsService {
  /** Adds a job in the caller's transaction: it exists exactly when the caller's change commits. */
  enqueue(trx: Executor, type: string, payload: object): Promise<string>;
  /** After the enqueuing transaction committed: start on the job now rather than at the next poll. */
  wake(): void;
  /** Drops the pending jobs of a type whose payload matches, in the caller's transaction; how many. */
  cancelPending(trx: Executor, type: string, matches: (payload: unknown) => boolean): Promise<number>;
}

export interface JobsModule {
  service: JobsService;
  /** jobs waiting, running and failed, for the metrics */
  countGauged(): Promise<Record<GaugedStatus, number>>;
  /** The worker for these handlers; it polls only once started. */
  createWorker(handlers: Record<string, JobHandler>, log: FastifyBaseLogger): JobWorker;
}

/** The durable job queue (an outbox in the database) and its worker. */
export function createJobsModule(deps: { db: Db; config: Config['jobs']; now: () => number }): JobsModule {
  const { db, config, now } = deps;
  const queue = createJobQueue();
  let worker: JobWorker | undefined;
  return {
    service: {
      enqueue: (trx, type, payload) => queue.enqueue(trx, type, payload, now()),
      wake: () => worker?.notify(),
      cancelPending: (trx, type, matches) => queue.cancelPending(trx, type, matches),
    },
    countGauged: () => queue.countGauged(db),
    createWorker(handlers, log) {
      worker = createJobWorker({ db, queue, handlers, log, now, ...config });
      return worker;
    },
  };
}
