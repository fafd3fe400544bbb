// Regions and projects: one project per region in MAWS_REGIONS (each with its own workspaces and
// quotas), reached by SDK clients built for that region; IAM sub-projects (POST /v3/projects);
// a region added to MAWS_REGIONS appearing at the next start; a database from before regions
// upgrading in place.
import assert from 'node:assert/strict';
import { after, before, describe, type TestContext, test } from 'node:test';
import { Migrator } from 'kysely';
import { loadConfig } from '../src/config.js';
import { connectDb } from '../src/db/connect.js';
import * as init from '../src/db/migrations/0001-init.js';
import * as nameSearch from '../src/db/migrations/0002-name-search.js';
import * as jobRetention from '../src/db/migrations/0003-job-retention.js';
import * as workspaceSeq from '../src/db/migrations/0004-workspace-seq.js';
import { hashPassword } from '../src/iam/password.js';
import { type RunningServer, startServer } from '../src/server.js';
import { createTestStorage, type TestStorage } from './helpers/database.js';
import { type Cleanup, cleanupFor } from './helpers/process.js';
import { addAccount, assertError, HEX32, loginTo, ok, signedApi, uniq } from './helpers/fixtures.js';
import { createModelArtsSdkClient } from './helpers/modelarts-sdk-client.js';
import { type ApiResponse, httpJson, ROOT_PASSWORD, startTestServer, type TestServer } from './helpers/server.js';

const GPU = 'exemlProject.gpu_duration';

type Project = { id: string; name: string; parent_id: string; domain_id: string };

const projectsOf = async (srv: TestServer, token: string): Promise<Project[]> => ok(await srv.api('GET', '/v3/projects', { token })).projects;

const workspaceIds = async (srv: TestServer, projectId: string, token: string): Promise<string[]> =>
  ok(await srv.api('GET', `/v1/${projectId}/workspaces`, { token })).workspaces.map((w: { id: string }) => w.id).sort();

const createProject = (srv: TestServer, token: string, project: Record<string, unknown>): Promise<ApiResponse> =>
  srv.api('POST', '/v3/projects', { token, body: { project } });

async function loginById(srv: TestServer, projectId: string): Promise<string> {
  const res = await srv.api('POST', '/v3/auth/tokens', {
    body: {
      auth: {
        identity: { methods: ['password'], password: { user: { name: srv.root.name, password: srv.root.password, domain: { name: srv.domainName } } } },
        scope: { project: { id: projectId } },
      },
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.headers.get('x-subject-token')!;
}

describe('MAWS_REGIONS=cn-test-1,cn-east-3: one project per region', () => {
  let srv: TestServer;
  let rootToken: string;
  let east: Project;

  before(async () => {
    srv = await startTestServer({ MAWS_REGIONS: 'cn-test-1,cn-east-3' });
    rootToken = await srv.rootToken();
    east = (await projectsOf(srv, rootToken)).find((p) => p.name === 'cn-east-3')!;
  });
  after(() => srv?.close());

  test('each region has its own project, a child of the account, with workspace "0"', async () => {
    const projects = await projectsOf(srv, rootToken);
    assert.deepEqual(projects.map((p) => p.name), ['cn-east-3', 'cn-test-1']);
    const domainId = projects[0]!.domain_id;
    assert.ok(projects.every((p) => p.parent_id === domainId && p.domain_id === domainId));
    // MAWS_PROJECT_ID names the first region's project
    assert.equal(projects.find((p) => p.name === 'cn-test-1')!.id, srv.projectId);
    assert.match(east.id, HEX32);
    assert.notEqual(east.id, srv.projectId);
    for (const project of projects) {
      assert.deepEqual(await workspaceIds(srv, project.id, await srv.login(srv.root, project.name)), ['0']);
    }
  });

  test('a token scoped by region name reaches only that region\'s project', async () => {
    const eastToken = await srv.login(srv.root, 'cn-east-3');
    const testToken = await srv.login(srv.root, 'cn-test-1');
    assertError(await srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token: eastToken }), 403, 'ModelArts.0210');
    assertError(await srv.api('GET', `/v1/${east.id}/workspaces/0`, { token: testToken }), 403, 'ModelArts.0210');
    assertError(await srv.api('POST', `/v1/${east.id}/workspaces`, { token: testToken, body: { name: uniq() } }), 403, 'ModelArts.0210');
  });

  test('workspaces and quotas are per project', async () => {
    const eastToken = await srv.login(srv.root, 'cn-east-3');
    const testToken = await srv.login(srv.root, 'cn-test-1');
    const name = uniq('regional');
    const created = ok(await srv.api('POST', `/v1/${east.id}/workspaces`, { token: eastToken, body: { name } }));
    assert.ok((await workspaceIds(srv, east.id, eastToken)).includes(created.id));
    assert.ok(!(await workspaceIds(srv, srv.projectId, testToken)).includes(created.id));
    assertError(await srv.api('GET', `/v1/${srv.projectId}/workspaces/${created.id}`, { token: testToken }), 400, 'ModelArts.7005');
    // names are unique per project only
    const twin = ok(await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token: testToken, body: { name } }));
    assert.notEqual(twin.id, created.id);

    const quotaOf = async (projectId: string, token: string) =>
      ok(await srv.api('GET', `/v1/${projectId}/workspaces/0/quotas`, { token })).quotas.find((q: { resource: string }) => q.resource === GPU).quota;
    const before = await quotaOf(srv.projectId, testToken);
    const changed = before === 1234 ? 4321 : 1234;
    ok(await srv.api('PUT', `/v1/${east.id}/workspaces/0/quotas`, { token: eastToken, body: { quotas: [{ resource: GPU, quota: changed }] } }));
    assert.equal(await quotaOf(east.id, eastToken), changed);
    assert.equal(await quotaOf(srv.projectId, testToken), before);
  });

  test('AK/SK: one key signs for either region\'s project, by the project id in the URL', async () => {
    const key = { ak: srv.root.accessKey, sk: srv.root.secretKey };
    const name = uniq('signed');
    const res = await signedApi(srv, 'POST', `/v1/${east.id}/workspaces`, { ...key, body: { name } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok((await workspaceIds(srv, east.id, await srv.login(srv.root, 'cn-east-3'))).includes(res.body.id));
    const other = await signedApi(srv, 'GET', `/v1/${srv.projectId}/workspaces?name=${name}`, key);
    assert.equal(other.status, 200);
    assert.equal(other.body.total_count, 0);
  });

  test('SDK clients built withRegion(new Region(region, [endpoint])) each reach their region\'s project, with the same AK/SK', async () => {
    const sdk = (region: string) => createModelArtsSdkClient({ endpoint: srv.url, region, ak: srv.root.accessKey, sk: srv.root.secretKey });
    const eastSdk = sdk('cn-east-3');
    const testSdk = sdk('cn-test-1');
    const name = uniq('sdk');
    const created = await eastSdk.createWorkspace({ name, description: 'made in cn-east-3' });
    assert.equal(created.httpStatusCode, 200);
    // the SDK looked cn-east-3 up and put that project's id in the URL
    assert.ok((await workspaceIds(srv, east.id, await srv.login(srv.root, 'cn-east-3'))).includes(created.id));
    const eastList = await eastSdk.listWorkspace({ name });
    assert.deepEqual(eastList.workspaces.map((w: { id: string }) => w.id), [created.id]);
    assert.equal((await testSdk.listWorkspace({ name })).total_count, 0);
    const shown = await eastSdk.showWorkspace(created.id);
    assert.equal(shown.description, 'made in cn-east-3');
    await assert.rejects(testSdk.showWorkspace(created.id), (e: any) => e.httpStatusCode === 400 && e.errorCode === 'ModelArts.7005');

    const fromTest = await testSdk.createWorkspace({ name });
    assert.ok((await workspaceIds(srv, srv.projectId, await srv.login(srv.root, 'cn-test-1'))).includes(fromTest.id));
    assert.equal((await eastSdk.listWorkspace({ name })).total_count, 1);
  });
});

describe('POST /v3/projects: sub-projects', () => {
  let srv: TestServer;
  let rootToken: string;
  let east: Project;
  let testRegion: Project;

  before(async () => {
    srv = await startTestServer({ MAWS_REGIONS: 'cn-test-1,cn-east-3' });
    rootToken = await srv.rootToken();
    const projects = await projectsOf(srv, rootToken);
    east = projects.find((p) => p.name === 'cn-east-3')!;
    testRegion = projects.find((p) => p.name === 'cn-test-1')!;
  });
  after(() => srv?.close());

  test('creates a project under a region (201, Keystone\'s project object); it is listed with that region as parent', async () => {
    const name = `cn-east-3_${uniq('team')}`;
    const res = await createProject(srv, rootToken, { name, parent_id: east.id, description: 'Team A in Shanghai', domain_id: east.domain_id });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const project = res.body.project;
    assert.match(project.id, HEX32);
    assert.deepEqual(project, {
      id: project.id,
      name,
      domain_id: east.domain_id,
      parent_id: east.id,
      description: 'Team A in Shanghai',
      enabled: true,
      is_domain: false,
      links: { self: `/v3/projects/${project.id}` },
    });
    assert.deepEqual((await projectsOf(srv, rootToken)).find((p) => p.id === project.id), project);
    assert.deepEqual(ok(await srv.api('GET', `/v3/projects?name=${name}`, { token: rootToken })).projects, [project]);
    const scopes = ok(await srv.api('GET', '/v3/auth/projects', { token: rootToken })).projects;
    assert.deepEqual(scopes.find((p: Project) => p.id === project.id), project);
    // the region projects keep the account as their parent
    assert.equal(scopes.find((p: Project) => p.id === east.id).parent_id, east.domain_id);
  });

  test('without parent_id the region is the name\'s prefix', async () => {
    const name = `cn-test-1_${uniq('dev')}`;
    const res = await createProject(srv, rootToken, { name });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.project.parent_id, testRegion.id);
    assert.equal(res.body.project.description, '');
  });

  test('the sub-project has its own workspace "0", reached by a token scoped to it by name or id, and by AK/SK with its id', async () => {
    const name = `cn-east-3_${uniq('lab')}`;
    const sub = (await createProject(srv, rootToken, { name, parent_id: east.id })).body.project;
    const byName = await srv.login(srv.root, name);
    const byId = await loginById(srv, sub.id);
    for (const token of [byName, byId]) assert.deepEqual(await workspaceIds(srv, sub.id, token), ['0']);
    const workspace = ok(await srv.api('GET', `/v1/${sub.id}/workspaces/0`, { token: byName }));
    assert.equal(workspace.name, 'default');
    assert.equal(workspace.owner, srv.root.name);

    const created = ok(await srv.api('POST', `/v1/${sub.id}/workspaces`, { token: byId, body: { name: uniq('sub') } }));
    // its region's project does not see it, and its token does not reach the region's project
    assert.ok(!(await workspaceIds(srv, east.id, await srv.login(srv.root, 'cn-east-3'))).includes(created.id));
    assertError(await srv.api('GET', `/v1/${east.id}/workspaces`, { token: byName }), 403, 'ModelArts.0210');

    const key = { ak: srv.root.accessKey, sk: srv.root.secretKey };
    const signed = await signedApi(srv, 'GET', `/v1/${sub.id}/workspaces`, key);
    assert.equal(signed.status, 200);
    assert.deepEqual(signed.body.workspaces.map((w: { id: string }) => w.id).sort(), ['0', created.id].sort());
    // the SDK with the sub-project's id as its project id
    const sdk = createModelArtsSdkClient({ endpoint: srv.url, projectId: sub.id, ...key });
    assert.equal((await sdk.listWorkspace()).total_count, 2);
  });

  test('only the account\'s root user may create projects (403 IAM.0002)', async () => {
    const user = await srv.newUser();
    const name = `cn-east-3_${uniq('nope')}`;
    assertError(await createProject(srv, await srv.login(user), { name, parent_id: east.id }), 403, 'IAM.0002', /iam:projects:createProject/);
    const signed = await signedApi(srv, 'POST', '/v3/projects', { ak: user.accessKey, sk: user.secretKey, body: { project: { name } } });
    assertError(signed, 403, 'IAM.0002');
    assert.equal((await projectsOf(srv, rootToken)).some((p) => p.name === name), false);
  });

  test('a name taken in the account: 409 IAM.0004', async () => {
    const name = `cn-east-3_${uniq('twice')}`;
    assert.equal((await createProject(srv, rootToken, { name })).status, 201);
    assertError(await createProject(srv, rootToken, { name, parent_id: east.id }), 409, 'IAM.0004', `project name ${name} already exists`);
  });

  test('names and parents that are refused (400 IAM.0001)', async () => {
    const refused: Array<[Record<string, unknown>, RegExp?]> = [
      [{ name: 'cn-east-3' }, /<region>_<name>/],
      [{ name: 'cn-east-3_' }, /<region>_<name>/],
      [{ name: 'cn-west-9_team' }, /cn-east-3, cn-test-1|cn-test-1, cn-east-3/],
      [{ name: 'team' }],
      [{ name: 'cn-east-3_has space' }],
      [{ name: 'cn-east-3_dot.ted' }],
      [{ name: `cn-east-3_${'x'.repeat(55)}` }],
      [{ name: '' }],
      [{ name: 'cn-east-3_team', parent_id: testRegion.id }, /must be cn-test-1_<name>/],
      [{ name: 'cn-east-3_team', parent_id: 'f'.repeat(32) }, /is not the project of a region/],
      [{ name: 'cn-east-3_team', domain_id: 'f'.repeat(32) }, /domain_id/],
      [{ name: 'cn-east-3_team', description: 'd'.repeat(256) }],
      [{ parent_id: east.id }],
    ];
    for (const [project, message] of refused) {
      assertError(await createProject(srv, rootToken, project), 400, 'IAM.0001', message);
    }
    assertError(await srv.api('POST', '/v3/projects', { token: rootToken, body: { name: 'cn-east-3_team' } }), 400, 'IAM.0001');
    // 64 characters is the limit
    assert.equal((await createProject(srv, rootToken, { name: `cn-east-3_${'x'.repeat(54)}` })).status, 201);
    // a sub-project is not a region: nothing is created under it
    const sub = (await createProject(srv, rootToken, { name: `cn-east-3_${uniq('p')}` })).body.project;
    assertError(await createProject(srv, rootToken, { name: `${sub.name}_x`, parent_id: sub.id }), 400, 'IAM.0001', /is not the project of a region/);
  });

  test('another account cannot create under this account\'s regions, and its own names are its own', async () => {
    const other = await addAccount(srv);
    const token = await loginTo(srv, other.domainName, other.root, other.projectName);
    assertError(await createProject(srv, token, { name: 'cn-east-3_team', parent_id: east.id }), 400, 'IAM.0001', /is not the project of a region/);
    const name = `${other.projectName}_team`;
    const res = await createProject(srv, token, { name });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.project.parent_id, other.projectId);
    assert.equal((await projectsOf(srv, rootToken)).some((p) => p.id === res.body.project.id), false);
  });

  test('requires authentication', async () => {
    assertError(await srv.api('POST', '/v3/projects', { body: { project: { name: 'cn-east-3_x' } } }), 401, 'APIGW.0301');
  });
});

const ROOT_AK = 'ROOTAKREGIONS0001';
const ROOT_SK = 'regions-secret-key-0123456789abcdefghij';

/** A server on storage that outlives it, as after a restart; closed at the latest by the cleanup. */
async function serveOn(cleanup: Cleanup, storage: TestStorage, env: Record<string, string>): Promise<RunningServer> {
  const server = await startServer(
    loadConfig({
      ...storage.env,
      MAWS_PORT: '0',
      MAWS_LOG_LEVEL: 'silent',
      MAWS_ROOT_NAME: 'root',
      MAWS_ROOT_PASSWORD: ROOT_PASSWORD,
      MAWS_ROOT_ACCESS_KEY: ROOT_AK,
      MAWS_ROOT_SECRET_KEY: ROOT_SK,
      MAWS_OPERATOR_TOKEN: 'test-operator-token-0123456789abcdef',
      ...env,
    }),
  );
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= server.close());
  cleanup.defer(close);
  return { ...server, close };
}

/** The root's token, scoped to a project by name. */
async function rootLogin(url: string, projectName: string): Promise<string> {
  const res = await httpJson(`${url}/v3/auth/tokens`, 'POST', {
    body: {
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'root', password: ROOT_PASSWORD, domain: { name: 'root' } } } },
        scope: { project: { name: projectName } },
      },
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.headers.get('x-subject-token')!;
}

/** Storage for one test, dropped after the servers on it are closed. */
async function storageFor(t: TestContext): Promise<{ cleanup: Cleanup; storage: TestStorage }> {
  const cleanup = cleanupFor(t);
  const storage = await createTestStorage();
  cleanup.defer(() => storage.cleanup());
  return { cleanup, storage };
}

/** Everything but the jobs and tokens (which come and go on their own): what a restart must keep. */
async function snapshot(server: RunningServer) {
  const db = server.db;
  return {
    domains: await db.selectFrom('domains').selectAll().orderBy('id').execute(),
    users: await db.selectFrom('users').selectAll().orderBy('id').execute(),
    accessKeys: await db.selectFrom('access_keys').selectAll().orderBy('access_key').execute(),
    projects: await db.selectFrom('projects').selectAll().orderBy('id').execute(),
    workspaces: await db.selectFrom('workspaces').selectAll().orderBy('project_id').orderBy('id').execute(),
    quotas: await db.selectFrom('workspace_quotas').selectAll().orderBy('project_id').orderBy('workspace_id').orderBy('resource').execute(),
  };
}

describe('a region added to MAWS_REGIONS', () => {
  test('appears at the next start in the existing account, with workspace "0"; nothing else changes', async (t) => {
    const { cleanup, storage } = await storageFor(t);
    const first = await serveOn(cleanup, storage, { MAWS_REGIONS: 'cn-test-1' });
    let url = first.url;
    let token = await rootLogin(url, 'cn-test-1');
    const [region] = ok(await httpJson(`${url}/v3/projects`, 'GET', { token })).projects;
    const workspace = ok(await httpJson(`${url}/v1/${region.id}/workspaces`, 'POST', { token, body: { name: 'kept' } }));
    const sub = await httpJson(`${url}/v3/projects`, 'POST', { token, body: { project: { name: 'cn-test-1_team' } } });
    assert.equal(sub.status, 201);
    const beforeRestart = await snapshot(first);
    await first.close();

    const second = await serveOn(cleanup, storage, { MAWS_REGIONS: 'cn-test-1,cn-east-3' });
    assert.equal(second.bootstrap, null, 'no second account');
    url = second.url;
    const afterRestart = await snapshot(second);
    const added = afterRestart.projects.filter((p) => !beforeRestart.projects.some((q) => q.id === p.id));
    assert.deepEqual(added.map((p) => [p.name, p.domain_id, p.parent_id]), [['cn-east-3', region.domain_id, null]]);
    const newWorkspaces = afterRestart.workspaces.filter((w) => !beforeRestart.workspaces.some((v) => v.project_id === w.project_id && v.id === w.id));
    assert.deepEqual(newWorkspaces.map((w) => [w.project_id, w.id, w.name]), [[added[0]!.id, '0', 'default']]);
    assert.deepEqual(
      { ...afterRestart, projects: afterRestart.projects.filter((p) => p.id !== added[0]!.id), workspaces: afterRestart.workspaces.filter((w) => w.project_id !== added[0]!.id) },
      beforeRestart,
    );

    // the old credentials work in both regions; the old workspace is where it was
    token = await rootLogin(url, 'cn-east-3');
    assert.deepEqual(ok(await httpJson(`${url}/v1/${added[0]!.id}/workspaces`, 'GET', { token })).workspaces.map((w: any) => w.id), ['0']);
    token = await rootLogin(url, 'cn-test-1');
    const listed = ok(await httpJson(`${url}/v1/${region.id}/workspaces`, 'GET', { token })).workspaces;
    assert.deepEqual(listed.map((w: any) => w.id).sort(), ['0', workspace.id].sort());
    const sdk = createModelArtsSdkClient({ endpoint: url, region: 'cn-east-3', ak: ROOT_AK, sk: ROOT_SK });
    assert.deepEqual((await sdk.listWorkspace()).workspaces.map((w: any) => w.id), ['0']);
  });

  test('a start with the same regions adds nothing; a region left out keeps its project', async (t) => {
    const { cleanup, storage } = await storageFor(t);
    const first = await serveOn(cleanup, storage, { MAWS_REGIONS: 'cn-test-1,cn-east-3' });
    const beforeRestart = await snapshot(first);
    await first.close();
    const again = await serveOn(cleanup, storage, { MAWS_REGIONS: 'cn-test-1,cn-east-3' });
    assert.deepEqual(await snapshot(again), beforeRestart);
    await again.close();
    const fewer = await serveOn(cleanup, storage, { MAWS_REGIONS: 'cn-test-1' });
    assert.deepEqual(await snapshot(fewer), beforeRestart);
    const token = await rootLogin(fewer.url, 'cn-east-3');
    assert.equal((await httpJson(`${fewer.url}/v3/projects`, 'GET', { token })).body.projects.length, 2);
  });
});

describe('a database from before regions (migration 0004) upgrades in place', () => {
  /** Rows as the single-account server wrote them: one account, project cn-north-4, workspaces with grants and quotas. */
  async function databaseAt0004(storage: TestStorage) {
    const db = connectDb(loadConfig(storage.env).database);
    try {
      const migrator = new Migrator({
        db,
        provider: {
          getMigrations: async () => ({ '0001-init': init, '0002-name-search': nameSearch, '0003-job-retention': jobRetention, '0004-workspace-seq': workspaceSeq }),
        },
        migrationTableName: 'maws_migrations',
        migrationLockTableName: 'maws_migrations_lock',
      });
      assert.equal((await migrator.migrateToLatest()).error, undefined);
      const now = Date.now();
      const ids = { domain: 'a'.repeat(32), root: 'b'.repeat(32), user: 'c'.repeat(32), project: 'd'.repeat(32) };
      const insert = (table: string, values: Record<string, unknown>) => db.insertInto(table as never).values(values as never).execute();
      await insert('domains', { id: ids.domain, name: 'root', created_at: now });
      await insert('users', { id: ids.root, domain_id: ids.domain, name: 'root', password_hash: await hashPassword(ROOT_PASSWORD), description: 'primary account', is_root: 1, enabled: 1, created_at: now });
      await insert('users', { id: ids.user, domain_id: ids.domain, name: 'alice', password_hash: null, description: '', is_root: 0, enabled: 1, created_at: now + 1 });
      await insert('access_keys', { access_key: ROOT_AK, secret_key: ROOT_SK, user_id: ids.root, description: 'root access key', status: 'active', created_at: now });
      await insert('projects', { id: ids.project, domain_id: ids.domain, name: 'cn-north-4', workspace_count: 2, created_at: now });
      const workspace = (id: string, name: string) => ({
        project_id: ids.project, id, name, description: `${name} workspace`, owner_id: ids.root, owner_name: 'root', enterprise_project_id: '0',
        auth_type: id === '0' ? 'public' : 'internal', status: 'NORMAL', status_info: '', create_time: now, update_time: now,
      });
      await insert('workspaces', workspace('0', 'default'));
      await insert('workspaces', workspace('e'.repeat(32), 'team-a'));
      await insert('workspace_grants', { project_id: ids.project, workspace_id: 'e'.repeat(32), position: 0, user_id: ids.user, user_name: 'alice', user_type: 'IAM' });
      await insert('workspace_quotas', { project_id: ids.project, workspace_id: 'e'.repeat(32), resource: GPU, quota: 777, update_time: now });
      return ids;
    } finally {
      await db.destroy();
    }
  }

  test('everything is still there and works; sub-projects and new regions can be added', async (t) => {
    const { cleanup, storage } = await storageFor(t);
    const ids = await databaseAt0004(storage);
    // as it was configured then: the one region named by MAWS_PROJECT_NAME
    const server = await serveOn(cleanup, storage, { MAWS_PROJECT_NAME: 'cn-north-4' });
    assert.equal(server.bootstrap, null);
    const url = server.url;
    const token = await rootLogin(url, 'cn-north-4');
    const projects = ok(await httpJson(`${url}/v3/projects`, 'GET', { token })).projects;
    assert.deepEqual(projects.map((p: any) => [p.id, p.name, p.parent_id, p.description]), [[ids.project, 'cn-north-4', ids.domain, '']]);
    const team = ok(await httpJson(`${url}/v1/${ids.project}/workspaces/${'e'.repeat(32)}`, 'GET', { token }));
    assert.equal(team.name, 'team-a');
    assert.deepEqual(team.grants.map((g: any) => g.user_name), ['alice']);
    const quotas = ok(await httpJson(`${url}/v1/${ids.project}/workspaces/${'e'.repeat(32)}/quotas`, 'GET', { token })).quotas;
    assert.equal(quotas.find((q: any) => q.resource === GPU).quota, 777);
    // the old key, through the SDK's region lookup
    const sdk = createModelArtsSdkClient({ endpoint: url, region: 'cn-north-4', ak: ROOT_AK, sk: ROOT_SK });
    const created = await sdk.createWorkspace({ name: 'after-upgrade' });
    assert.deepEqual((await sdk.listWorkspace()).workspaces.map((w: any) => w.id).sort(), ['0', 'e'.repeat(32), created.id].sort());
    // the workspace count kept its meaning: deleting works and frees the name
    ok(await httpJson(`${url}/v1/${ids.project}/workspaces/${created.id}`, 'DELETE', { token }));

    const sub = await httpJson(`${url}/v3/projects`, 'POST', { token, body: { project: { name: 'cn-north-4_team', parent_id: ids.project } } });
    assert.equal(sub.status, 201, JSON.stringify(sub.body));
    assert.deepEqual(
      ok(await httpJson(`${url}/v1/${sub.body.project.id}/workspaces`, 'GET', { token: await rootLogin(url, 'cn-north-4_team') })).workspaces.map((w: any) => w.id),
      ['0'],
    );
  });

  test('started with more regions, the old project stays the first region\'s and the others are added', async (t) => {
    const { cleanup, storage } = await storageFor(t);
    const ids = await databaseAt0004(storage);
    const server = await serveOn(cleanup, storage, { MAWS_REGIONS: 'cn-north-4,cn-east-3' });
    const token = await rootLogin(server.url, 'cn-east-3');
    const projects = ok(await httpJson(`${server.url}/v3/projects`, 'GET', { token })).projects;
    assert.deepEqual(projects.map((p: any) => p.name), ['cn-east-3', 'cn-north-4']);
    assert.equal(projects.find((p: any) => p.name === 'cn-north-4').id, ids.project);
    const east = projects.find((p: any) => p.name === 'cn-east-3');
    assert.deepEqual(ok(await httpJson(`${server.url}/v1/${east.id}/workspaces`, 'GET', { token })).workspaces.map((w: any) => [w.id, w.owner]), [['0', 'root']]);
  });
});
