import type { Selectable } from 'kysely';
import type { Executor, JobTable } from '../db/types.js';
import { newId } from '../ids.js';

export type JobRow = Selectable<JobTable>;

/**
 * A durable outbox: jobs are rows written in the caller's transaction, claimed with a
 * compare-and-set lease so that any number of workers (and replicas) run each job once.
 */
export const jobQueue = {
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
      if (Number(taken.numUpdatedRows) === 0) continue;
      return db.selectFrom('jobs').selectAll().where('id', '=', candidate.id).executeTakeFirstOrThrow();
    }
  },

  async complete(db: Executor, job: JobRow, now: number): Promise<void> {
    await db
      .updateTable('jobs')
      .set({ status: 'done', locked_by: null, locked_until: null, last_error: null, updated_at: now })
      .where('id', '=', job.id)
      .where('locked_by', '=', job.locked_by)
      .execute();
  },

  async retryLater(db: Executor, job: JobRow, error: string, runAt: number, now: number): Promise<void> {
    await db
      .updateTable('jobs')
      .set({ status: 'pending', run_at: runAt, locked_by: null, locked_until: null, last_error: error, updated_at: now })
      .where('id', '=', job.id)
      .where('locked_by', '=', job.locked_by)
      .execute();
  },

  async fail(db: Executor, job: JobRow, error: string, now: number): Promise<void> {
    await db
      .updateTable('jobs')
      .set({ status: 'failed', locked_by: null, locked_until: null, last_error: error, updated_at: now })
      .where('id', '=', job.id)
      .where('locked_by', '=', job.locked_by)
      .execute();
  },

  findById(db: Executor, id: string): Promise<JobRow | undefined> {
    return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  },
};
