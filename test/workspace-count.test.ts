// A project's workspace count kept in parts (src/db/workspace-count.ts): on random creates (with
// and without a limit), deletions and resets, the count the list and the operator read equals
// COUNT(*) of the project's rows, and a limit counts the parts too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Executor } from '../src/db/types.js';
import { workspaceCountOf } from '../src/db/workspace-count.js';
import { seededRandom } from '../src/testing/seeded-random.js';
import { createWorkspaceRepository } from '../src/workspaces/workspace.repository.js';
import { TEST_DB } from './helpers/database.js';
import { createOperatorAccount } from './helpers/accounts.js';
import { addProject, assertError, ok, workspaceRow } from './helpers/fixtures.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe(`a project's workspace count on ${TEST_DB}`, () => {
  let srv: TestServer;
  const repo = createWorkspaceRepository(TEST_DB);
  before(async () => {
    srv = await startTestServer({ MAWS_TEST_CONTROLS: 'true', MAWS_MAX_WORKSPACES: '0' });
  });
  after(() => srv?.close());

  const rowsOf = async (db: Executor, projectId: string) =>
    Number((await db.selectFrom('workspaces').select(sql<number>`count(*)`.as('n')).where('project_id', '=', projectId).executeTakeFirstOrThrow()).n);
  const accountCountOf = async (projectId: string) =>
    Number((await srv.server.db.selectFrom('projects').select(workspaceCountOf('projects').as('n')).where('id', '=', projectId).executeTakeFirstOrThrow()).n);
  const reset = (projectId: string) => srv.operator('POST', '/maws/v1/test-controls/project-resets', { body: { project_id: projectId } });

  /** The deletion job's own steps, at once. */
  async function purge(projectId: string, id: string): Promise<void> {
    await srv.server.db.transaction().execute(async (trx) => {
      await repo.lockProject(trx, projectId);
      await repo.transition(trx, projectId, id, ['NORMAL'], { status: 'DELETING' });
      if (await repo.purge(trx, projectId, id)) await repo.releaseSlot(trx, projectId);
    });
  }

  test('equals COUNT(*) after random creates, deletions and resets', async () => {
    const db = srv.server.db;
    const projects = [srv.projectId, (await addProject(srv)).id];
    const rand = seededRandom(7);
    const live = new Map(projects.map((p) => [p, [] as string[]]));
    for (let step = 0; step < 160; step++) {
      const projectId = projects[Math.floor(rand() * projects.length)]!;
      const ids = live.get(projectId)!;
      const roll = rand();
      if (roll < 0.6) {
        const id = `c${step}`;
        // a create without a limit counts in a part; under one, in the project's row
        const limit = rand() < 0.3 ? 10_000 : null;
        assert.equal(await repo.insertNew(db, workspaceRow(projectId, id, `count-${step}`), [], [], limit), 'inserted');
        ids.push(id);
      } else if (roll < 0.9 && ids.length > 0) {
        await purge(projectId, ids.splice(Math.floor(rand() * ids.length), 1)[0]!);
      } else if (roll >= 0.9) {
        ok(await reset(projectId));
        ids.length = 0;
      }
      const expected = await rowsOf(db, projectId);
      assert.equal(expected, ids.length + 1, 'workspace "0" and the live ones');
      assert.equal(await repo.countAll(db, projectId), expected, `step ${step}`);
      assert.equal(await accountCountOf(projectId), expected, `step ${step}`);
    }
    // SQLite writes one create at a time: its creates count in the project's row.
    const parts = await db.selectFrom('workspace_count_parts').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    assert.ok(TEST_DB === 'sqlite' ? Number(parts.n) === 0 : Number(parts.n) > projects.length, `${parts.n} parts`);
  });

  test('through the API: a create with its grants and trace, a duplicate name refused and traced, the total', async () => {
    const token = await srv.rootToken();
    const base = `/v1/${srv.projectId}/workspaces`;
    const bob = await srv.newUser();
    const before = ok(await srv.api('GET', base, { token })).total_count;
    const name = `with-grants-${Date.now()}`;
    const created = ok(await srv.api('POST', base, { token, body: { name, auth_type: 'INTERNAL', grants: [{ user_id: bob.id }, { user_name: srv.root.name }] } }));
    const grants = [
      { user_id: bob.id, user_name: bob.name, user_type: 'IAM' },
      { user_id: srv.root.id, user_name: srv.root.name, user_type: 'IAM' },
    ];
    assert.deepEqual(created.grants, grants);
    assert.deepEqual(ok(await srv.api('GET', `${base}/${created.id}`, { token })).grants, grants);
    const duplicate = await srv.api('POST', base, { token, body: { name } });
    assertError(duplicate, 400, 'ModelArts.0103', `workspace name ${name} already exists`);
    assert.equal(ok(await srv.api('GET', base, { token })).total_count, before + 1);
    const { traces } = ok(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system&trace_name=createWorkspace&limit=200`, { token }));
    const ofName = traces.filter((t: { resource_name: string }) => t.resource_name === name).map((t: { code: string; resource_id: string }) => [t.code, t.resource_id]);
    assert.deepEqual(ofName.sort(), [['200', created.id], ['400', '']]);
  });

  test('a limit counts what the parts hold', async () => {
    const db = srv.server.db;
    const projectId = (await addProject(srv)).id;
    for (const i of [1, 2, 3]) assert.equal(await repo.insertNew(db, workspaceRow(projectId, `l${i}`, `limited-${i}`), [], [], null), 'inserted');
    // workspace "0" and three: four
    assert.equal(await repo.insertNew(db, workspaceRow(projectId, 'l4', 'limited-4'), [], [], 4), 'limit_reached');
    assert.equal(await rowsOf(db, projectId), 4, 'nothing written');
    assert.equal(await repo.insertNew(db, workspaceRow(projectId, 'l4', 'limited-4'), [], [], 5), 'inserted');
    assert.equal(await repo.countAll(db, projectId), 5);
  });

  test('a create of a project that is gone writes nothing', async () => {
    const db = srv.server.db;
    await assert.rejects(repo.insertNew(db, workspaceRow('no-such-project', 'x1', 'orphan'), [], [], null));
    const parts = await db.selectFrom('workspace_count_parts').select('slot').where('project_id', '=', 'no-such-project').execute();
    assert.deepEqual(parts, []);
  });

  test('holds under concurrent creates, deletions and resets', { skip: TEST_DB === 'sqlite' ? 'PostgreSQL only: SQLite lets one writer in at a time' : false }, async () => {
    const db = srv.server.db;
    const projectId = (await addProject(srv)).id;
    let next = 0;
    const create = () => {
      const id = `r${next++}`;
      return repo.insertNew(db, workspaceRow(projectId, id, `racing-${id}`), [], [], null).then(() => id);
    };
    const seeded = await Promise.all(Array.from({ length: 30 }, create));
    const work: Array<Promise<unknown>> = [];
    for (let round = 0; round < 4; round++) {
      work.push(...Array.from({ length: 40 }, create));
      work.push(...seeded.splice(0, 5).map((id) => purge(projectId, id)));
      work.push(reset(projectId).then(ok));
    }
    // every one completes: a deadlock would fail one of them
    await Promise.all(work);
    assert.equal(await repo.countAll(db, projectId), await rowsOf(db, projectId));
  });

  test('an account deleted while its project is being created into', { skip: TEST_DB === 'sqlite' ? 'PostgreSQL only: SQLite lets one writer in at a time' : false }, async () => {
    const db = srv.server.db;
    const account = await createOperatorAccount(srv);
    const projectId = account.projects[0]!.id;
    const creates = Array.from({ length: 60 }, (_, i) =>
      repo.insertNew(db, workspaceRow(projectId, `a${i}`, `doomed-${i}`), [], [], null).then(
        () => 'inserted',
        // the account went first: the project's row is gone
        (error: { code?: string }) => error.code,
      ),
    );
    const deleted = srv.operator('DELETE', `/maws/v1/accounts/${account.id}`);
    const outcomes = await Promise.all(creates);
    ok(await deleted);
    // a deadlock (40P01) would have failed a create or the deletion
    assert.deepEqual([...new Set(outcomes)].filter((o) => o !== 'inserted' && o !== '23503'), []);
    const left = await db.selectFrom('workspace_count_parts').select('slot').where('project_id', '=', projectId).execute();
    assert.deepEqual(left, []);
  });
});
