// Isolation between accounts, for every route the app serves. Two accounts A and B are made
// through the operator API, each with users, access keys, enterprise projects, workspaces (with
// grants and quotas). For each cloud or IAM route, the table CASES aims B's root credentials (a
// token and an AK/SK signature) at A's resources: A's project ids, user ids, access keys,
// enterprise project ids, workspace ids, token. Every attempt is refused or sees nothing, no answer
// to B carries any of A's ids, and A's data reads back the same afterwards. A route the table does
// not cover fails the test: public routes are listed in PUBLIC, and operator routes (/maws/…) are
// proved to refuse every IAM credential instead.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OPERATOR_PREFIX, servedRoutes } from '../src/http/route-needs.js';
import { akskCaller, type Caller, createOperatorAccount, type OperatorAccount, tokenCaller } from './helpers/accounts.js';
import { assertError, uniq } from './helpers/fixtures.js';
import { type ApiResponse, startTestServer, type TestServer } from './helpers/server.js';

/** Routes that are not account-scoped: no credential, nothing of any account. */
const PUBLIC = new Set([
  'GET /openapi.json',
  'GET /docs',
  'GET /docs/static/index.html',
  'GET /docs/static/swagger-initializer.js',
  'GET /docs/json',
  'GET /docs/yaml',
  'GET /docs/static/*',
  'GET /metrics',
  'GET /healthz',
  'GET /readyz',
  // the web console's static files, and the redirect to them
  'GET /',
  'GET /console',
  'GET /console/*',
]);

interface AccountFixture {
  account: OperatorAccount;
  project: { id: string; name: string };
  /** a sub-project (<region>_<name>) of project */
  subProject: { id: string; name: string };
  user: { id: string; name: string };
  key: { access: string; secret: string };
  ep: { id: string; name: string };
  workspace: { id: string; name: string };
  /** a token of the root user, scoped to project */
  rootToken: Caller & { token: string };
}

/** One request of a case: sent by each of B's callers (or once, without a credential). */
interface Probe {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** sent without a credential (a sign-in) */
  anonymous?: boolean;
  check(res: ApiResponse, caller: string): void;
}

type Case = (a: AccountFixture, b: AccountFixture) => Probe[];

const refused = (status: number, code: string) => (res: ApiResponse) => assertError(res, status, code);
const projectMismatch = refused(403, 'ModelArts.0210');
const workspaceMissing = refused(400, 'ModelArts.7005');
const iamNotFound = refused(404, 'IAM.0003');
const loginRefused = refused(401, 'APIGW.0301');
function succeeded(res: ApiResponse): void {
  assert.ok(res.status >= 200 && res.status < 300, `${res.status} ${JSON.stringify(res.body)}`);
}

const CREDENTIALS = '/v3.0/OS-CREDENTIAL/credentials';
const EPS = '/v1.0/enterprise-projects';

/** Signs in as B's root naming A's account, A's project or A's domain: all refused. */
function signIns(a: AccountFixture, b: AccountFixture): Probe[] {
  const identity = (domain: object) => ({
    methods: ['password'],
    password: { user: { name: b.account.root.name, password: b.account.root.password, domain } },
  });
  const asA = (user: object) => ({ methods: ['password'], password: { user } });
  return [
    { auth: { identity: identity({ name: a.account.name }), scope: { project: { name: a.project.name } } } },
    { auth: { identity: identity({ id: a.account.id }), scope: { project: { id: a.project.id } } } },
    { auth: { identity: identity({ name: b.account.name }), scope: { project: { id: a.project.id } } } },
    { auth: { identity: identity({ name: b.account.name }), scope: { domain: { id: a.account.id } } } },
    { auth: { identity: identity({ name: b.account.name }), scope: { domain: { name: a.account.name } } } },
    // B's password for A's users, named by id or by name
    { auth: { identity: asA({ id: a.user.id, password: b.account.root.password }), scope: { project: { id: a.project.id } } } },
    { auth: { identity: asA({ name: a.user.name, password: b.account.root.password, domain: { name: a.account.name } }) } },
  ].map((body) => ({ path: '/v3/auth/tokens', body, anonymous: true, check: loginRefused }));
}

/** In A's project the credential does not match; in B's own project A's workspace does not exist. */
function workspaceProbes(a: AccountFixture, b: AccountFixture, suffix: string, body?: unknown): Probe[] {
  return [
    { path: `/v1/${a.project.id}/workspaces/${a.workspace.id}${suffix}`, body, check: projectMismatch },
    { path: `/v1/${a.project.id}/workspaces/0${suffix}`, body, check: projectMismatch },
    { path: `/v1/${b.project.id}/workspaces/${a.workspace.id}${suffix}`, body, check: workspaceMissing },
  ];
}

const QUOTAS = { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 1 }] };
const AUTH_REQUEST = { requests: [{ action_id: '1', action: 'modelarts:notebook:create' }] };

/** Keyed "METHOD url" as Fastify registered the route; HEAD routes are checked with their GET's probes. */
const CASES: Record<string, Case> = {
  'POST /v3/auth/tokens': signIns,
  'DELETE /v3/auth/tokens': (a) => [{ path: '/v3/auth/tokens', headers: { 'x-subject-token': a.rootToken.token }, check: iamNotFound }],
  'GET /v3/auth/projects': () => [{ path: '/v3/auth/projects', check: succeeded }],
  'GET /v3/auth/domains': () => [{ path: '/v3/auth/domains', check: succeeded }],
  // B's own trail holds what B itself sent (A's ids among them), so only A's project is probed here.
  'GET /v3/:project_id/traces': (a) => [{ path: `/v3/${a.project.id}/traces?trace_type=system`, check: refused(403, 'CTS.0012') }],
  'GET /v3/projects': (a) => [
    { path: '/v3/projects', check: succeeded },
    // the same region name: B's own project, never A's
    { path: `/v3/projects?name=${a.project.name}`, check: succeeded },
  ],
  'POST /v3/projects': (a) => [
    { path: '/v3/projects', body: { project: { name: `${a.project.name}_x${a.account.name.slice(-4)}`, parent_id: a.project.id } }, check: refused(400, 'IAM.0001') },
    { path: '/v3/projects', body: { project: { name: `${a.project.name}_y${a.account.name.slice(-4)}`, domain_id: a.account.id } }, check: refused(400, 'IAM.0001') },
    // the name of A's sub-project is free in B's account: B's own (the second of B's callers finds it taken in B)
    {
      path: '/v3/projects',
      body: { project: { name: a.subProject.name } },
      check: (res) => (res.status === 409 ? assertError(res, 409, 'IAM.0004') : assert.equal(res.status, 201, JSON.stringify(res.body))),
    },
  ],
  'POST /v3/users': (a) => [
    { path: '/v3/users', body: { user: { name: uniq('u'), password: 'Isolated-Passw0rd', domain_id: a.account.id } }, check: refused(400, 'IAM.0001') },
  ],
  'GET /v3/users': (a) => [
    { path: '/v3/users', check: succeeded },
    {
      path: `/v3/users?name=${a.user.name}`,
      check: (res) => assert.deepEqual(res.body.users, [], JSON.stringify(res.body)),
    },
  ],
  'GET /v3/users/:user_id': (a) => [
    { path: `/v3/users/${a.user.id}`, check: iamNotFound },
    { path: `/v3/users/${a.account.root.id}`, check: iamNotFound },
  ],
  'PATCH /v3/users/:user_id': (a) => [
    { path: `/v3/users/${a.user.id}`, body: { user: { enabled: false, password: 'Stolen-Passw0rd' } }, check: iamNotFound },
    { path: `/v3/users/${a.account.root.id}`, body: { user: { description: 'mine now' } }, check: iamNotFound },
  ],
  'DELETE /v3/users/:user_id': (a) => [{ path: `/v3/users/${a.user.id}`, check: iamNotFound }],
  'POST /v3/users/:user_id/unlock': (a) => [
    { path: `/v3/users/${a.user.id}/unlock`, check: iamNotFound },
    { path: `/v3/users/${a.account.root.id}/unlock`, check: iamNotFound },
  ],
  [`POST ${CREDENTIALS}`]: (a) => [
    { path: CREDENTIALS, body: { credential: { user_id: a.user.id } }, check: iamNotFound },
    { path: CREDENTIALS, body: { credential: { user_id: a.account.root.id } }, check: iamNotFound },
  ],
  [`GET ${CREDENTIALS}`]: (a) => [
    { path: CREDENTIALS, check: succeeded },
    { path: `${CREDENTIALS}?user_id=${a.user.id}`, check: (res) => (res.status === 200 ? assert.deepEqual(res.body.credentials, []) : iamNotFound(res)) },
  ],
  [`GET ${CREDENTIALS}/:access_key`]: (a) => [
    { path: `${CREDENTIALS}/${a.key.access}`, check: iamNotFound },
    { path: `${CREDENTIALS}/${a.account.root.accessKey}`, check: iamNotFound },
  ],
  [`PUT ${CREDENTIALS}/:access_key`]: (a) => [
    { path: `${CREDENTIALS}/${a.key.access}`, body: { credential: { status: 'inactive' } }, check: iamNotFound },
  ],
  [`DELETE ${CREDENTIALS}/:access_key`]: (a) => [{ path: `${CREDENTIALS}/${a.account.root.accessKey}`, check: iamNotFound }],
  // A's name is free in B's account: the first of B's callers creates B's own, the second finds it taken in B.
  [`POST ${EPS}`]: (a) => [
    { path: EPS, body: { name: a.ep.name }, check: (res) => (res.status === 409 ? assertError(res, 409, 'IAM.0004') : succeeded(res)) },
  ],
  [`GET ${EPS}`]: (a) => [
    { path: EPS, check: succeeded },
    // B's own one of that name at most (see the POST case), never A's
    { path: `${EPS}?name=${a.ep.name}`, check: (res) => assert.ok(res.body.enterprise_projects.every((e: any) => e.id !== a.ep.id)) },
  ],
  [`GET ${EPS}/:enterprise_project_id`]: (a) => [{ path: `${EPS}/${a.ep.id}`, check: iamNotFound }],
  [`PUT ${EPS}/:enterprise_project_id`]: (a) => [{ path: `${EPS}/${a.ep.id}`, body: { name: uniq('ep'), description: 'taken' }, check: iamNotFound }],
  [`POST ${EPS}/:enterprise_project_id/action`]: (a) => [{ path: `${EPS}/${a.ep.id}/action`, body: { action: 'disable' }, check: iamNotFound }],
  'POST /v1/:project_id/workspaces': (a, b) => [
    { path: `/v1/${a.project.id}/workspaces`, body: { name: uniq('ws') }, check: projectMismatch },
    {
      path: `/v1/${b.project.id}/workspaces`,
      body: { name: uniq('ws'), enterprise_project_id: a.ep.id },
      check: refused(400, 'ModelArts.0104'),
    },
    {
      path: `/v1/${b.project.id}/workspaces`,
      body: { name: uniq('ws'), auth_type: 'internal', grants: [{ user_id: a.user.id }] },
      check: refused(400, 'ModelArts.0104'),
    },
    {
      path: `/v1/${b.project.id}/workspaces`,
      body: { name: uniq('ws'), auth_type: 'internal', grants: [{ user_name: a.user.name }] },
      check: refused(400, 'ModelArts.0104'),
    },
  ],
  'GET /v1/:project_id/workspaces': (a, b) => [
    { path: `/v1/${a.project.id}/workspaces`, check: projectMismatch },
    { path: `/v1/${a.subProject.id}/workspaces`, check: projectMismatch },
    { path: `/v1/${b.project.id}/workspaces`, check: succeeded },
    // B's own project in the path, A's in X-Project-Id (signed, for the AK/SK caller)
    { path: `/v1/${b.project.id}/workspaces`, headers: { 'x-project-id': a.project.id }, check: projectMismatch },
    {
      path: `/v1/${b.project.id}/workspaces?enterprise_project_id=${a.ep.id}`,
      check: (res) => (res.status === 200 ? assert.equal(res.body.total_count, 0) : refused(400, 'ModelArts.0104')(res)),
    },
    { path: `/v1/${b.project.id}/workspaces?name=${a.workspace.name}`, check: (res) => assert.equal(res.body.total_count, 0) },
  ],
  'GET /v1/:project_id/workspaces/:workspace_id': (a, b) => workspaceProbes(a, b, ''),
  'PUT /v1/:project_id/workspaces/:workspace_id': (a, b) => workspaceProbes(a, b, '', { description: 'mine now' }),
  'DELETE /v1/:project_id/workspaces/:workspace_id': (a, b) => workspaceProbes(a, b, ''),
  'POST /v1/:project_id/workspaces/:workspace_id/auth': (a, b) => workspaceProbes(a, b, '/auth', AUTH_REQUEST),
  'GET /v1/:project_id/workspaces/:workspace_id/quotas': (a, b) => workspaceProbes(a, b, '/quotas'),
  'PUT /v1/:project_id/workspaces/:workspace_id/quotas': (a, b) => workspaceProbes(a, b, '/quotas', QUOTAS),
};

/** Everything of A that B must never see or change: ids and keys, which no other account shares. */
function markersOf(a: AccountFixture): string[] {
  return [
    a.account.id,
    a.account.name,
    ...a.account.projects.map((p) => p.id),
    a.subProject.id,
    a.account.root.id,
    a.account.root.accessKey,
    a.user.id,
    a.key.access,
    a.ep.id,
    a.workspace.id,
  ];
}

/** What A's root reads of its own account: compared before and after B's attempts. */
async function snapshot(a: AccountFixture): Promise<unknown> {
  const paths = [
    '/v3/users',
    CREDENTIALS,
    EPS,
    '/v3/projects',
    '/v3/auth/projects',
    '/v3/auth/domains',
    `/v1/${a.project.id}/workspaces`,
    `/v1/${a.project.id}/workspaces/${a.workspace.id}`,
    `/v1/${a.project.id}/workspaces/${a.workspace.id}/quotas`,
    `/v1/${a.project.id}/workspaces/0`,
  ];
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const res = await a.rootToken.call('GET', path);
    assert.equal(res.status, 200, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
    out[path] = res.body;
  }
  return out;
}

async function populate(srv: TestServer, label: string): Promise<AccountFixture> {
  const account = await createOperatorAccount(srv, uniq(`acct${label}`).replace('_', '-'));
  const project = account.projects[0]!;
  // A's reads use this token, which B tries to revoke: had B succeeded, the snapshot after would fail.
  const token = await tokenOf(srv, account, project.name);
  const rootToken = { label: `${label} root token`, token, call: (method: string, path: string, options: { body?: unknown } = {}) => srv.api(method, path, { ...options, token }) };
  const expectCreated = (res: ApiResponse) => {
    assert.ok(res.status === 200 || res.status === 201, `${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const userName = uniq(`user${label}`).replace('_', '-');
  const user = expectCreated(await rootToken.call('POST', '/v3/users', { body: { user: { name: userName, password: 'Member-Passw0rd' } } })).user;
  const key = expectCreated(await rootToken.call('POST', CREDENTIALS, { body: { credential: { user_id: user.id } } })).credential;
  const subProject = expectCreated(await rootToken.call('POST', '/v3/projects', { body: { project: { name: `${project.name}_team` } } })).project;
  const ep = expectCreated(await rootToken.call('POST', EPS, { body: { name: uniq(`ep${label}`) } })).enterprise_project;
  const workspace = expectCreated(
    await rootToken.call('POST', `/v1/${project.id}/workspaces`, {
      body: { name: uniq(`ws${label}`), enterprise_project_id: ep.id, auth_type: 'internal', grants: [{ user_id: user.id }] },
    }),
  );
  expectCreated(await rootToken.call('PUT', `/v1/${project.id}/workspaces/${workspace.id}/quotas`, { body: QUOTAS }));
  return {
    account,
    project,
    subProject: { id: subProject.id, name: subProject.name },
    user: { id: user.id, name: user.name },
    key: { access: key.access, secret: key.secret },
    ep: { id: ep.id, name: ep.name },
    workspace: { id: workspace.id, name: workspace.name },
    rootToken,
  };
}

/** A token of the account's root user, scoped to one of its projects. */
async function tokenOf(srv: TestServer, account: OperatorAccount, projectName: string): Promise<string> {
  const res = await srv.api('POST', '/v3/auth/tokens', {
    body: {
      auth: {
        identity: { methods: ['password'], password: { user: { name: account.root.name, password: account.root.password, domain: { name: account.name } } } },
        scope: { project: { name: projectName } },
      },
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.headers.get('x-subject-token')!;
}

describe('isolation between accounts, route by route', () => {
  let srv: TestServer;
  let a: AccountFixture;
  let b: AccountFixture;
  let callers: Caller[];

  before(async () => {
    srv = await startTestServer();
    [a, b] = await Promise.all([populate(srv, 'a'), populate(srv, 'b')]);
    callers = [
      await tokenCaller(srv, b.account.name, b.account.root, b.project.name, 'B root token'),
      akskCaller(srv, b.account.root, 'B root AK/SK'),
    ];
  });
  after(() => srv?.close());

  test('every route the app serves is public, an operator route, or has a case', () => {
    const served = servedRoutes(srv.server.app);
    assert.ok(served.length > 30, String(served.length));
    const keys = new Set(served.map((r) => `${r.method} ${r.url}`));
    const uncovered: string[] = [];
    for (const route of served) {
      const key = `${route.method} ${route.url}`;
      const asGet = route.method === 'HEAD' ? `GET ${route.url}` : key;
      if (route.url.startsWith(OPERATOR_PREFIX)) {
        assert.equal(route.config?.operator, true, key);
      } else if (PUBLIC.has(asGet)) {
        assert.equal(route.config?.public, true, `${key} is listed as public but does not declare it`);
      } else if (!(asGet in CASES)) {
        uncovered.push(key);
      }
      if (route.method === 'HEAD') assert.ok(keys.has(asGet), `${key} without its GET`);
    }
    assert.deepEqual(uncovered, [], 'routes without an isolation case: add them to CASES (or PUBLIC if they serve no account)');
    const stale = [...Object.keys(CASES), ...PUBLIC].filter((key) => !keys.has(key));
    assert.deepEqual(stale, [], 'cases for routes the app does not serve');
  });

  test("B's token and AK/SK cannot read or change anything of A's, on any route", async () => {
    const before = await snapshot(a);
    const markers = markersOf(a);
    const heads = new Set(servedRoutes(srv.server.app).filter((r) => r.method === 'HEAD').map((r) => r.url));
    for (const [key, makeProbes] of Object.entries(CASES)) {
      const [method, url] = key.split(' ') as [string, string];
      for (const probe of makeProbes(a, b)) {
        for (const caller of probe.anonymous ? [undefined] : callers) {
          const who = caller?.label ?? 'no credential';
          const options = { body: probe.body, headers: probe.headers };
          const res = caller ? await caller.call(method, probe.path, options) : await srv.api(method, probe.path, options);
          const where = `${key} as ${who}: ${method} ${probe.path} → ${res.status} ${JSON.stringify(res.body)}`;
          try {
            probe.check(res, who);
          } catch (error) {
            throw new Error(`${where}\n${(error as Error).message}`);
          }
          if (res.status < 300) {
            const text = JSON.stringify(res.body ?? '');
            for (const marker of markers) assert.ok(!text.includes(marker), `${where}\ncarries A's ${marker}`);
          }
          if (method === 'GET' && heads.has(url) && caller) {
            const head = await caller.call('HEAD', probe.path, { headers: probe.headers });
            assert.equal(head.status, res.status, `HEAD ${probe.path} as ${who}`);
          }
        }
      }
    }
    assert.deepEqual(await snapshot(a), before, "A's data changed");
    // A's credentials all still work: the token B tried to revoke (the snapshot used it), the keys
    const key = akskCaller(srv, { ...a.account.root, accessKey: a.key.access, secretKey: a.key.secret }, 'A user key');
    assert.equal((await key.call('GET', `${CREDENTIALS}?user_id=${a.user.id}`)).status, 200);
    const rootKey = akskCaller(srv, a.account.root, 'A root key');
    assert.equal((await rootKey.call('GET', '/v3/users')).status, 200);
    const sub = await rootKey.call('GET', `/v1/${a.subProject.id}/workspaces`);
    assert.deepEqual(sub.body.workspaces.map((w: any) => w.id), ['0'], JSON.stringify(sub.body));
  });

  test('operator routes refuse every IAM credential of any account', async () => {
    for (const route of servedRoutes(srv.server.app).filter((r) => r.url.startsWith(OPERATOR_PREFIX))) {
      const path = route.url.replace(/:[a-z_]+/g, a.account.name);
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? { name: uniq('acct'), enabled: false } : undefined;
      for (const caller of [...callers, a.rootToken]) {
        const res = await caller.call(route.method, path, { body });
        if (route.method === 'HEAD') assert.equal(res.status, 401, `HEAD ${path}`);
        else assertError(res, 401, 'APIGW.0301');
      }
    }
    const shown = await srv.operator('GET', `/maws/v1/accounts/${a.account.id}`);
    assert.equal(shown.body.account.enabled, true);
  });

  test("B's listings hold only B's own", async () => {
    const own = await snapshotOf(callers[0]!, b);
    assert.deepEqual(own.users.map((u: any) => u.id).sort(), [b.account.root.id, b.user.id].sort());
    assert.deepEqual(own.domains.map((d: any) => d.id), [b.account.id]);
    // its region projects and sub-projects (one made by the POST case), all of its own account
    assert.ok(own.projects.every((p: any) => p.domain_id === b.account.id), JSON.stringify(own.projects));
    for (const id of [...b.account.projects.map((p) => p.id), b.subProject.id]) assert.ok(own.projects.some((p: any) => p.id === id), id);
    assert.ok(own.eps.some((e: any) => e.id === b.ep.id));
    assert.ok(own.workspaces.some((w: any) => w.id === b.workspace.id));
    assert.ok(own.keys.every((k: any) => k.user_id === b.user.id || k.user_id === b.account.root.id));
    const text = JSON.stringify(own);
    for (const marker of markersOf(a)) assert.ok(!text.includes(marker), marker);
  });
});

async function snapshotOf(caller: Caller, b: AccountFixture) {
  const get = async (path: string) => {
    const res = await caller.call('GET', path);
    assert.equal(res.status, 200, `${path} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return {
    users: (await get('/v3/users')).users,
    keys: (await get(CREDENTIALS)).credentials,
    eps: (await get(EPS)).enterprise_projects,
    projects: (await get('/v3/projects')).projects,
    domains: (await get('/v3/auth/domains')).domains,
    workspaces: (await get(`/v1/${b.project.id}/workspaces`)).workspaces,
  };
}
