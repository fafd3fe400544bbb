import type { Selectable } from 'kysely';
import type { Executor, JobTable } from '../db/types.js';
import { newId } from '../ids.js';

export type JobRow = Selectable<JobTable>;

/** Statuses of jobs that still have work ahead of them; done and failed rows are history. */
/** What the gauge counts: not `done`, whose rows pile up until the retention purges them. */
const GAUGED_STATUSES = ['pending', 'running', 'failed'] as const;
export type GaugedStatus = (typeof GAUGED_STATUSES)[number];
const FINISHED_STATUSES = ['done', 'failed'];

function tookEffect(result: { numUpdatedRows: bigint }): boolean {
  return Number(result.numUpdatedRows) > 0;
}

/**
 * A durable outbox: jobs are rows written in the caller's transaction, claimed with a
 * compare-and-set lease so that any number of workers (and replicas) run each job once.
 *
 * A claim is one attempt: (id, attempts, locked_by) while the row is running. Every write on
 * behalf of a claim matches all of them, so a run whose lease ran out and was taken over (by
 * another worker or by a later claim of the same worker) changes nothing; the write reports false.
 */
export type JobQueue = ReturnType<typeof createJobQueue>;

export function createJobQueue() {
  return {
    async enqueue(db: Executor, type: string, payload: object, now: number): Promise<string> {
      const id = newId();
      await db
        .insertInto('jobs')
        .values({
          id,
          type,
          payload: JSON.stringify(payload),
          status: 'pending',
          attempts: 0,
          run_at: now,
          locked_by: null,
          locked_until: null,
          last_error: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      return id;
    },

    /** Takes the next due job (or one whose previous worker's lease ran out), or undefined. */
    async claim(db: Executor, workerId: string, now: number, leaseMs: number): Promise<JobRow | undefined> {
      for (;;) {
        const candidate = await db
          .selectFrom('jobs')
          .select(['id', 'status', 'attempts'])
          .where((eb) =>
            eb.or([
              eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
              eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
            ]),
          )
          .orderBy('run_at')
          .limit(1)
          .executeTakeFirst();
        if (!candidate) return undefined;
        const taken = await db
          .updateTable('jobs')
          .set({
            status: 'running',
            attempts: candidate.attempts + 1,
            locked_by: workerId,
            locked_until: now + leaseMs,
            updated_at: now,
          })
          .where('id', '=', candidate.id)
          .where('status', '=', candidate.status)
          .where('attempts', '=', candidate.attempts)
          .executeTakeFirst();
        // Another worker won the race for this row; look for the next one.
        if (!tookEffect(taken)) continue;
        return db.selectFrom('jobs').selectAll().where('id', '=', candidate.id).executeTakeFirstOrThrow();
      }
    },

    /** Extends the claim's lease; false when the claim is no longer held. */
    async renew(db: Executor, job: JobRow, now: number, leaseMs: number): Promise<boolean> {
      return tookEffect(await claimed(db, job).set({ locked_until: now + leaseMs }).executeTakeFirst());
    },

    async complete(db: Executor, job: JobRow, now: number): Promise<boolean> {
      const result = await claimed(db, job)
        .set({ status: 'done', locked_by: null, locked_until: null, last_error: null, updated_at: now })
        .executeTakeFirst();
      return tookEffect(result);
    },

    async retryLater(db: Executor, job: JobRow, error: string, runAt: number, now: number): Promise<boolean> {
      const result = await claimed(db, job)
        .set({ status: 'pending', run_at: runAt, locked_by: null, locked_until: null, last_error: error, updated_at: now })
        .executeTakeFirst();
      return tookEffect(result);
    },

    /**
     * Puts the claimed job back to wait until runAt, with a new payload, without counting the
     * attempt: the handler chose to wait (nothing failed). Meant for the handler's own transaction.
     */
    async reschedule(db: Executor, job: JobRow, runAt: number, payload: object, now: number): Promise<boolean> {
      const result = await claimed(db, job)
        .set({
          status: 'pending',
          attempts: job.attempts - 1,
          run_at: runAt,
          payload: JSON.stringify(payload),
          locked_by: null,
          locked_until: null,
          updated_at: now,
        })
        .executeTakeFirst();
      return tookEffect(result);
    },

    /** Deletes the pending jobs of a type whose payload matches; running ones finish (handlers re-check their state). */
    async cancelPending(db: Executor, type: string, matches: (payload: unknown) => boolean): Promise<number> {
      const rows = await db.selectFrom('jobs').select(['id', 'payload']).where('type', '=', type).where('status', '=', 'pending').execute();
      const ids = rows.filter((r) => matches(JSON.parse(r.payload))).map((r) => r.id);
      if (ids.length === 0) return 0;
      const result = await db.deleteFrom('jobs').where('id', 'in', ids).where('status', '=', 'pending').executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async fail(db: Executor, job: JobRow, error: string, now: number): Promise<boolean> {
      const result = await claimed(db, job)
        .set({ status: 'failed', locked_by: null, locked_until: null, last_error: error, updated_at: now })
        .executeTakeFirst();
      return tookEffect(result);
    },

    findById(db: Executor, id: string): Promise<JobRow | undefined> {
      return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /**
     * Deletes up to `limit` done or failed jobs last changed before `before` (through the
     * (status, updated_at) index) and returns how many. Callers loop: one short statement per
     * batch keeps the write lock short however large the backlog.
     */
    async purgeFinished(db: Executor, before: number, limit: number): Promise<number> {
      const result = await db
        .deleteFrom('jobs')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('jobs')
            .select('id')
            .where('status', 'in', FINISHED_STATUSES)
            .where('updated_at', '<', before)
            .limit(limit),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Jobs waiting, running or failed for good, counted through the status indexes: done rows are not read. */
    async countGauged(db: Executor): Promise<Record<GaugedStatus, number>> {
      const rows = await db
        .selectFrom('jobs')
        .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('status', 'in', GAUGED_STATUSES)
        .groupBy('status')
        .execute();
      const counts: Record<GaugedStatus, number> = { pending: 0, running: 0, failed: 0 };
      for (const row of rows) counts[row.status as GaugedStatus] = Number(row.n);
      return counts;
    },
  };
}

/** An update of the row only while `job`'s claim still holds it. */
function claimed(db: Executor, job: JobRow) {
  return db
    .updateTable('jobs')
    .where('id', '=', job.id)
    .where('attempts', '=', job.attempts)
    .where('locked_by', '=', job.locked_by)
    .where('status', '=', 'running');
}
