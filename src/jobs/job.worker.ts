import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/types.js';
import { randomString } from '../ids.js';
import { type JobRow, jobQueue } from './job.queue.js';

export interface JobHandler {
  /** Must be idempotent: a job can run again after a crash. */
  run(job: JobRow): Promise<void>;
  /** Called once when the last attempt failed. */
  giveUp(job: JobRow, error: string): Promise<void>;
}

export interface WorkerOptions {
  db: Db;
  handlers: Record<string, JobHandler>;
  pollMs: number;
  /** jobs run at once by this worker, so that one slow cleanup does not hold up the others */
  concurrency: number;
  leaseMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  log: FastifyBaseLogger;
  now?: () => number;
}

export type JobWorker = ReturnType<typeof createJobWorker>;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createJobWorker(opts: WorkerOptions) {
  const now = opts.now ?? Date.now;
  const workerId = `${hostname()}:${process.pid}:${randomString(6)}`;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  async function execute(job: JobRow): Promise<void> {
    const handler = opts.handlers[job.type];
    try {
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      await handler.run(job);
      await jobQueue.complete(opts.db, job, now());
    } catch (error) {
      const message = describe(error);
      if (job.attempts >= opts.maxAttempts || !handler) {
        opts.log.error({ jobId: job.id, type: job.type, err: error }, 'job failed for good');
        await handler?.giveUp(job, message);
        await jobQueue.fail(opts.db, job, message, now());
      } else {
        const delay = opts.retryBaseMs * 2 ** (job.attempts - 1);
        opts.log.warn({ jobId: job.id, type: job.type, attempt: job.attempts, err: error }, 'job failed, will retry');
        await jobQueue.retryLater(opts.db, job, message, now() + delay, now());
      }
    }
  }

  async function runUntilEmpty(): Promise<void> {
    for (;;) {
      const job = await jobQueue.claim(opts.db, workerId, now(), opts.leaseMs);
      if (!job) return;
      await execute(job);
    }
  }

  /** Runs due jobs, several at a time, until none is left. */
  async function drain(): Promise<void> {
    await Promise.all(Array.from({ length: opts.concurrency }, runUntilEmpty));
  }

  function tick(): void {
    if (stopped || running) return;
    running = drain()
      .catch((error) => opts.log.error({ err: error }, 'job worker error'))
      .finally(() => {
        running = undefined;
        schedule();
      });
  }

  function schedule(): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, opts.pollMs);
    timer.unref();
  }

  return {
    workerId,
    drain,
    start(): void {
      stopped = false;
      schedule();
    },
    /** Wakes the worker now, e.g. right after a job was committed. */
    notify(): void {
      if (stopped) return;
      setImmediate(tick);
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
