import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type HookAnswer,
  type HookCall,
  type HookServer,
  WORKSPACE_ROUTES,
  assertError,
  ok,
  startHookServer,
  uniq,
} from './helpers/fixtures.js';
import { type TestServer, type TestUser, eventually, startTestServer } from './helpers/server.js';

const MAX_ATTEMPTS = 3;

describe('workspace deletion: job, cleanup hook, DELETE_FAILED and retry', () => {
  let srv: TestServer;
  let hook: HookServer;
  let token: string;
  let base: string;
  let alice: TestUser;
  let aliceToken: string;
  /** per-workspace hook behaviour; workspaces not listed get 200 */
  const behaviour = new Map<string, (call: HookCall) => HookAnswer | Promise<HookAnswer>>();

  before(async () => {
    hook = await startHookServer();
    hook.handle = (call) => behaviour.get(call.body?.workspace_id)?.(call) ?? 200;
    srv = await startTestServer({
      MAWS_DELETE_HOOK_URL: hook.url,
      MAWS_JOB_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      MAWS_JOB_RETRY_BASE_MS: '10',
      MAWS_DELETE_HOOK_TIMEOUT_MS: '5000',
    });
    token = await srv.rootToken();
    base = `/v1/${srv.projectId}/workspaces`;
    alice = await srv.newUser();
    aliceToken = await srv.login(alice);
  });
  after(async () => {
    await srv.close();
    await hook.close();
  });

  const create = async (body: object, t = token) => ok(await srv.api('POST', base, { token: t, body }));
  const show = (id: string) => srv.api('GET', `${base}/${id}`, { token });
  const del = (id: string, t = token) => srv.api('DELETE', `${base}/${id}`, { token: t });
  const waitGone = (id: string) =>
    eventually(async () => {
      const res = await show(id);
      return res.status === 400 ? res : undefined;
    });
  const waitStatus = (id: string, status: string) =>
    eventually(async () => {
      const res = await show(id);
      return res.status === 200 && res.body.status === status ? res.body : undefined;
    });
  /** a hook answer that waits until released */
  const gate = () => {
    let release!: (answer: HookAnswer) => void;
    const answer = new Promise<HookAnswer>((resolve) => (release = resolve));
    return { answer, release };
  };

  test('the worker calls the hook once with the documented payload, then the workspace is gone', async () => {
    const ws = await create({ name: uniq('hookok'), description: 'bye' });
    assert.deepEqual(ok(await del(ws.id)), { workspace_id: ws.id });
    assertError(await waitGone(ws.id), 400, 'ModelArts.7005', `workspace:${ws.id} not existed`);
    const calls = hook.callsFor(ws.id);
    assert.equal(calls.length, 1);
    const call = calls[0]!;
    assert.equal(call.method, 'POST');
    assert.equal(call.url, '/cleanup');
    assert.match(String(call.headers['content-type']), /^application\/json/);
    assert.equal(call.body.event, 'workspace.delete');
    assert.equal(call.body.project_id, srv.projectId);
    assert.equal(call.body.workspace_id, ws.id);
    assert.equal(call.body.workspace_name, ws.name);
    const list = ok(await srv.api('GET', `${base}?name=${ws.name}`, { token }));
    assert.deepEqual(list, { total_count: 0, count: 0, workspaces: [] });
  });

  test('while the hook runs: DELETING everywhere, DELETE again is a no-op 200, updates → 7004', async () => {
    const tag = uniq('held');
    const ws = await create({ name: `${tag}_a`, auth_type: 'private' });
    const normal = await create({ name: `${tag}_b` });
    const held = gate();
    behaviour.set(ws.id, () => held.answer);
    const totalBefore = ok(await srv.api('GET', base, { token })).total_count;

    assert.deepEqual(ok(await del(ws.id)), { workspace_id: ws.id });
    const deleting = await waitStatus(ws.id, 'DELETING');
    assert.equal(deleting.status_info, '');
    assert.ok(deleting.update_time >= ws.update_time);
    await eventually(async () => (hook.callsFor(ws.id).length === 1 ? true : undefined));

    // listed with its status, still counted
    const listed = ok(await srv.api('GET', `${base}?name=${tag}`, { token }));
    assert.equal(listed.workspaces.find((w: any) => w.id === ws.id)?.status, 'DELETING');
    assert.equal(ok(await srv.api('GET', base, { token })).total_count, totalBefore);
    // sort_by=status: DELETING < NORMAL
    const asc = ok(await srv.api('GET', `${base}?name=${tag}&sort_by=status&order=asc`, { token }));
    assert.deepEqual(asc.workspaces.map((w: any) => w.id), [ws.id, normal.id]);
    const desc = ok(await srv.api('GET', `${base}?name=${tag}&sort_by=status&order=desc`, { token }));
    assert.deepEqual(desc.workspaces.map((w: any) => w.id), [normal.id, ws.id]);

    // a second DELETE is accepted and does not queue a second cleanup
    assert.deepEqual(ok(await del(ws.id)), { workspace_id: ws.id });
    assert.deepEqual(ok(await del(`${ws.id}/`)), { workspace_id: ws.id });
    assertError(await srv.api('PUT', `${base}/${ws.id}`, { token, body: { description: 'late' } }), 400, 'ModelArts.7004');
    assertError(
      await srv.api('PUT', `${base}/${ws.id}/quotas`, { token, body: { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 1 }] } }),
      400,
      'ModelArts.7004',
    );
    // the name stays taken until the workspace is really gone
    assertError(await srv.api('POST', base, { token, body: { name: ws.name } }), 400, 'ModelArts.0103');
    const verdict = ok(
      await srv.api('POST', `${base}/${ws.id}/auth`, { token, body: { requests: [{ action_id: 'n', action: 'modelarts:notebook:create' }] } }),
    );
    assert.equal(verdict.results[0].verdict, 'deny');
    assert.ok(Array.isArray(verdict.results[0].cause) && verdict.results[0].cause.length > 0);

    held.release(200);
    await waitGone(ws.id);
    assert.equal(hook.callsFor(ws.id).length, 1);
    assert.equal(ok(await srv.api('GET', base, { token })).total_count, totalBefore - 1);
    assert.equal(ok(await srv.api('POST', base, { token, body: { name: ws.name } })).name, ws.name);
  });

  test(`a hook that keeps failing: ${MAX_ATTEMPTS} attempts, then DELETE_FAILED with status_info; DELETE again retries`, async () => {
    const ws = await create({ name: uniq('fail'), auth_type: 'internal', grants: [{ user_id: alice.id }] });
    let answer: HookAnswer = 500;
    behaviour.set(ws.id, () => answer);
    ok(await del(ws.id));
    const failed = await waitStatus(ws.id, 'DELETE_FAILED');
    assert.equal(hook.callsFor(ws.id).length, MAX_ATTEMPTS);
    assert.equal(typeof failed.status_info, 'string');
    assert.match(failed.status_info, /500/);
    // the workspace is intact apart from its status
    assert.equal(failed.name, ws.name);
    assert.deepEqual(failed.grants, ws.grants);
    const listed = ok(await srv.api('GET', `${base}?name=${ws.name}`, { token }));
    assert.equal(listed.workspaces[0].status, 'DELETE_FAILED');
    assert.equal(listed.workspaces[0].status_info, failed.status_info);

    // abnormal status: no updates, no quota changes, authorization denies; reads still work
    assertError(await srv.api('PUT', `${base}/${ws.id}`, { token, body: { description: 'x' } }), 400, 'ModelArts.7004');
    assertError(await srv.api('PUT', `${base}/${ws.id}`, { token, body: { name: uniq('ren') } }), 400, 'ModelArts.7004');
    assertError(
      await srv.api('PUT', `${base}/${ws.id}/quotas`, { token, body: { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 1 }] } }),
      400,
      'ModelArts.7004',
    );
    ok(await srv.api('GET', `${base}/${ws.id}/quotas`, { token }));
    const verdict = ok(
      await srv.api('POST', `${base}/${ws.id}/auth`, {
        token,
        body: { requests: [{ action_id: 'n', action: 'modelarts:notebook:create' }, { action_id: 'd', action: 'modelarts:workspace:delete' }] },
      }),
    );
    assert.deepEqual(verdict.results.map((r: any) => r.verdict), ['deny', 'deny']);
    // only owner or root may retry: neither the granted user nor anyone else
    assertError(await del(ws.id, aliceToken), 403, 'ModelArts.0108');
    assertError(await del(ws.id, await srv.login(await srv.newUser())), 403, 'ModelArts.0108');
    assert.equal(hook.callsFor(ws.id).length, MAX_ATTEMPTS);

    answer = 200;
    assert.deepEqual(ok(await del(ws.id)), { workspace_id: ws.id });
    await waitGone(ws.id);
    assert.equal(hook.callsFor(ws.id).length, MAX_ATTEMPTS + 1);
  });

  test('a hook that fails twice and then succeeds: the retries finish the deletion', async () => {
    const ws = await create({ name: uniq('flaky') });
    let n = 0;
    behaviour.set(ws.id, () => (++n <= 2 ? 503 : 204));
    ok(await del(ws.id));
    await waitGone(ws.id);
    assert.equal(hook.callsFor(ws.id).length, 3);
  });

  test('an unreachable hook (connection dropped) ends in DELETE_FAILED with an explanation', async () => {
    const ws = await create({ name: uniq('drop') });
    let answer: HookAnswer = 'destroy';
    behaviour.set(ws.id, () => answer);
    ok(await del(ws.id));
    const failed = await waitStatus(ws.id, 'DELETE_FAILED');
    assert.ok(failed.status_info.length > 0);
    assert.equal(hook.callsFor(ws.id).length, MAX_ATTEMPTS);
    answer = 200;
    ok(await del(ws.id));
    await waitGone(ws.id);
  });

  test('DELETE of a DELETE_FAILED workspace puts it back to DELETING at once', async () => {
    const ws = await create({ name: uniq('again') });
    const held = gate();
    let failing = true;
    behaviour.set(ws.id, () => (failing ? 500 : held.answer));
    ok(await del(ws.id));
    await waitStatus(ws.id, 'DELETE_FAILED');
    failing = false;
    ok(await del(ws.id));
    const res = await show(ws.id);
    assert.equal(ok(res).status, 'DELETING');
    assert.equal(res.body.status_info, '');
    held.release(200);
    await waitGone(ws.id);
  });

  test('concurrent DELETE requests: all 200, one cleanup', async () => {
    const ws = await create({ name: uniq('conc') });
    const held = gate();
    behaviour.set(ws.id, () => held.answer);
    const results = await Promise.all(Array.from({ length: 5 }, () => del(ws.id)));
    for (const r of results) assert.deepEqual(ok(r), { workspace_id: ws.id });
    held.release(200);
    await waitGone(ws.id);
    assert.equal(hook.callsFor(ws.id).length, 1);
    assertError(await del(ws.id), 400, 'ModelArts.7005');
  });

  test('after deletion every route answers 7005, and the quotas do not come back with the name', async () => {
    const ws = await create({ name: uniq('gone') });
    ok(await srv.api('PUT', `${base}/${ws.id}/quotas`, { token, body: { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 42 }] } }));
    ok(await del(ws.id));
    await waitGone(ws.id);
    for (const [method, path, body] of WORKSPACE_ROUTES) {
      assertError(await srv.api(method, `${base}/${ws.id}${path}`, { token, body }), 400, 'ModelArts.7005');
    }
    const again = await create({ name: ws.name });
    const { quotas } = ok(await srv.api('GET', `${base}/${again.id}/quotas`, { token }));
    assert.notEqual(quotas[0].quota, 42);
    assert.equal(quotas[0].update_time, again.create_time);
  });

  test('a cleanup hook that hangs on one workspace does not hold up the deletion of another', async () => {
    const slow = await create({ name: uniq('slow') });
    const quick = await create({ name: uniq('quick') });
    let release!: () => void;
    const held = new Promise<HookAnswer>((resolve) => {
      release = () => resolve(200);
    });
    behaviour.set(slow.id, () => held);
    try {
      ok(await del(slow.id));
      await eventually(async () => (hook.callsFor(slow.id).length === 1 ? true : undefined), 15000);
      ok(await del(quick.id));
      await eventually(async () => ((await show(quick.id)).status === 400 ? true : undefined), 15000);
      assert.equal(ok(await show(slow.id)).status, 'DELETING');
    } finally {
      release();
    }
    await waitGone(slow.id);
  });
});
