import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Executor } from '../db/types.js';
import { randomString } from '../ids.js';
import type { JobQueue, JobRow } from './job.queue.js';

/** What a running job may do besides finishing or failing. */
export interface JobRun {
  /**
   * Makes the job wait until runAt with a new payload, in the handler's transaction, without
   * counting the attempt; the handler then returns 'rescheduled'. False when the claim was lost
   * (the handler should roll its transaction back).
   */
  reschedule(trx: Executor, runAt: number, payload: object): Promise<boolean>;
}

export interface JobHandler {
  /** Must be idempotent: a job can run again after a crash. */
  run(job: JobRow, run: JobRun): Promise<void | 'rescheduled'>;
  /** Called once when the last attempt failed. */
  giveUp(job: JobRow, error: string): Promise<void>;
}

export interface WorkerOptions {
  db: Db;
  queue: JobQueue;
  handlers: Record<string, JobHandler>;
  pollMs: number;
  /** jobs run at once by this worker, so that one slow cleanup does not hold up the others */
  concurrency: number;
  leaseMs: number;
  /** how often a running job's lease is renewed; a third of the lease unless set */
  heartbeatMs?: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** done and failed jobs are deleted once they are this old */
  retentionMs: number;
  /** at most one purge of old jobs per this interval (10 minutes unless set) */
  purgeIntervalMs?: number;
  /** rows deleted per statement when purging (500 unless set) */
  purgeBatchSize?: number;
  log: FastifyBaseLogger;
  now?: () => number;
}

export type JobWorker = ReturnType<typeof createJobWorker>;

const DEFAULT_PURGE_INTERVAL_MS = 10 * 60 * 1000;
const DEFAULT_PURGE_BATCH_SIZE = 500;
/** bounds one purge run, so that a large backlog does not hold up the jobs; the rest goes next tick */
const PURGE_BATCHES_PER_RUN = 20;

type Outcome = { ok: true } | { ok: false; error: unknown };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Lets queued I/O (requests, on SQLite especially) run between the statements of a long purge. */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createJobWorker(opts: WorkerOptions) {
  const now = opts.now ?? Date.now;
  const heartbeatMs = opts.heartbeatMs ?? Math.max(1, Math.floor(opts.leaseMs / 3));
  const purgeIntervalMs = opts.purgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS;
  const purgeBatchSize = opts.purgeBatchSize ?? DEFAULT_PURGE_BATCH_SIZE;
  const workerId = `${hostname()}:${process.pid}:${randomString(6)}`;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  /** set by stop(): no new claims, no purge (drain() on a worker never started still works) */
  let stopping = false;
  let nextPurgeAt = 0;

  /** Renews the claim's lease while the job runs; end() stops and tells whether the claim was lost. */
  function keepLease(job: JobRow) {
    let lost = false;
    let renewing: Promise<void> | undefined;
    const renew = async () => {
      try {
        if (await opts.queue.renew(opts.db, job, now(), opts.leaseMs)) return;
        lost = true;
        opts.log.warn({ jobId: job.id, type: job.type, attempt: job.attempts }, 'job lease lost: a newer claim holds the job');
      } catch (error) {
        // The lease may still be valid; the next beat tries again.
        opts.log.warn({ jobId: job.id, type: job.type, err: error }, 'job lease renewal failed');
      }
    };
    const beat = setInterval(() => {
      if (lost) clearInterval(beat);
      else renewing ??= renew().finally(() => (renewing = undefined));
    }, heartbeatMs);
    beat.unref();
    return {
      async end(): Promise<boolean> {
        clearInterval(beat);
        await renewing;
        return lost;
      },
    };
  }

  /** Writes the outcome for this claim; false when a newer claim holds the job. */
  async function record(job: JobRow, handler: JobHandler | undefined, outcome: Outcome): Promise<boolean> {
    if (outcome.ok) return opts.queue.complete(opts.db, job, now());
    const { error } = outcome;
    const message = describe(error);
    if (handler && job.attempts < opts.maxAttempts) {
      const delay = opts.retryBaseMs * 2 ** (job.attempts - 1);
      if (!(await opts.queue.retryLater(opts.db, job, message, now() + delay, now()))) return false;
      opts.log.warn({ jobId: job.id, type: job.type, attempt: job.attempts, err: error }, 'job failed, will retry');
      return true;
    }
    // giveUp acts outside the jobs table, so make sure first that this run still holds the job.
    if (!(await opts.queue.renew(opts.db, job, now(), opts.leaseMs))) return false;
    opts.log.error({ jobId: job.id, type: job.type, err: error }, 'job failed for good');
    await handler?.giveUp(job, message);
    return opts.queue.fail(opts.db, job, message, now());
  }

  async function execute(job: JobRow): Promise<void> {
    const handler = opts.handlers[job.type];
    const lease = keepLease(job);
    let outcome: Outcome;
    const run: JobRun = { reschedule: (trx, runAt, payload) => opts.queue.reschedule(trx, job, runAt, payload, now()) };
    try {
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      if ((await handler.run(job, run)) === 'rescheduled') {
        await lease.end();
        return;
      }
      outcome = { ok: true };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const lost = await lease.end();
    if (!lost && (await record(job, handler, outcome))) return;
    opts.log.warn(
      { jobId: job.id, type: job.type, attempt: job.attempts, succeeded: outcome.ok },
      'job result discarded: the lease ran out and a newer claim holds the job',
    );
  }

  async function runUntilEmpty(): Promise<void> {
    // Once stopping, runs already started finish, but no new job is taken: shutdown stays short.
    while (!stopping) {
      const job = await opts.queue.claim(opts.db, workerId, now(), opts.leaseMs);
      if (!job) return;
      await execute(job);
    }
  }

  /** Deletes done and failed jobs past the retention, a bounded number of batches per call. */
  async function purgeIfDue(): Promise<void> {
    const time = now();
    if (stopping || time < nextPurgeAt) return;
    try {
      for (let batch = 0; batch < PURGE_BATCHES_PER_RUN; batch++) {
        if ((await opts.queue.purgeFinished(opts.db, time - opts.retentionMs, purgeBatchSize)) < purgeBatchSize) {
          nextPurgeAt = time + purgeIntervalMs;
          return;
        }
        await yieldToIo();
      }
    } catch (error) {
      nextPurgeAt = time + purgeIntervalMs;
      opts.log.warn({ err: error }, 'purging old jobs failed');
    }
  }

  /** Runs due jobs, several at a time, until none is left; then purges old ones if it is time. */
  async function drain(): Promise<void> {
    await Promise.all(Array.from({ length: opts.concurrency }, runUntilEmpty));
    await purgeIfDue();
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
      stopping = false;
      schedule();
    },
    /** Wakes the worker now, e.g. right after a job was committed. */
    notify(): void {
      if (stopped) return;
      setImmediate(tick);
    },
    async stop(): Promise<void> {
      stopped = true;
      stopping = true;
      clearTimeout(timer);
      await running;
    },
  };
}
