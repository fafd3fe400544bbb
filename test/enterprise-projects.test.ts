import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { newId } from '../src/ids.js';
import { assertError, foreignRootToken } from './helpers/fixtures.js';
import { createSdkHcClient } from './helpers/modelarts-sdk-client.js';
import { eventually, startTestServer, type TestServer } from './helpers/server.js';

const BASE = '/v1.0/enterprise-projects';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;


const uniqueName = (prefix = 'ep-') => `${prefix}${randomBytes(4).toString('hex')}`;


describe('Enterprise projects: /v1.0/enterprise-projects', () => {
  let srv: TestServer;
  let root: string;
  let member: string;

  before(async () => {
    srv = await startTestServer();
    root = await srv.rootToken();
    member = await srv.login(await srv.newUser());
  });
  after(() => srv.close());

  const createEp = (body: unknown, token = root) => srv.api('POST', BASE, { token, body });
  const createWorkspace = (body: object) => srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token: root, body });
  const act = (id: string, action: string, token = root) => srv.api('POST', `${BASE}/${id}/action`, { token, body: { action } });

  describe('POST', () => {
    test('root creates an enterprise project (200, UUID id, status 1)', async () => {
      const name = uniqueName();
      const res = await createEp({ name, description: 'team A' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const ep = res.body.enterprise_project;
      assert.deepEqual(Object.keys(ep).sort(), ['created_at', 'description', 'id', 'name', 'status', 'updated_at']);
      assert.match(ep.id, UUID);
      assert.equal(ep.id.length, 36);
      assert.equal(ep.name, name);
      assert.equal(ep.description, 'team A');
      assert.equal(ep.status, 1);
      assert.match(ep.created_at, ISO);
      assert.equal(ep.updated_at, ep.created_at);
      const shown = await srv.api('GET', `${BASE}/${ep.id}`, { token: member });
      assert.deepEqual(shown.body.enterprise_project, ep);
    });

    test('Chinese characters, "_" and "-" are allowed; description defaults to ""', async () => {
      const name = `项目_${randomBytes(3).toString('hex')}-x`;
      const res = await createEp({ name });
      assert.equal(res.status, 200);
      assert.equal(res.body.enterprise_project.name, name);
      assert.equal(res.body.enterprise_project.description, '');
    });

    test('a root AK/SK signature is accepted (SDK signer)', async () => {
      const hc = createSdkHcClient({ endpoint: srv.url, ak: srv.root.accessKey, sk: srv.root.secretKey, projectId: srv.projectId });
      const name = uniqueName('signed-');
      const res: any = await hc.sendRequest({
        method: 'POST',
        url: BASE,
        contentType: 'application/json',
        queryParams: {},
        pathParams: {},
        headers: { 'Content-Type': 'application/json' },
        data: { name },
      });
      assert.equal(res.httpStatusCode, 200);
      assert.equal(res.enterprise_project.name, name);
    });

    test('invalid and reserved names are 400 IAM.0001', async () => {
      for (const body of [
        { name: '' },
        { name: 'x'.repeat(65) },
        { name: 'has space' },
        { name: 'dot.ted' },
        { name: 42 },
        {},
        { name: uniqueName(), description: 'x'.repeat(513) },
      ]) {
        assertError(await createEp(body), 400, 'IAM.0001');
      }
      for (const name of ['default', 'Default', 'DEFAULT']) assertError(await createEp({ name }), 400, 'IAM.0001', /reserved/);
      assertError(await srv.api('POST', BASE, { token: root }), 400, 'IAM.0001');
    });

    test('a duplicate name is 409 IAM.0004, also under concurrency', async () => {
      const name = uniqueName();
      assert.equal((await createEp({ name })).status, 200);
      assertError(await createEp({ name }), 409, 'IAM.0004', /already exists/);
      const race = uniqueName('race-');
      const results = await Promise.all(Array.from({ length: 4 }, () => createEp({ name: race })));
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409, 409]);
    });

    test('root only: a member is 403 IAM.0002; no credential 401 APIGW.0301', async () => {
      assertError(await createEp({ name: uniqueName() }, member), 403, 'IAM.0002');
      assertError(await srv.api('POST', BASE, { body: { name: uniqueName() } }), 401, 'APIGW.0301');
    });
  });

  describe('GET', () => {
    test('lists the default project first, then the others; total_count counts both', async () => {
      const a = (await createEp({ name: uniqueName('list-') })).body.enterprise_project;
      const res = await srv.api('GET', BASE, { token: member });
      assert.equal(res.status, 200);
      const eps = res.body.enterprise_projects;
      assert.equal(res.body.total_count, eps.length);
      assert.equal(eps[0].id, '0');
      assert.equal(eps[0].name, 'default');
      assert.equal(eps[0].status, 1);
      assert.match(eps[0].created_at, ISO);
      assert.ok(eps.some((e: any) => e.id === a.id));
      assert.equal(new Set(eps.map((e: any) => e.id)).size, eps.length);
    });

    test('name is a case-insensitive substring filter; status filters; LIKE wildcards are literal', async () => {
      const tag = randomBytes(3).toString('hex');
      const one = (await createEp({ name: `Alpha_${tag}` })).body.enterprise_project;
      const two = (await createEp({ name: `beta-${tag}` })).body.enterprise_project;
      await createEp({ name: `gammaX${tag}` });
      assert.equal((await act(two.id, 'disable')).status, 204);

      const byTag = await srv.api('GET', `${BASE}?name=${tag}`, { token: root });
      assert.equal(byTag.body.total_count, 3);
      const alpha = await srv.api('GET', `${BASE}?name=ALPHA_${tag}`, { token: root });
      assert.deepEqual(alpha.body.enterprise_projects.map((e: any) => e.id), [one.id]);
      // "_" must not match the "X" of gammaX
      const underscore = await srv.api('GET', `${BASE}?name=a_${tag}`, { token: root });
      assert.deepEqual(underscore.body.enterprise_projects.map((e: any) => e.id), [one.id]);
      const disabled = await srv.api('GET', `${BASE}?name=${tag}&status=2`, { token: root });
      assert.deepEqual(disabled.body.enterprise_projects.map((e: any) => e.id), [two.id]);
      assert.equal(disabled.body.total_count, 1);
      assert.equal(disabled.body.enterprise_projects[0].status, 2);

      const defaults = await srv.api('GET', `${BASE}?name=EFAU`, { token: root });
      assert.deepEqual(defaults.body.enterprise_projects.map((e: any) => e.id), ['0']);
      const noDefault = await srv.api('GET', `${BASE}?status=2`, { token: root });
      assert.ok(!noDefault.body.enterprise_projects.some((e: any) => e.id === '0'));
      const none = await srv.api('GET', `${BASE}?name=zzz${tag}`, { token: root });
      assert.deepEqual(none.body, { enterprise_projects: [], total_count: 0 });
    });

    test('offset/limit page over rows, the default project being row 0', async () => {
      const tag = randomBytes(3).toString('hex');
      for (const n of ['a', 'b', 'c']) await createEp({ name: `page${n}${tag}` });
      const all = await srv.api('GET', BASE, { token: root });
      const ids = all.body.enterprise_projects.map((e: any) => e.id);
      const total = all.body.total_count;
      assert.ok(total >= 4);
      const page = async (q: string) => {
        const res = await srv.api('GET', `${BASE}?${q}`, { token: root });
        assert.equal(res.status, 200);
        assert.equal(res.body.total_count, total);
        return res.body.enterprise_projects.map((e: any) => e.id);
      };
      assert.deepEqual(await page('limit=1'), ['0']);
      assert.deepEqual(await page('offset=0&limit=2'), ids.slice(0, 2));
      assert.deepEqual(await page('offset=1&limit=2'), ids.slice(1, 3));
      assert.deepEqual(await page('offset=2&limit=1000'), ids.slice(2));
      assert.deepEqual(await page(`offset=${total}`), []);
      const tagged = await srv.api('GET', `${BASE}?name=${tag}&offset=1&limit=1`, { token: root });
      assert.equal(tagged.body.total_count, 3);
      assert.equal(tagged.body.enterprise_projects.length, 1);
    });

    test('bad query parameters are 400 IAM.0001; no credential 401', async () => {
      for (const q of ['limit=0', 'limit=1001', 'offset=-1', 'status=3', 'status=x', 'limit=abc']) {
        assertError(await srv.api('GET', `${BASE}?${q}`, { token: root }), 400, 'IAM.0001');
      }
      assertError(await srv.api('GET', BASE), 401, 'APIGW.0301');
    });

    test('GET one: "0" is the default; unknown 404; any user of the account may read', async () => {
      const zero = await srv.api('GET', `${BASE}/0`, { token: member });
      assert.equal(zero.status, 200);
      assert.equal(zero.body.enterprise_project.id, '0');
      assert.equal(zero.body.enterprise_project.name, 'default');
      assert.equal(zero.body.enterprise_project.status, 1);
      assertError(await srv.api('GET', `${BASE}/${newId()}`, { token: root }), 404, 'IAM.0003');
      assertError(await srv.api('GET', `${BASE}/bad%20id`, { token: root }), 400, 'IAM.0001');
      assertError(await srv.api('GET', `${BASE}/0`), 401, 'APIGW.0301');
    });
  });

  describe('PUT', () => {
    test('renames and re-describes (200); updated_at moves; workspaces show the new name', async () => {
      const ep = (await createEp({ name: uniqueName(), description: 'old' })).body.enterprise_project;
      const ws = await createWorkspace({ name: uniqueName('ws-'), enterprise_project_id: ep.id });
      assert.equal(ws.body.enterprise_project_name, ep.name);
      await eventually(async () => (Date.now() > Date.parse(ep.updated_at) ? true : undefined)); // so that updated_at can move
      const newName = uniqueName('renamed-');
      const res = await srv.api('PUT', `${BASE}/${ep.id}`, { token: root, body: { name: newName, description: 'new' } });
      assert.equal(res.status, 200);
      const updated = res.body.enterprise_project;
      assert.equal(updated.id, ep.id);
      assert.equal(updated.name, newName);
      assert.equal(updated.description, 'new');
      assert.equal(updated.created_at, ep.created_at);
      assert.ok(updated.updated_at > ep.updated_at);
      assert.deepEqual((await srv.api('GET', `${BASE}/${ep.id}`, { token: root })).body.enterprise_project, updated);
      const wsShown = await srv.api('GET', `/v1/${srv.projectId}/workspaces/${ws.body.id}`, { token: root });
      assert.equal(wsShown.body.enterprise_project_name, newName);
      // description is kept when omitted; the same name is fine
      const same = await srv.api('PUT', `${BASE}/${ep.id}`, { token: root, body: { name: newName } });
      assert.equal(same.status, 200);
      assert.equal(same.body.enterprise_project.description, 'new');
    });

    test('"0" cannot change (400); reserved/invalid names 400; duplicate 409; unknown 404; member 403; no credential 401', async () => {
      const a = (await createEp({ name: uniqueName() })).body.enterprise_project;
      const b = (await createEp({ name: uniqueName() })).body.enterprise_project;
      const put = (id: string, body: unknown, token = root) => srv.api('PUT', `${BASE}/${id}`, { token, body });
      assertError(await put('0', { name: uniqueName() }), 400, 'IAM.0001', /default/);
      assertError(await put(a.id, { name: 'Default' }), 400, 'IAM.0001', /reserved/);
      assertError(await put(a.id, { name: 'bad name' }), 400, 'IAM.0001');
      assertError(await put(a.id, { description: 'no name' }), 400, 'IAM.0001');
      assertError(await put(a.id, { name: b.name }), 409, 'IAM.0004');
      assertError(await put(newId(), { name: uniqueName() }), 404, 'IAM.0003');
      assertError(await put(a.id, { name: uniqueName() }, member), 403, 'IAM.0002');
      assertError(await srv.api('PUT', `${BASE}/${a.id}`, { body: { name: uniqueName() } }), 401, 'APIGW.0301');
      assert.equal((await srv.api('GET', `${BASE}/${a.id}`, { token: root })).body.enterprise_project.name, a.name);
    });
  });

  describe('POST /{id}/action', () => {
    test('disable → workspaces cannot be created in it (400 ModelArts.0104); enable → they can', async () => {
      const ep = (await createEp({ name: uniqueName() })).body.enterprise_project;
      const disabled = await act(ep.id, 'disable');
      assert.equal(disabled.status, 204);
      assert.equal(disabled.body, undefined);
      const shown = await srv.api('GET', `${BASE}/${ep.id}`, { token: root });
      assert.equal(shown.body.enterprise_project.status, 2);
      assert.ok(shown.body.enterprise_project.updated_at >= ep.updated_at);
      // idempotent
      assert.equal((await act(ep.id, 'disable')).status, 204);

      const wsName = uniqueName('ws-');
      const refused = await createWorkspace({ name: wsName, enterprise_project_id: ep.id });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error_code, 'ModelArts.0104');
      assert.equal(refused.headers.get('x-request-id'), refused.body.request_id);

      assert.equal((await act(ep.id, 'enable')).status, 204);
      assert.equal((await srv.api('GET', `${BASE}/${ep.id}`, { token: root })).body.enterprise_project.status, 1);
      const created = await createWorkspace({ name: wsName, enterprise_project_id: ep.id });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.equal(created.body.enterprise_project_id, ep.id);
      assert.equal(created.body.enterprise_project_name, ep.name);
      const filtered = await srv.api('GET', `/v1/${srv.projectId}/workspaces?enterprise_project_id=${ep.id}`, { token: root });
      assert.deepEqual(filtered.body.workspaces.map((w: any) => w.enterprise_project_name), [ep.name]);
    });

    test('"0" cannot be disabled (400) but enabling it is a no-op (204)', async () => {
      assertError(await act('0', 'disable'), 400, 'IAM.0001', /default/);
      assert.equal((await act('0', 'enable')).status, 204);
      assert.equal((await srv.api('GET', `${BASE}/0`, { token: root })).body.enterprise_project.status, 1);
    });

    test('bad action 400; unknown 404; member 403; no credential 401', async () => {
      const ep = (await createEp({ name: uniqueName() })).body.enterprise_project;
      assertError(await act(ep.id, 'delete'), 400, 'IAM.0001');
      assertError(await srv.api('POST', `${BASE}/${ep.id}/action`, { token: root, body: {} }), 400, 'IAM.0001');
      assertError(await act(newId(), 'disable'), 404, 'IAM.0003');
      assertError(await act(ep.id, 'disable', member), 403, 'IAM.0002');
      assertError(await srv.api('POST', `${BASE}/${ep.id}/action`, { body: { action: 'disable' } }), 401, 'APIGW.0301');
      assert.equal((await srv.api('GET', `${BASE}/${ep.id}`, { token: root })).body.enterprise_project.status, 1);
    });
  });

  test("another account sees only its own default project; this account's are 404", async () => {
    const ep = (await createEp({ name: uniqueName() })).body.enterprise_project;
    const t = await foreignRootToken(srv);
    const listed = await srv.api('GET', BASE, { token: t });
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.enterprise_projects.map((e: any) => e.id), ['0']);
    assert.equal(listed.body.total_count, 1);
    assertError(await srv.api('GET', `${BASE}/${ep.id}`, { token: t }), 404, 'IAM.0003');
    assertError(await srv.api('PUT', `${BASE}/${ep.id}`, { token: t, body: { name: uniqueName() } }), 404, 'IAM.0003');
    assertError(await act(ep.id, 'disable', t), 404, 'IAM.0003');
    // names are per account
    const same = await createEp({ name: ep.name }, t);
    assert.equal(same.status, 200);
    assert.notEqual(same.body.enterprise_project.id, ep.id);
    assert.equal((await srv.api('GET', `${BASE}/${ep.id}`, { token: root })).body.enterprise_project.status, 1);
  });
});
