import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { connectDb } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Db } from '../src/db/types.js';
import { createMetrics } from '../src/http/metrics.js';
import { createJobQueue, type JobRow } from '../src/jobs/job.queue.js';
import { createJobWorker, type JobHandler, type WorkerOptions } from '../src/jobs/job.worker.js';
import { createTestStorage, TEST_DB, type TestStorage } from './helpers/database.js';
import { eventually } from './helpers/server.js';

const TYPE = 'test.job';
const LEASE = 60_000;
const HOUR = 3600 * 1000;
const RETENTION = 24 * HOUR;
const PURGE_INTERVAL = 10 * 60 * 1000;
/** a heartbeat that never beats within a test: the lease is left to run out */
const NO_HEARTBEAT = HOUR;

interface LogLine {
  level: number;
  msg: string;
  jobId?: string;
  attempt?: number;
}
const WARN = 40;
const jobQueue = createJobQueue();

/** One controllable run per call: the test decides when and how each run ends. */
function gatedHandler() {
  const runs: Array<{ job: JobRow; finish(error?: Error): void }> = [];
  const gaveUp: Array<{ job: JobRow; error: string }> = [];
  const handler: JobHandler = {
    run: (job) => new Promise<void>((resolve, reject) => runs.push({ job, finish: (error) => (error ? reject(error) : resolve()) })),
    async giveUp(job, error) {
      gaveUp.push({ job, error });
    },
  };
  const started = (n: number) => eventually(async () => runs[n - 1]);
  return { handler, runs, gaveUp, started };
}

describe(`durable job queue on ${TEST_DB}`, () => {
  let storage: TestStorage;
  let db: Db;
  let logHost: FastifyInstance;
  const logs: LogLine[] = [];
  let clock = 1_700_000_000_000;

  before(async () => {
    storage = await createTestStorage();
    db = connectDb(loadConfig(storage.env).database);
    await migrateToLatest(db);
    // A real pino logger (the one the server uses) that writes into `logs`.
    logHost = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => void logs.push(JSON.parse(line)) } } });
  });
  after(async () => {
    await logHost?.close();
    await db?.destroy();
    await storage?.cleanup();
  });
  beforeEach(async () => {
    await db.deleteFrom('jobs').execute();
    logs.length = 0;
  });

  const worker = (options: Partial<WorkerOptions>) =>
    createJobWorker({
      queue: jobQueue,
      db,
      handlers: {},
      pollMs: 10,
      concurrency: 1,
      leaseMs: LEASE,
      maxAttempts: 3,
      retryBaseMs: 1000,
      retentionMs: RETENTION,
      purgeIntervalMs: PURGE_INTERVAL,
      log: logHost.log,
      now: () => clock,
      ...options,
    });
  const row = async (id: string) => {
    const job = await jobQueue.findById(db, id);
    assert.ok(job, `job ${id} exists`);
    return job;
  };
  const warnings = (jobId: string, text: RegExp) => logs.filter((l) => l.level === WARN && l.jobId === jobId && text.test(l.msg));
  /** a job in the given state, last changed at `updatedAt`; pending and running ones are not due */
  const jobIn = async (status: 'pending' | 'running' | 'done' | 'failed', updatedAt: number) => {
    const id = await jobQueue.enqueue(db, TYPE, { status }, updatedAt);
    await db
      .updateTable('jobs')
      .set({ status, updated_at: updatedAt, run_at: clock + 100 * LEASE, locked_until: status === 'running' ? clock + 100 * LEASE : null })
      .where('id', '=', id)
      .execute();
    return id;
  };

  describe('a claim is the job id and its attempt', () => {
    for (const second of ['worker-1', 'worker-2']) {
      test(`a stale claim cannot complete, retry or fail the newer claim of ${second}`, async () => {
        const id = await jobQueue.enqueue(db, TYPE, {}, clock);
        const stale = await jobQueue.claim(db, 'worker-1', clock, LEASE);
        assert.equal(stale?.attempts, 1);
        const takenAt = clock + LEASE + 1;
        const current = await jobQueue.claim(db, second, takenAt, LEASE);
        assert.equal(current?.attempts, 2);

        const staleWrites = [
          await jobQueue.complete(db, stale, takenAt),
          await jobQueue.retryLater(db, stale, 'late', takenAt + 1000, takenAt),
          await jobQueue.fail(db, stale, 'late', takenAt),
        ];
        const untouched = await row(id);
        assert.deepEqual(
          [untouched.status, untouched.attempts, untouched.locked_by, untouched.locked_until, untouched.last_error],
          ['running', 2, second, takenAt + LEASE, null],
        );
        assert.deepEqual(staleWrites, [false, false, false], 'each write reports that it did nothing');
        assert.equal(await jobQueue.renew(db, stale, takenAt, LEASE), false);

        assert.equal(await jobQueue.renew(db, current, takenAt + 10, LEASE), true);
        assert.equal((await row(id)).locked_until, takenAt + 10 + LEASE);
        assert.equal(await jobQueue.complete(db, current, takenAt + 20), true);
        assert.equal((await row(id)).status, 'done');
        // a settled claim is settled once
        assert.equal(await jobQueue.fail(db, current, 'twice', takenAt + 30), false);
        assert.equal((await row(id)).status, 'done');
      });
    }
  });

  describe('worker', () => {
    test('a long-running job keeps its lease: a second worker cannot take it while it runs', async () => {
      const first = gatedHandler();
      const id = await jobQueue.enqueue(db, TYPE, {}, clock);
      const a = worker({ handlers: { [TYPE]: first.handler }, heartbeatMs: 5 });
      const draining = a.drain();
      await first.started(1);

      clock += LEASE - 1;
      await eventually(async () => ((await row(id)).locked_until === clock + LEASE ? true : undefined));
      clock += LEASE / 2; // past the first lease, inside the renewed one
      const second = gatedHandler();
      const b = worker({ handlers: { [TYPE]: second.handler } });
      await b.drain();
      assert.equal(second.runs.length, 0);
      const held = await row(id);
      assert.deepEqual([held.status, held.attempts, held.locked_by], ['running', 1, a.workerId]);

      first.runs[0]!.finish();
      await draining;
      const done = await row(id);
      assert.deepEqual([done.status, done.attempts], ['done', 1]);
    });

    test('stop lets the running job finish but claims no more', async () => {
      const gate = gatedHandler();
      const ids = [await jobQueue.enqueue(db, TYPE, {}, clock), await jobQueue.enqueue(db, TYPE, {}, clock)];
      const w = worker({ handlers: { [TYPE]: gate.handler } });
      w.start();
      w.notify();
      await gate.started(1);
      const stopping = w.stop();
      gate.runs[0]!.finish();
      await stopping;
      const statuses = (await Promise.all(ids.map(row))).map((j) => j.status).sort();
      assert.deepEqual(statuses, ['done', 'pending']);
      assert.equal(gate.runs.length, 1);
    });

    test('a run whose lease ran out and that the same worker claimed again records nothing', async () => {
      const gated = gatedHandler();
      const id = await jobQueue.enqueue(db, TYPE, {}, clock);
      const w = worker({ handlers: { [TYPE]: gated.handler }, heartbeatMs: NO_HEARTBEAT });
      const staleDrain = w.drain();
      await gated.started(1);
      clock += LEASE + 1;
      const currentDrain = w.drain();
      const current = await gated.started(2);
      assert.equal(current.job.attempts, 2);

      gated.runs[0]!.finish(); // the stale run succeeds, too late
      await staleDrain;
      const held = await row(id);
      assert.deepEqual([held.status, held.attempts, held.locked_by], ['running', 2, w.workerId]);
      assert.equal(warnings(id, /discarded/).length, 1);

      current.finish(new Error('hook answered 503'));
      await currentDrain;
      const retried = await row(id);
      assert.deepEqual([retried.status, retried.attempts, retried.last_error], ['pending', 2, 'hook answered 503']);
    });

    test('a run that finds its claim lost neither records its result nor gives the job up', async () => {
      const gated = gatedHandler();
      const id = await jobQueue.enqueue(db, TYPE, {}, clock);
      const a = worker({ handlers: { [TYPE]: gated.handler }, heartbeatMs: 5, maxAttempts: 1 });
      const staleDrain = a.drain();
      await gated.started(1);
      // b's clock is far ahead, as if a had stalled: to b, a's lease ran out long ago.
      const b = worker({ handlers: { [TYPE]: gated.handler }, heartbeatMs: NO_HEARTBEAT, maxAttempts: 1, now: () => clock + 10 * LEASE });
      const currentDrain = b.drain();
      const current = await gated.started(2);
      await eventually(async () => (warnings(id, /lease lost/).length === 1 ? true : undefined));

      gated.runs[0]!.finish(new Error('stale failure')); // the last attempt, for the stale run
      await staleDrain;
      assert.equal(gated.gaveUp.length, 0);
      const held = await row(id);
      assert.deepEqual([held.status, held.attempts, held.locked_by], ['running', 2, b.workerId]);
      assert.equal(warnings(id, /discarded/).length, 1);

      current.finish(new Error('current failure'));
      await currentDrain;
      assert.deepEqual(
        gated.gaveUp.map((g) => [g.job.attempts, g.error]),
        [[2, 'current failure']],
      );
      assert.deepEqual([(await row(id)).status, (await row(id)).last_error], ['failed', 'current failure']);
    });
  });

  describe('reschedule and cancel', () => {
    test('a handler that reschedules puts its job back to wait with a new payload, without spending the attempt', async () => {
      const id = await jobQueue.enqueue(db, TYPE, { step: 1 }, clock);
      let runs = 0;
      const w = worker({
        handlers: {
          [TYPE]: {
            async run(job, run) {
              runs++;
              const { step } = JSON.parse(job.payload) as { step: number };
              if (step === 2) return;
              assert.equal(await db.transaction().execute((trx) => run.reschedule(trx, clock + 5000, { step: 2 })), true);
              return 'rescheduled';
            },
            async giveUp() {},
          },
        },
      });
      await w.drain();
      const waiting = await row(id);
      assert.deepEqual(
        [waiting.status, waiting.attempts, waiting.run_at, waiting.payload, waiting.locked_by, waiting.last_error],
        ['pending', 0, clock + 5000, '{"step":2}', null, null],
      );
      await w.drain();
      assert.equal(runs, 1, 'not due before its time');
      clock += 5000;
      await w.drain();
      assert.equal(runs, 2);
      assert.deepEqual([(await row(id)).status, (await row(id)).attempts], ['done', 1]);
    });

    test('a stale claim cannot reschedule the newer claim', async () => {
      const id = await jobQueue.enqueue(db, TYPE, {}, clock);
      const stale = await jobQueue.claim(db, 'worker-1', clock, LEASE);
      assert.ok(stale);
      const current = await jobQueue.claim(db, 'worker-2', clock + LEASE + 1, LEASE);
      assert.equal(await jobQueue.reschedule(db, stale, clock + HOUR, { late: true }, clock + LEASE + 2), false);
      assert.deepEqual([(await row(id)).status, (await row(id)).locked_by, (await row(id)).payload], ['running', 'worker-2', '{}']);
      assert.ok(current);
    });

    test('cancelPending drops the pending jobs of a type whose payload matches, nothing else', async () => {
      const mine = await jobQueue.enqueue(db, TYPE, { project_id: 'p1' }, clock);
      const other = await jobQueue.enqueue(db, TYPE, { project_id: 'p2' }, clock);
      const otherType = await jobQueue.enqueue(db, 'other.job', { project_id: 'p1' }, clock);
      const running = await jobQueue.enqueue(db, TYPE, { project_id: 'p1' }, clock);
      await db.updateTable('jobs').set({ status: 'running' }).where('id', '=', running).execute();
      const matches = (p: unknown) => (p as { project_id?: string }).project_id === 'p1';
      assert.equal(await jobQueue.cancelPending(db, TYPE, matches), 1);
      assert.equal(await jobQueue.findById(db, mine), undefined);
      for (const id of [other, otherType, running]) await row(id);
      assert.equal(await jobQueue.cancelPending(db, TYPE, matches), 0);
    });
  });

  describe('retention', () => {
    test('purgeFinished deletes old done and failed jobs in batches of the given size, nothing else', async () => {
      const old = clock - RETENTION - 1;
      const oldFinished = await Promise.all((['done', 'failed', 'done', 'failed', 'done'] as const).map((s) => jobIn(s, old)));
      const kept = await Promise.all([
        jobIn('done', clock - RETENTION),
        jobIn('failed', clock - 1),
        jobIn('pending', old),
        jobIn('running', old),
      ]);
      const removed = [];
      for (let n = -1; n !== 0; ) removed.push((n = await jobQueue.purgeFinished(db, clock - RETENTION, 2)));
      assert.deepEqual(removed, [2, 2, 1, 0]);
      for (const id of oldFinished) assert.equal(await jobQueue.findById(db, id), undefined);
      for (const id of kept) await row(id);
    });

    test('the worker purges past the retention at most once per interval', async () => {
      const old = clock - RETENTION - 1;
      const doomed = await Promise.all([jobIn('done', old), jobIn('failed', old), jobIn('done', old)]);
      const kept = await Promise.all([jobIn('done', clock - HOUR), jobIn('pending', old), jobIn('running', old)]);
      const w = worker({ purgeBatchSize: 2 });
      await w.drain();
      for (const id of doomed) assert.equal(await jobQueue.findById(db, id), undefined);
      for (const id of kept) await row(id);

      const later = await jobIn('failed', old);
      clock += 1;
      await w.drain();
      await row(later);
      clock += PURGE_INTERVAL;
      await w.drain();
      assert.equal(await jobQueue.findById(db, later), undefined);
      for (const id of kept) await row(id);
    });
  });

  describe('queue depth', () => {
    test('countGauged and the maws_jobs gauge count pending, running and failed jobs, not done ones', async () => {
      const app = Fastify();
      createMetrics({ countJobs: () => jobQueue.countGauged(db) }).installRoute(app);
      try {
        const gauge = async () => (await app.inject('/metrics')).body.split('\n').filter((l) => l.startsWith('maws_jobs{'));
        assert.deepEqual(await gauge(), ['maws_jobs{status="pending"} 0', 'maws_jobs{status="running"} 0', 'maws_jobs{status="failed"} 0']);
        assert.deepEqual(await jobQueue.countGauged(db), { pending: 0, running: 0, failed: 0 });

        for (const status of ['pending', 'pending', 'running', 'done', 'done', 'done', 'failed'] as const) await jobIn(status, clock);
        assert.deepEqual(await gauge(), ['maws_jobs{status="pending"} 2', 'maws_jobs{status="running"} 1', 'maws_jobs{status="failed"} 1']);
        assert.deepEqual(await jobQueue.countGauged(db), { pending: 2, running: 1, failed: 1 });
      } finally {
        await app.close();
      }
    });
  });
});
