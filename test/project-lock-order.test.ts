// A project reset (and an account deletion) racing other writers on PostgreSQL. A creation's row must either be removed by
// the reset or counted after it, so that the project's workspace count (the quota) matches its
// workspaces; a deletion job purging a workspace meanwhile must not deadlock with the reset (both
// take the project's row and workspace rows: in the same order), and a creation takes the
// project's row before a part of its count (workspace-count.ts). SQLite lets one writer in at a
// time, so these races exist only on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { JobRow } from '../src/jobs/job.queue.js';
import { COUNT_SLOTS, workspaceCountOf } from '../src/db/workspace-count.js';
import { defaultWorkspaceRow } from '../src/workspaces/default-workspace.js';
import { createWorkspaceDeletionHandler } from '../src/workspaces/workspace.jobs.js';
import { createWorkspaceRepository } from '../src/workspaces/workspace.repository.js';
import { TEST_DB } from './helpers/database.js';
import { loginTo, ok } from './helpers/fixtures.js';
import { createOperatorAccount } from './helpers/accounts.js';
import { eventually, startTestServer, type TestServer } from './helpers/server.js';

const SKIP = TEST_DB === 'postgres' ? false : 'PostgreSQL only: SQLite serialises writers';

/** Until some connection of this database waits for a lock another one holds. */
function someoneWaitsForALock(db: TestServer['server']['db']): Promise<true> {
  return eventually(async () => {
    const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    return Number(rows[0]!.n) > 0 ? true : undefined;
  });
}

describe('project reset racing other writers', { skip: SKIP }, () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ MAWS_TEST_CONTROLS: 'true' });
  });
  after(() => srv?.close());

  /** The project's workspace count, as the list and the limit read it. */
  async function countOf(projectId: string): Promise<number> {
    const row = await srv.server.db.selectFrom('projects').select(workspaceCountOf('projects').as('n')).where('id', '=', projectId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  test('leaves the workspace count equal to the workspaces it keeps (a creation under a limit)', async () => {
    const db = srv.server.db;
    const projectId = srv.projectId;
    let commit!: () => void;
    const released = new Promise<void>((resolve) => (commit = resolve));
    // A creation under a limit as the repository makes one (insertNew): the row, then the project's count; held open.
    let creating!: () => void;
    const created = new Promise<void>((resolve) => (creating = resolve));
    const creation = db.transaction().execute(async (trx) => {
      const row = { ...defaultWorkspaceRow(projectId, { id: srv.root.id, name: srv.root.name }, Date.now()), id: 'racing', name: 'racing' };
      await trx.insertInto('workspaces').values(row).execute();
      await trx
        .updateTable('projects')
        .set((eb) => ({ workspace_count: eb('workspace_count', '+', 1) }))
        .where('id', '=', projectId)
        .execute();
      creating();
      await released;
    });
    await created;
    const reset = srv.operator('POST', '/maws/v1/test-controls/project-resets', { body: { project_id: projectId } });
    // The reset waits for the creation's locks before the creation commits.
    await someoneWaitsForALock(db);
    commit();
    await creation;
    ok(await reset);
    const kept = await db.selectFrom('workspaces').select('id').where('project_id', '=', projectId).execute();
    const count = await countOf(projectId);
    assert.equal(count, kept.length, `count ${count}, workspaces ${kept.map((w) => w.id).join(', ')}`);
  });

  test('a creation without a limit waits for a reset before it holds a part of the count, and is counted after it', async () => {
    const db = srv.server.db;
    const projectId = srv.projectId;
    const repo = createWorkspaceRepository('postgres');
    // Every part there already, so that a creation's upsert would lock an existing row.
    await db
      .insertInto('workspace_count_parts')
      .values(Array.from({ length: COUNT_SLOTS }, (_, slot) => ({ project_id: projectId, slot, n: 0 })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    let commit!: () => void;
    const released = new Promise<void>((resolve) => (commit = resolve));
    let resetting!: () => void;
    const resetDone = new Promise<void>((resolve) => (resetting = resolve));
    const reset = db.transaction().execute(async (trx) => {
      await srv.server.modules.workspaces.service.resetProject(trx, projectId);
      resetting();
      await released;
    });
    await resetDone;
    const row = { ...defaultWorkspaceRow(projectId, { id: srv.root.id, name: srv.root.name }, Date.now()), id: 'after-reset', name: 'after-reset' };
    const creation = repo.insertNew(db, row, [], [], null);
    let free: number;
    try {
      await someoneWaitsForALock(db);
      // The creation waits on the project's row and holds no part: all are free.
      const { rows } = await db.transaction().execute((trx) =>
        sql<{ slot: number }>`select slot from workspace_count_parts where project_id = ${projectId} for update skip locked`.execute(trx),
      );
      free = rows.length;
    } finally {
      commit();
    }
    await reset;
    assert.equal(free, COUNT_SLOTS);
    assert.equal(await creation, 'inserted');
    const kept = await db.selectFrom('workspaces').select('id').where('project_id', '=', projectId).orderBy('id').execute();
    assert.deepEqual(kept.map((w) => w.id), ['0', 'after-reset']);
    assert.equal(await countOf(projectId), 2);
  });

  /**
   * Runs the real deletion handler on a new DELETING workspace of the project, stopped inside its
   * transaction right after the workspace's row went, while `meanwhile` runs; both must succeed.
   */
  async function purgeWhile(projectId: string, token: string, meanwhile: () => Promise<unknown>): Promise<void> {
    const db = srv.server.db;
    const created = ok(await srv.api('POST', `/v1/${projectId}/workspaces`, { token, body: { name: `purged-${Date.now()}` } }));
    // DELETING without a queued job: the handler below is the only one to purge it.
    await db.updateTable('workspaces').set({ status: 'DELETING' }).where('project_id', '=', projectId).where('id', '=', created.id).execute();
    const real = createWorkspaceRepository('postgres');
    let paused!: () => void;
    const purged = new Promise<void>((resolve) => (paused = resolve));
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    // The real handler, stopped inside its transaction right after the workspace's row went.
    const repo = {
      ...real,
      purge: async (...args: Parameters<typeof real.purge>) => {
        const gone = await real.purge(...args);
        paused();
        await resumed;
        return gone;
      },
    };
    const { iam, audit } = srv.server.modules;
    const handler = createWorkspaceDeletionHandler({ db, repo, audit: audit.service, iam: iam.service });
    const job = { payload: JSON.stringify({ project_id: projectId, workspace_id: created.id }) } as JobRow;
    const deletion = handler.run(job, { reschedule: async () => false });
    await purged;
    const other = meanwhile();
    await someoneWaitsForALock(db);
    resume();
    const [deleted, answered] = await Promise.allSettled([deletion, other]);
    assert.equal(deleted.status, 'fulfilled', `the deletion job failed: ${String((deleted as PromiseRejectedResult).reason)}`);
    assert.equal(answered.status, 'fulfilled');
    ok((answered as PromiseFulfilledResult<any>).value);
  }

  test('and a deletion job purging a workspace meanwhile both complete', async () => {
    const db = srv.server.db;
    const projectId = srv.projectId;
    await purgeWhile(projectId, await srv.rootToken(), () =>
      srv.operator('POST', '/maws/v1/test-controls/project-resets', { body: { project_id: projectId } }),
    );
    const kept = await db.selectFrom('workspaces').select('id').where('project_id', '=', projectId).execute();
    assert.deepEqual(kept.map((w) => w.id), ['0']);
    assert.equal(await countOf(projectId), 1);
  });

  test('an account deletion and a deletion job purging one of its workspaces meanwhile both complete', async () => {
    const account = await createOperatorAccount(srv);
    const project = account.projects[0]!;
    const token = await loginTo(srv, account.name, account.root, project.name);
    await purgeWhile(project.id, token, () => srv.operator('DELETE', `/maws/v1/accounts/${account.name}`));
    const left = await srv.server.db.selectFrom('projects').select('id').where('domain_id', '=', account.id).execute();
    assert.deepEqual(left, []);
  });
});
