import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ClientRequestException } from '@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException.js';
import { HEX32, startRecordingProxy } from './helpers/fixtures.js';
import { createModelArtsSdkClient } from './helpers/modelarts-sdk-client.js';
import { type TestServer, type TestUser, eventually, startTestServer } from './helpers/server.js';

type SdkClient = ReturnType<typeof createModelArtsSdkClient>;
type Proxy = Awaited<ReturnType<typeof startRecordingProxy>>;

const GPU = 'exemlProject.gpu_duration';

/** Awaits an SDK call that must fail with a ClientRequestException and returns it. */
async function sdkError(call: () => Promise<unknown>, status: number, code: string): Promise<ClientRequestException> {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ClientRequestException, `expected ClientRequestException, got ${String(caught)}`);
  assert.equal(caught.httpStatusCode, status, `${caught.errorCode} ${caught.errorMsg}`);
  assert.equal(caught.errorCode, code, caught.errorMsg);
  assert.equal(typeof caught.errorMsg, 'string');
  assert.ok(typeof caught.requestId === 'string' && caught.requestId.length > 0, 'requestId from X-Request-Id');
  return caught;
}

describe('official Node SDK code path (AK/SK signed) against the real server', () => {
  let srv: TestServer;
  let proxy: Proxy;
  let user: TestUser;
  let rootSdk: SdkClient;
  let userSdk: SdkClient;
  let proxiedRootSdk: SdkClient;

  before(async () => {
    srv = await startTestServer();
    user = await srv.newUser();
    proxy = await startRecordingProxy(srv.url);
    const opts = { endpoint: srv.url, projectId: srv.projectId };
    rootSdk = createModelArtsSdkClient({ ...opts, ak: srv.root.accessKey, sk: srv.root.secretKey });
    userSdk = createModelArtsSdkClient({ ...opts, ak: user.accessKey, sk: user.secretKey });
    proxiedRootSdk = createModelArtsSdkClient({ ...opts, endpoint: proxy.endpoint, ak: srv.root.accessKey, sk: srv.root.secretKey });
  });
  after(async () => {
    await proxy.close();
    await srv.close();
  });

  describe('lifecycle of an INTERNAL workspace', () => {
    const tag = randomBytes(3).toString('hex');
    const name = `SDK工作空间_${tag}`;
    let id: string;
    let created: any;

    test('createWorkspace (root): INTERNAL with a grant by user_name', async () => {
      const t0 = Date.now();
      created = await rootSdk.createWorkspace({
        name,
        description: 'created through the SDK',
        auth_type: 'INTERNAL',
        enterprise_project_id: '0',
        grants: [{ user_name: user.name, user_type: 'IAM' }],
      });
      assert.equal(created.httpStatusCode, 200);
      assert.match(created.id, HEX32);
      id = created.id;
      assert.equal(created.name, name);
      assert.equal(created.description, 'created through the SDK');
      assert.equal(created.owner, srv.root.name);
      assert.equal(created.auth_type, 'internal');
      assert.equal(created.enterprise_project_id, '0');
      assert.equal(created.enterprise_project_name, 'default');
      assert.equal(created.status, 'NORMAL');
      assert.equal(created.status_info, '');
      assert.ok(created.create_time >= t0 && created.create_time <= Date.now());
      assert.equal(created.update_time, created.create_time);
      assert.deepEqual(created.grants, [{ user_id: user.id, user_name: user.name, user_type: 'IAM' }]);
    });

    test('listWorkspace (user) with every query parameter and a unicode name filter', async () => {
      const res = await userSdk.listWorkspace({
        offset: 0,
        limit: 10,
        sort_by: 'update_time',
        order: 'asc',
        enterprise_project_id: '0',
        name: `工作空间_${tag}`,
        filter_accessible: true,
      });
      assert.equal(res.httpStatusCode, 200);
      assert.equal(res.total_count, 1);
      assert.equal(res.count, 1);
      assert.equal(res.workspaces[0].id, id);
      assert.equal(res.workspaces[0].name, name);
      assert.equal('grants' in res.workspaces[0], false);

      const page2 = await userSdk.listWorkspace({ offset: 1, limit: 10, name: tag, filter_accessible: false });
      assert.deepEqual([page2.total_count, page2.count, page2.workspaces], [1, 0, []]);

      const everything = await rootSdk.listWorkspace();
      assert.ok(everything.workspaces.some((w: any) => w.id === '0'));
      assert.ok(everything.workspaces.some((w: any) => w.id === id));
      assert.equal(everything.total_count, everything.workspaces.length);
    });

    test('listWorkspace: a name filter with a space or !\'()* is signed correctly and rejected as a parameter (400, not 401)', async () => {
      const spaced = await sdkError(() => userSdk.listWorkspace({ name: `工作 空间_${tag}` }), 400, 'ModelArts.0104');
      assert.match(spaced.requestId!, /\S/);
      await sdkError(() => userSdk.listWorkspace({ name: "x+(y)*!'" }), 400, 'ModelArts.0104');
      await sdkError(() => userSdk.listWorkspace({ limit: 0 }), 400, 'ModelArts.0104');
      await sdkError(() => userSdk.listWorkspace({ sort_by: 'size' }), 400, 'ModelArts.0104');
    });

    test('showWorkspace (granted user): the full object with grants', async () => {
      const res = await userSdk.showWorkspace(id);
      assert.equal(res.httpStatusCode, 200);
      const { httpStatusCode: _a, ...shown } = res;
      const { httpStatusCode: _b, ...expected } = created;
      assert.deepEqual(shown, expected);
    });

    test('updateWorkspace: a granted user gets 403 0108; the root renames and regrants', async () => {
      await sdkError(() => userSdk.updateWorkspace(id, { description: 'nope' }), 403, 'ModelArts.0108');
      const renamed = `SDK改名_${tag}`;
      const res = await rootSdk.updateWorkspace(id, {
        name: renamed,
        description: '',
        auth_type: 'INTERNAL',
        grants: [{ user_id: user.id }],
      });
      assert.deepEqual(res, { workspace_id: id, httpStatusCode: 200 });
      const shown = await userSdk.showWorkspace(id);
      assert.equal(shown.name, renamed);
      assert.equal(shown.description, '');
      assert.equal(shown.auth_type, 'internal');
      assert.deepEqual(shown.grants, [{ user_id: user.id, user_name: user.name, user_type: 'IAM' }]);
      assert.ok(shown.update_time >= created.update_time);
    });

    test('showWorkspaceQuotas / updateWorkspaceQuotas', async () => {
      const before0 = await userSdk.showWorkspaceQuotas(id);
      assert.equal(before0.httpStatusCode, 200);
      assert.ok(before0.quotas.length >= 1);
      assert.equal(before0.quotas[0].resource, GPU);
      assert.notEqual(before0.quotas[0].quota, -1);
      assert.equal(before0.quotas[0].used_quota, 0);
      assert.equal(before0.quotas[0].update_time, created.create_time);

      await sdkError(() => userSdk.updateWorkspaceQuotas(id, { quotas: [{ resource: GPU, quota: 10 }] }), 403, 'ModelArts.0108');
      const updated = await rootSdk.updateWorkspaceQuotas(id, { quotas: [{ resource: GPU, quota: 10 }] });
      assert.equal(updated.httpStatusCode, 200);
      assert.equal(updated.quotas.length, 1);
      assert.equal(updated.quotas[0].resource, GPU);
      assert.equal(updated.quotas[0].quota, 10);
      assert.equal('used_quota' in updated.quotas[0], false);
      const after0 = await userSdk.showWorkspaceQuotas(id);
      assert.equal(after0.quotas[0].quota, 10);
      assert.equal(after0.quotas[0].update_time, updated.quotas[0].update_time);
      await sdkError(() => rootSdk.updateWorkspaceQuotas(id, { quotas: [{ resource: GPU, quota: 60001 }] }), 400, 'ModelArts.0104');
    });

    test('validateAuthorization (granted user)', async () => {
      const a = randomUUID();
      const b = randomUUID();
      const res = await userSdk.validateAuthorization(id, {
        requests: [
          { action_id: a, action: 'modelarts:notebook:create', resource: 'notebook/x', service_attributes: { k: 'v' } },
          { action_id: b, action: 'modelarts:workspace:delete' },
        ],
      });
      assert.equal(res.httpStatusCode, 200);
      assert.deepEqual(res.results[0], { action: 'modelarts:notebook:create', verdict: 'allow', action_id: a, resource: 'notebook/x' });
      assert.equal(res.results[1].verdict, 'deny');
      assert.equal(res.results[1].action_id, b);
      assert.ok(Array.isArray(res.results[1].cause) && res.results[1].cause.length > 0);
    });

    test('deleteWorkspace: the granted user gets 403; the root deletes; then 400 ModelArts.7005 with the request id', async () => {
      await sdkError(() => userSdk.deleteWorkspace(id), 403, 'ModelArts.0108');
      const res = await rootSdk.deleteWorkspace(id);
      assert.deepEqual(res, { workspace_id: id, httpStatusCode: 200 });
      await eventually(async () => {
        try {
          await rootSdk.showWorkspace(id);
          return undefined;
        } catch (error) {
          return error;
        }
      });
      const before = proxy.exchanges.length;
      const err = await sdkError(() => proxiedRootSdk.showWorkspace(id), 400, 'ModelArts.7005');
      assert.equal(err.errorMsg, `workspace:${id} not existed`);
      assert.equal(proxy.exchanges.length, before + 1);
      const exchange = proxy.exchanges.at(-1)!;
      const body = JSON.parse(exchange.responseBody);
      assert.equal(exchange.status, 400);
      assert.equal(err.requestId, exchange.responseHeaders['x-request-id']);
      assert.equal(err.requestId, body.request_id);
      assert.deepEqual(body, { error_code: 'ModelArts.7005', error_msg: `workspace:${id} not existed`, request_id: err.requestId });
    });
  });

  describe('a user manages its own workspace through the SDK', () => {
    test('PRIVATE workspace: create, show, update, quotas, delete', async () => {
      const name = `own_${randomBytes(3).toString('hex')}`;
      const ws = await userSdk.createWorkspace({ name, auth_type: 'PRIVATE' });
      assert.equal(ws.owner, user.name);
      assert.equal(ws.auth_type, 'private');
      assert.deepEqual(ws.grants, []);
      assert.equal((await rootSdk.showWorkspace(ws.id)).owner, user.name);
      assert.deepEqual(await userSdk.updateWorkspace(ws.id, { description: 'mine' }), { workspace_id: ws.id, httpStatusCode: 200 });
      assert.equal((await userSdk.showWorkspace(ws.id)).description, 'mine');
      const q = await userSdk.updateWorkspaceQuotas(ws.id, { quotas: [{ resource: GPU, quota: 0 }] });
      assert.equal(q.quotas[0].quota, 0);
      const filtered = await userSdk.listWorkspace({ name, filter_accessible: true });
      assert.equal(filtered.total_count, 1);
      assert.deepEqual(await userSdk.deleteWorkspace(ws.id), { workspace_id: ws.id, httpStatusCode: 200 });
      await eventually(async () => ((await userSdk.listWorkspace({ name })).total_count === 0 ? true : undefined));
    });

    test('the default workspace "0" through the SDK', async () => {
      const def = await userSdk.showWorkspace('0');
      assert.equal(def.id, '0');
      assert.equal(def.name, 'default');
      const quotas = await userSdk.showWorkspaceQuotas('0');
      assert.equal(quotas.quotas[0].resource, GPU);
      await sdkError(() => rootSdk.deleteWorkspace('0'), 400, 'ModelArts.3566');
      await sdkError(() => rootSdk.updateWorkspace('0', { name: 'not-default' }), 400, 'ModelArts.3566');
    });
  });

  describe('error mapping', () => {
    test('create errors: duplicate → 0103, reserved name → 0104, bad auth_type → 0104', async () => {
      const name = `dup_${randomBytes(3).toString('hex')}`;
      await rootSdk.createWorkspace({ name });
      await sdkError(() => rootSdk.createWorkspace({ name }), 400, 'ModelArts.0103');
      await sdkError(() => rootSdk.createWorkspace({ name: 'default' }), 400, 'ModelArts.0104');
      await sdkError(() => rootSdk.createWorkspace({ name: `${name}x`, auth_type: 'SECRET' }), 400, 'ModelArts.0104');
    });

    test('an unknown AK → 401 APIGW.0301, a wrong SK → 401 APIGW.0301', async () => {
      const unknown = createModelArtsSdkClient({ endpoint: srv.url, ak: 'UNKNOWNAK0000000000', sk: 'x'.repeat(40), projectId: srv.projectId });
      await sdkError(() => unknown.listWorkspace(), 401, 'APIGW.0301');
      const wrong = createModelArtsSdkClient({ endpoint: srv.url, ak: srv.root.accessKey, sk: `${srv.root.secretKey}x`, projectId: srv.projectId });
      await sdkError(() => wrong.showWorkspace('0'), 401, 'APIGW.0301');
    });

    test('a project id that is not the caller\'s → 403 ModelArts.0210', async () => {
      const elsewhere = createModelArtsSdkClient({
        endpoint: srv.url,
        ak: srv.root.accessKey,
        sk: srv.root.secretKey,
        projectId: randomBytes(16).toString('hex'),
      });
      await sdkError(() => elsewhere.listWorkspace(), 403, 'ModelArts.0210');
    });

    // The SDK substitutes workspace_id into the path unencoded and signs what legacy url.parse makes of it.
    for (const id of ['a b', 'a+b', '中文', "a'b(c)*!"]) {
      test(`a workspace id that needs percent-encoding (${JSON.stringify(id)}) verifies: 400 7005, not 401`, async () => {
        const err = await sdkError(() => rootSdk.showWorkspace(id), 400, 'ModelArts.7005');
        assert.equal(err.errorMsg, `workspace:${id} not existed`);
      });
    }

    test('an unknown workspace on each workspace-scoped operation → 400 ModelArts.7005', async () => {
      const id = randomBytes(16).toString('hex');
      await sdkError(() => rootSdk.showWorkspace(id), 400, 'ModelArts.7005');
      await sdkError(() => rootSdk.updateWorkspace(id, { description: 'x' }), 400, 'ModelArts.7005');
      await sdkError(() => rootSdk.deleteWorkspace(id), 400, 'ModelArts.7005');
      await sdkError(() => rootSdk.showWorkspaceQuotas(id), 400, 'ModelArts.7005');
      await sdkError(() => rootSdk.updateWorkspaceQuotas(id, { quotas: [{ resource: GPU, quota: 1 }] }), 400, 'ModelArts.7005');
      await sdkError(
        () => rootSdk.validateAuthorization(id, { requests: [{ action_id: '1', action: 'modelarts:notebook:create' }] }),
        400,
        'ModelArts.7005',
      );
    });
  });
});
