import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seededRandom } from '../src/testing/seeded-random.js';
import { createTestDeletionControls } from '../src/testing/testing.module.js';
import { addProject, assertError, ok, uniq } from './helpers/fixtures.js';
import { type TestServer, eventually, startTestServer } from './helpers/server.js';

const BASE = '/maws/v1/test-controls';

describe('test controls (MAWS_TEST_CONTROLS=true)', () => {
  let srv: TestServer;
  let token: string;
  let ws: string;
  /** the server's clock runs this far ahead of the machine's */
  let offset = 0;

  before(async () => {
    srv = await startTestServer({ MAWS_TEST_CONTROLS: 'true' }, () => Date.now() + offset);
    token = await srv.rootToken();
    ws = `/v1/${srv.projectId}/workspaces`;
  });
  after(() => srv.close());

  const create = async (name = uniq('tc')) => ok(await srv.api('POST', ws, { token, body: { name } }));
  const show = (id: string) => srv.api('GET', `${ws}/${id}`, { token });
  const del = (id: string) => srv.api('DELETE', `${ws}/${id}`, { token });
  const waitGone = (id: string) => eventually(async () => ((await show(id)).status === 400 ? true : undefined));
  const waitStatus = (id: string, status: string) =>
    eventually(async () => {
      const res = await show(id);
      return res.status === 200 && res.body.status === status ? res.body : undefined;
    });
  const controls = async (query = '') => ok(await srv.operator('GET', `${BASE}${query}`)).test_controls as any[];
  const control = async (id: string) => (await controls()).find((c) => c.id === id);
  const clearAll = async () => ok(await srv.operator('DELETE', BASE));
  /** the deletion job of a workspace once a hold put it back to wait */
  const heldJob = (id: string) =>
    eventually(async () => {
      const rows = await srv.server.db.selectFrom('jobs').selectAll().where('status', '=', 'pending').execute();
      return rows.find((r) => JSON.parse(r.payload).workspace_id === id && JSON.parse(r.payload).held_until !== undefined);
    });

  test('deletion failures: the next N deletions of the project end in DELETE_FAILED with the message; a retried DELETE removes the workspace', async () => {
    await clearAll();
    const message = 'cleanup of OBS buckets failed (injected)';
    const failure = ok(await srv.operator('POST', `${BASE}/deletion-failures`, { body: { project_id: srv.projectId, count: 2, message } }));
    assert.equal(failure.kind, 'deletion_failure');
    assert.equal(failure.remaining, 2);
    assert.equal(failure.workspace_id, null);
    const [a, b, c] = [await create(), await create(), await create()];
    for (const w of [a, b, c]) ok(await del(w.id));
    const outcomes = await Promise.all(
      [a, b, c].map((w) =>
        eventually(async () => {
          const res = await show(w.id);
          if (res.status === 400) return 'gone';
          return res.body.status === 'DELETE_FAILED' ? res.body : undefined;
        }),
      ),
    );
    const failed = outcomes.filter((o) => o !== 'gone');
    assert.equal(failed.length, 2, JSON.stringify(outcomes));
    for (const f of failed) assert.equal(f.status_info, message);
    // used up: no longer listed as active
    assert.equal(await control(failure.id), undefined);
    for (const f of failed) {
      ok(await del(f.id));
      await waitGone(f.id);
    }
  });

  test("a workspace's own failure goes before the project's; the project's serves the others", async () => {
    await clearAll();
    const [a, b] = [await create(), await create()];
    const projectWide = ok(await srv.operator('POST', `${BASE}/deletion-failures`, { body: { project_id: srv.projectId, message: 'project' } }));
    const own = ok(
      await srv.operator('POST', `${BASE}/deletion-failures`, { body: { project_id: srv.projectId, workspace_id: a.id, message: 'own' } }),
    );
    assert.equal(own.workspace_id, a.id);
    ok(await del(a.id));
    assert.equal((await waitStatus(a.id, 'DELETE_FAILED')).status_info, 'own');
    assert.equal((await control(projectWide.id))?.remaining, 1);
    ok(await del(b.id));
    assert.equal((await waitStatus(b.id, 'DELETE_FAILED')).status_info, 'project');
    // a control for a workspace that does not exist, or for an unknown project, is refused
    assertError(
      await srv.operator('POST', `${BASE}/deletion-failures`, { body: { project_id: srv.projectId, workspace_id: 'nope' } }),
      404,
      'MAWS.0004',
    );
    assertError(await srv.operator('POST', `${BASE}/deletion-failures`, { body: { project_id: 'unknown-project' } }), 404, 'MAWS.0004');
    for (const w of [a, b]) {
      ok(await del(w.id));
      await waitGone(w.id);
    }
  });

  test("uses are taken in the deletion's transaction: racing deletions (as on several replicas) never take one use twice", async () => {
    await clearAll();
    const failure = ok(await srv.operator('POST', `${BASE}/deletion-failures`, { body: { project_id: srv.projectId, count: 3, message: 'raced' } }));
    // a second replica's view of the same database
    const replica = createTestDeletionControls({ enabled: true, now: () => Date.now() + offset })!;
    const taken = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        srv.server.db.transaction().execute((trx) => replica.takeFailure(trx, srv.projectId, `w${i}`)),
      ),
    );
    assert.deepEqual(taken.filter((m) => m !== undefined), ['raced', 'raced', 'raced']);
    assert.equal(await control(failure.id), undefined);
    // a transaction that rolls back gives its use back
    const again = ok(await srv.operator('POST', `${BASE}/deletion-failures`, { body: { project_id: srv.projectId, count: 1 } }));
    await assert.rejects(
      srv.server.db.transaction().execute(async (trx) => {
        assert.ok(await replica.takeFailure(trx, srv.projectId, 'w'));
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    assert.equal((await control(again.id))?.remaining, 1);
  });

  test('deletion failures in another project leave this one alone', async () => {
    await clearAll();
    const other = await addProject(srv);
    ok(await srv.operator('POST', `${BASE}/deletion-failures`, { body: { project_id: other.id, count: 5 } }));
    const w = await create();
    ok(await del(w.id));
    await waitGone(w.id);
    assert.equal((await controls(`?project_id=${other.id}`))[0].remaining, 5);
  });

  test('a deletion hold keeps the workspace DELETING until the held time has passed on the server clock', async () => {
    await clearAll();
    const w = await create();
    const hold = ok(
      await srv.operator('POST', `${BASE}/deletion-holds`, { body: { project_id: srv.projectId, workspace_id: w.id, hold_seconds: 120, count: 1 } }),
    );
    assert.equal(hold.hold_seconds, 120);
    ok(await del(w.id));
    const deleting = await waitStatus(w.id, 'DELETING');
    // The job took the hold and waits, rescheduled (not sleeping) until 120 s after the DELETE.
    const job = await heldJob(w.id);
    assert.equal(Number(job.run_at), deleting.update_time + 120_000);
    assert.equal(job.attempts, 0, 'a hold is not a failed attempt');
    assert.equal(await control(hold.id), undefined, 'its one use was taken');
    assert.equal(ok(await show(w.id)).status, 'DELETING');
    offset += 121_000;
    await waitGone(w.id);
  });

  test('a hold then a failure: DELETING for the hold, then DELETE_FAILED', async () => {
    await clearAll();
    const w = await create();
    ok(await srv.operator('POST', `${BASE}/deletion-holds`, { body: { project_id: srv.projectId, hold_seconds: 30 } }));
    ok(await srv.operator('POST', `${BASE}/deletion-failures`, { body: { project_id: srv.projectId, message: 'late failure' } }));
    ok(await del(w.id));
    await heldJob(w.id);
    assert.equal(ok(await show(w.id)).status, 'DELETING');
    offset += 31_000;
    assert.equal((await waitStatus(w.id, 'DELETE_FAILED')).status_info, 'late failure');
    await clearAll();
    ok(await del(w.id));
    await waitGone(w.id);
  });

  test('faults: share 1 answers every matching call with the error, in the contract shape, until its count is used', async () => {
    await clearAll();
    const w = await create();
    const error = { status: 429, error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second' };
    const fault = ok(
      await srv.operator('POST', `${BASE}/faults`, { body: { project_id: srv.projectId, operations: ['ShowWorkspace'], share: 1, error, count: 2 } }),
    );
    assert.deepEqual(fault.operations, ['ShowWorkspace']);
    assertError(await show(w.id), 429, 'APIG.0308', error.error_msg);
    assert.equal((await control(fault.id))?.remaining, 1);
    assertError(await show(w.id), 429, 'APIG.0308');
    assert.equal(ok(await show(w.id)).id, w.id);
    // other operations were never affected
    ok(await srv.api('GET', ws, { token }));
  });

  test('faults: share 0 affects no call and uses nothing; a fault on another project does not reach this one', async () => {
    await clearAll();
    const other = await addProject(srv);
    const none = ok(
      await srv.operator('POST', `${BASE}/faults`, {
        body: { operations: ['ListWorkspace'], share: 0, error: { status: 500, error_code: 'ModelArts.7001' }, count: 3 },
      }),
    );
    ok(await srv.operator('POST', `${BASE}/faults`, { body: { project_id: other.id, operations: ['ListWorkspace'], error: { status: 500, error_code: 'X.1' } } }));
    for (let i = 0; i < 20; i++) ok(await srv.api('GET', ws, { token }));
    assert.equal((await control(none.id))?.remaining, 3);
  });

  test('faults: with a seed, a share below 1 picks the same calls every time', async () => {
    await clearAll();
    const seed = 20261129;
    ok(
      await srv.operator('POST', `${BASE}/faults`, {
        body: { project_id: srv.projectId, operations: ['ListWorkspace'], share: 0.3, seed, error: { status: 503, error_code: 'ModelArts.7008' } },
      }),
    );
    const next = seededRandom(seed);
    const expected = Array.from({ length: 30 }, () => (next() < 0.3 ? 503 : 200));
    const seen: number[] = [];
    for (let i = 0; i < 30; i++) seen.push((await srv.api('GET', ws, { token })).status);
    assert.deepEqual(seen, expected);
    assert.ok(expected.includes(503) && expected.includes(200));
  });

  test('faults: latency delays the call, which then succeeds', async () => {
    await clearAll();
    ok(await srv.operator('POST', `${BASE}/faults`, { body: { project_id: srv.projectId, operations: ['ListWorkspace'], latency_ms: 300, count: 1 } }));
    const started = performance.now();
    ok(await srv.api('GET', ws, { token }));
    assert.ok(performance.now() - started >= 290, `took ${performance.now() - started} ms`);
  });

  test('faults: unknown operations and a fault without error or latency are refused', async () => {
    const res = await srv.operator('POST', `${BASE}/faults`, { body: { operations: ['ShowWorkspace', 'DropTables'], error: { status: 500, error_code: 'X' } } });
    assertError(res, 400, 'MAWS.0001', /DropTables/);
    assert.match(res.body.error_msg, /CreateWorkspace/);
    assertError(await srv.operator('POST', `${BASE}/faults`, { body: { operations: ['ShowWorkspace'] } }), 400, 'MAWS.0001');
    assertError(await srv.operator('POST', `${BASE}/faults`, { body: { operations: ['ShowWorkspace'], share: 2, latency_ms: 1 } }), 400, 'MAWS.0001');
    assertError(await srv.operator('POST', `${BASE}/faults`, { body: { operations: ['CreateWorkspace'], latency_ms: 1, ttl_seconds: 86401 } }), 400, 'MAWS.0001');
  });

  test('expiry: an expired control is ignored and no longer listed', async () => {
    await clearAll();
    const fault = ok(
      await srv.operator('POST', `${BASE}/faults`, {
        body: { project_id: srv.projectId, operations: ['ListWorkspace'], error: { status: 500, error_code: 'ModelArts.7001' }, ttl_seconds: 60 },
      }),
    );
    assert.equal(fault.expires_at, fault.created_at + 60_000);
    assertError(await srv.api('GET', ws, { token }), 500, 'ModelArts.7001');
    const failure = ok(await srv.operator('POST', `${BASE}/deletion-failures`, { body: { project_id: srv.projectId, ttl_seconds: 60 } }));
    assert.equal((await controls()).length, 2);
    offset += 61_000;
    ok(await srv.api('GET', ws, { token }));
    assert.deepEqual(await controls(), []);
    const w = await create();
    ok(await del(w.id));
    await waitGone(w.id);
    assert.equal(await control(failure.id), undefined);
  });

  test('read back, remove one, clear one project, clear all', async () => {
    await clearAll();
    const other = await addProject(srv);
    const mine = ok(await srv.operator('POST', `${BASE}/deletion-holds`, { body: { project_id: srv.projectId, hold_seconds: 5 } }));
    const theirs = ok(await srv.operator('POST', `${BASE}/deletion-failures`, { body: { project_id: other.id, count: 3, message: 'm' } }));
    const global = ok(
      await srv.operator('POST', `${BASE}/faults`, {
        body: { operations: ['CreateWorkspace', 'CreateWorkspace'], share: 0.5, latency_ms: 10, error: { status: 500, error_code: 'E.1', error_msg: 'boom' }, seed: 1 },
      }),
    );
    const listed = await controls();
    assert.deepEqual(listed.map((c) => c.id), [mine.id, theirs.id, global.id]);
    assert.deepEqual(listed[0], { ...mine, remaining: null, workspace_id: null, operations: [] });
    assert.equal(listed[0].hold_seconds, 5);
    assert.deepEqual(listed[1].message, 'm');
    assert.deepEqual(listed[2].operations, ['CreateWorkspace']);
    assert.deepEqual(listed[2].error, { status: 500, error_code: 'E.1', error_msg: 'boom' });
    assert.equal(listed[2].project_id, null);
    assert.deepEqual((await controls(`?project_id=${other.id}`)).map((c) => c.id), [theirs.id]);

    assert.deepEqual(ok(await srv.operator('DELETE', `${BASE}/${mine.id}`)), { cleared: 1 });
    assertError(await srv.operator('DELETE', `${BASE}/${mine.id}`), 404, 'MAWS.0004');
    assert.deepEqual(ok(await srv.operator('DELETE', `${BASE}?project_id=${other.id}`)), { cleared: 1 });
    assert.deepEqual((await controls()).map((c) => c.id), [global.id]);
    assert.deepEqual(ok(await srv.operator('DELETE', BASE)), { cleared: 1 });
    assert.deepEqual(await controls(), []);
  });

  test('reset: the project as on its first start, in one go', async () => {
    await clearAll();
    const alice = await srv.newUser();
    const kept = await create();
    const internal = ok(await srv.api('POST', ws, { token, body: { name: uniq('int'), auth_type: 'internal', grants: [{ user_id: alice.id }] } }));
    ok(await srv.api('PUT', `${ws}/${kept.id}/quotas`, { token, body: { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 7 }] } }));
    ok(await srv.api('PUT', `${ws}/0`, { token, body: { description: 'changed' } }));
    ok(await srv.api('PUT', `${ws}/0/quotas`, { token, body: { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 9 }] } }));
    const firstZero = ok(await show('0'));
    // a held deletion: its job is pending
    ok(await srv.operator('POST', `${BASE}/deletion-holds`, { body: { project_id: srv.projectId, hold_seconds: 600 } }));
    ok(await del(internal.id));
    await heldJob(internal.id);
    const other = await addProject(srv);
    const theirs = ok(await srv.operator('POST', `${BASE}/deletion-failures`, { body: { project_id: other.id } }));

    const before = ok(await srv.api('GET', ws, { token })).total_count;
    const result = ok(await srv.operator('POST', `${BASE}/project-resets`, { body: { project_id: srv.projectId } }));
    assert.deepEqual(result, { project_id: srv.projectId, removed_workspaces: before - 1, cleared_controls: 1 });

    const list = ok(await srv.api('GET', ws, { token }));
    assert.equal(list.total_count, 1);
    assert.deepEqual(list.workspaces.map((w: any) => w.id), ['0']);
    const zero = ok(await show('0'));
    assert.equal(zero.description, '');
    assert.equal(zero.owner, firstZero.owner);
    assert.equal(zero.status, 'NORMAL');
    const quotas = ok(await srv.api('GET', `${ws}/0/quotas`, { token })).quotas;
    assert.notEqual(quotas[0].quota, 9);
    assertError(await show(kept.id), 400, 'ModelArts.7005');
    const pending = await srv.server.db.selectFrom('jobs').select('payload').where('status', '=', 'pending').execute();
    assert.equal(pending.filter((r) => JSON.parse(r.payload).project_id === srv.projectId).length, 0);
    assert.equal(await srv.server.db.selectFrom('workspace_grants').select('user_id').where('project_id', '=', srv.projectId).executeTakeFirst(), undefined);
    assert.deepEqual((await controls()).map((c) => c.id), [theirs.id]);
    // the names are free again
    ok(await srv.api('POST', ws, { token, body: { name: kept.name } }));
    assertError(await srv.operator('POST', `${BASE}/project-resets`, { body: { project_id: 'no-such-project' } }), 404, 'MAWS.0004');
  });

  test('the operator token is required', async () => {
    assertError(await srv.api('GET', BASE), 401, 'APIGW.0301');
    assertError(await srv.api('GET', BASE, { token }), 401, 'APIGW.0301');
  });
});

/** Every test-control route, each with a body it would accept. */
const ROUTES: ReadonlyArray<readonly [string, string, unknown]> = [
  ['POST', `${BASE}/deletion-failures`, { project_id: 'p' }],
  ['POST', `${BASE}/deletion-holds`, { project_id: 'p', hold_seconds: 1 }],
  ['POST', `${BASE}/faults`, { operations: ['ShowWorkspace'], latency_ms: 1 }],
  ['POST', `${BASE}/project-resets`, { project_id: 'p' }],
  ['GET', BASE, undefined],
  ['DELETE', `${BASE}/some-id`, undefined],
  ['DELETE', BASE, undefined],
];

describe('test controls when MAWS_TEST_CONTROLS is not true', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  test('every route answers 403 MAWS.0003 saying how to turn them on, whatever the body', async () => {
    for (const [method, path, body] of ROUTES) {
      for (const sent of [body, { nonsense: true }]) {
        assertError(await srv.operator(method, path, { body: method === 'POST' ? sent : undefined }), 403, 'MAWS.0003', /MAWS_TEST_CONTROLS=true/);
      }
    }
    assertError(await srv.operator('POST', `${BASE}/faults`, { rawBody: '{not json', headers: { 'content-type': 'application/json' } }), 403, 'MAWS.0003');
    // the operator token is still checked first
    assertError(await srv.api('GET', BASE), 401, 'APIGW.0301');
  });

  test('nothing of them is on the path of other requests, and deletions ask nothing of them', async () => {
    assert.equal(srv.server.modules.testing.installFaults, undefined);
    const routes = srv.server.app.printRoutes({ includeHooks: true, commonPrefix: false });
    assert.doesNotMatch(routes, /preHandler/);
    const token = await srv.rootToken();
    const ws = `/v1/${srv.projectId}/workspaces`;
    const w = ok(await srv.api('POST', ws, { token, body: { name: uniq('off') } }));
    await srv.server.db
      .insertInto('test_controls')
      .values({ id: 'x', kind: 'deletion_failure', project_id: srv.projectId, workspace_id: null, operations: '[]', parameters: '{"message":"m"}', remaining: 1, expires_at: Date.now() + 60_000, created_at: Date.now() })
      .execute();
    ok(await srv.api('DELETE', `${ws}/${w.id}`, { token }));
    await eventually(async () => ((await srv.api('GET', `${ws}/${w.id}`, { token })).status === 400 ? true : undefined));
  });
});
