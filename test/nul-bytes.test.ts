// PostgreSQL cannot store U+0000 in text (the query fails, which became a 500) and SQLite stored it:
// both refuse it with the route family's 400 before any query sees it, naming the field.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { TEST_DB } from './helpers/database.js';
import { assertError, uniq, WORKSPACE_ROUTES } from './helpers/fixtures.js';
import { startTestServer, type TestServer, type TestUser } from './helpers/server.js';

const NUL = '\u0000';
const MODELARTS = 'ModelArts.0104';
const IAM = 'IAM.0001';
const EPS = '/v1.0/enterprise-projects';
const CREDENTIALS = '/v3.0/OS-CREDENTIAL/credentials';

interface Case {
  method: string;
  path: string;
  body?: unknown;
  /** the field the message must name */
  field: string;
}

const refused = (field: string) => new RegExp(`^${field.replace(/[.[\]()]/g, '\\$&')}: must not contain the NUL character \\(U\\+0000\\)$`);

describe('NUL characters are refused on every route family, on both databases', () => {
  let srv: TestServer;
  let root: string;
  let user: TestUser;
  let workspaceId: string;
  let enterpriseProjectId: string;

  before(async () => {
    srv = await startTestServer();
    root = await srv.rootToken();
    user = await srv.newUser();
    const ws = await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token: root, body: { name: uniq('nul') } });
    assert.equal(ws.status, 200, JSON.stringify(ws.body));
    workspaceId = ws.body.id;
    const ep = await srv.api('POST', EPS, { token: root, body: { name: uniq('ep') } });
    assert.equal(ep.status, 200, JSON.stringify(ep.body));
    enterpriseProjectId = ep.body.enterprise_project.id;
  });
  after(() => srv.close());

  /** Sends every case before judging, so that whatever a wrong answer stored is there for the scan below. */
  async function expectRefused(cases: readonly Case[], code: string, token?: string): Promise<void> {
    const failures: string[] = [];
    for (const c of cases) {
      const res = await srv.api(c.method, c.path, { token, body: c.body });
      try {
        assertError(res, 400, code, refused(c.field));
      } catch (error) {
        failures.push(`${c.method} ${c.path} ${JSON.stringify(c.body)}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    assert.deepEqual(failures, []);
  }

  test('POST /v3/auth/tokens, without credentials: every login variant answers 400 IAM.0001', async () => {
    const login = (user: object, scope?: object) => ({
      auth: { identity: { methods: ['password'], password: { user } }, ...(scope && { scope }) },
    });
    const password = srv.root.password;
    const byName = { name: srv.root.name, password, domain: { name: srv.domainName } };
    const path = '/v3/auth/tokens';
    await expectRefused(
      [
        { method: 'POST', path, field: 'body.auth.identity.password.user.name', body: login({ ...byName, name: `admin${NUL}` }) },
        { method: 'POST', path, field: 'body.auth.identity.password.user.id', body: login({ id: `${srv.root.id}${NUL}`, password }) },
        { method: 'POST', path, field: 'body.auth.identity.password.user.password', body: login({ ...byName, password: `x${NUL}` }) },
        { method: 'POST', path, field: 'body.auth.identity.password.user.domain.name', body: login({ ...byName, domain: { name: `root${NUL}` } }) },
        { method: 'POST', path, field: 'body.auth.identity.password.user.domain.id', body: login({ ...byName, domain: { id: NUL } }) },
        { method: 'POST', path, field: 'body.auth.scope.project.id', body: login(byName, { project: { id: `${srv.projectId}${NUL}` } }) },
        { method: 'POST', path, field: 'body.auth.scope.project.name', body: login(byName, { project: { name: `${srv.projectName}${NUL}` } }) },
        { method: 'POST', path, field: 'body.auth.scope.domain.name', body: login(byName, { domain: { name: `root${NUL}` } }) },
        { method: 'POST', path, field: 'body.auth.identity.methods[0]', body: { auth: { identity: { methods: [`password${NUL}`], password: { user: byName } } } } },
        { method: 'POST', path, field: 'body.auth (a property name)', body: { auth: { ...login(byName).auth, [`x${NUL}`]: 1 } } },
      ],
      IAM,
    );
  });

  test('workspace routes: %00 in the workspace id or project id, NUL in the query or body answer 400 ModelArts.0104', async () => {
    const base = `/v1/${srv.projectId}/workspaces`;
    const cases: Case[] = [];
    for (const [method, suffix, body] of WORKSPACE_ROUTES) {
      cases.push({ method, path: `${base}/%00${suffix}`, body, field: 'params.workspace_id' });
      cases.push({ method, path: `${base}/${workspaceId}%00${suffix}`, body, field: 'params.workspace_id' });
    }
    cases.push(
      { method: 'GET', path: `/v1/${srv.projectId}%00/workspaces`, field: 'params.project_id' },
      { method: 'GET', path: `${base}?name=%00`, field: 'querystring.name' },
      { method: 'GET', path: `${base}?enterprise_project_id=0%00`, field: 'querystring.enterprise_project_id' },
      { method: 'GET', path: `${base}?x%00=1`, field: 'querystring (a property name)' },
      { method: 'POST', path: base, body: { name: uniq('nul'), description: `a${NUL}b` }, field: 'body.description' },
      { method: 'POST', path: base, body: { name: `${uniq('nul')}${NUL}` }, field: 'body.name' },
      {
        method: 'POST',
        path: base,
        body: { name: uniq('nul'), auth_type: 'INTERNAL', grants: [{ user_id: user.id }, { user_name: `${user.name}${NUL}` }] },
        field: 'body.grants[1].user_name',
      },
      { method: 'POST', path: base, body: { name: uniq('nul'), auth_type: 'INTERNAL', grants: [{ user_id: `${user.id}${NUL}` }] }, field: 'body.grants[0].user_id' },
      { method: 'POST', path: base, body: { name: uniq('nul'), grants: [{ user_type: `IAM${NUL}` }] }, field: 'body.grants[0].user_type' },
      { method: 'PUT', path: `${base}/${workspaceId}`, body: { description: NUL }, field: 'body.description' },
      { method: 'PUT', path: `${base}/${workspaceId}`, body: { auth_type: 'INTERNAL', grants: [{ user_name: `u${NUL}` }] }, field: 'body.grants[0].user_name' },
      { method: 'PUT', path: `${base}/${workspaceId}`, body: { [`description${NUL}`]: 'x' }, field: 'body (a property name)' },
      { method: 'PUT', path: `${base}/${workspaceId}/quotas`, body: { quotas: [{ resource: `exemlProject.gpu_duration${NUL}`, quota: 1 }] }, field: 'body.quotas[0].resource' },
      { method: 'POST', path: `${base}/${workspaceId}/auth`, body: { requests: [{ action_id: `1${NUL}`, action: 'modelarts:notebook:create' }] }, field: 'body.requests[0].action_id' },
    );
    await expectRefused(cases, MODELARTS, root);
  });

  test('IAM and EPS routes: NUL in the query, path or body answers 400 IAM.0001', async () => {
    await expectRefused(
      [
        { method: 'GET', path: '/v3/users?name=%00', field: 'querystring.name' },
        { method: 'GET', path: `/v3/users?name=${srv.root.name}%00`, field: 'querystring.name' },
        { method: 'GET', path: '/v3/projects?name=%00', field: 'querystring.name' },
        { method: 'GET', path: `${EPS}?name=%00`, field: 'querystring.name' },
        { method: 'GET', path: `/v3/users/${user.id}%00`, field: 'params.user_id' },
        { method: 'POST', path: '/v3/users', body: { user: { name: uniq('u'), password: 'Nul-Passw0rd', description: `d${NUL}` } }, field: 'body.user.description' },
        { method: 'POST', path: '/v3/users', body: { user: { name: `u${NUL}`, password: 'Nul-Passw0rd' } }, field: 'body.user.name' },
        { method: 'POST', path: '/v3/users', body: { user: { name: uniq('u'), password: `Nul-Passw0rd${NUL}` } }, field: 'body.user.password' },
        { method: 'PATCH', path: `/v3/users/${user.id}`, body: { user: { description: NUL } }, field: 'body.user.description' },
        { method: 'POST', path: CREDENTIALS, body: { credential: { user_id: user.id, description: `k${NUL}` } }, field: 'body.credential.description' },
        { method: 'POST', path: CREDENTIALS, body: { credential: { user_id: `${user.id}${NUL}` } }, field: 'body.credential.user_id' },
        { method: 'GET', path: `${CREDENTIALS}?user_id=%00`, field: 'querystring.user_id' },
        { method: 'GET', path: `${CREDENTIALS}/${user.accessKey}%00`, field: 'params.access_key' },
        { method: 'PUT', path: `${CREDENTIALS}/${user.accessKey}`, body: { credential: { description: NUL } }, field: 'body.credential.description' },
        { method: 'POST', path: EPS, body: { name: uniq('ep'), description: `d${NUL}` }, field: 'body.description' },
        { method: 'POST', path: EPS, body: { name: `ep${NUL}` }, field: 'body.name' },
        { method: 'GET', path: `${EPS}/${enterpriseProjectId}%00`, field: 'params.enterprise_project_id' },
        { method: 'PUT', path: `${EPS}/${enterpriseProjectId}`, body: { name: uniq('ep'), description: NUL }, field: 'body.description' },
        { method: 'POST', path: `${EPS}/${enterpriseProjectId}/action`, body: { action: `enable${NUL}` }, field: 'body.action' },
      ],
      IAM,
      root,
    );
  });

  test('a body nested 10 000 levels deep is searched to the end: NUL at the bottom is a 400, none is no 500', async () => {
    // Deep enough to overflow a recursive walk, and within the sign-in route's 64 KiB.
    const depth = 10_000;
    const nested = (leaf: string) => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
    const login = (rawBody: string) => srv.api('POST', '/v3/auth/tokens', { rawBody, headers: { 'content-type': 'application/json' } });
    const bottom = await login(nested(JSON.stringify(NUL)));
    assertError(bottom, 400, IAM);
    assert.ok(bottom.body.error_msg.startsWith('body.a.a.a.'), bottom.body.error_msg.slice(0, 50));
    assertError(await login(nested('"x"')), 400, IAM, 'body.auth is required');
  });

  test('without credentials the answer is still 401, NUL or not (only the token route is public)', async () => {
    const probes: Array<[string, string, unknown]> = [
      ['GET', `/v1/${srv.projectId}/workspaces/%00`, undefined],
      ['GET', `/v1/${srv.projectId}/workspaces?name=%00`, undefined],
      ['PUT', `/v1/${srv.projectId}/workspaces/${workspaceId}`, { description: NUL }],
      ['GET', '/v3/users?name=%00', undefined],
      ['POST', EPS, { name: uniq('ep'), description: NUL }],
    ];
    for (const [method, path, body] of probes) assertError(await srv.api(method, path, { body }), 401, 'APIGW.0301');
  });

  test('the refused requests changed nothing: no stored text holds a NUL', { skip: TEST_DB !== 'sqlite' && 'PostgreSQL cannot store one' }, async () => {
    const db = srv.server.db;
    const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(db);
    assert.ok(tables.rows.length > 0);
    let scanned = 0;
    for (const { name } of tables.rows) {
      const columns = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${name}) WHERE upper(type) <> 'BLOB'`.execute(db);
      for (const column of columns.rows) {
        const found = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(name)} WHERE instr(CAST(${sql.ref(column.name)} AS TEXT), char(0)) > 0`.execute(db);
        assert.equal(Number(found.rows[0]!.n), 0, `${name}.${column.name} holds a NUL`);
        scanned++;
      }
    }
    assert.ok(scanned > 10);
  });
});
