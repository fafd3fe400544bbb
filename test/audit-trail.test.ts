// The audit trail (CTS ListTraces): a trace for every change, refused or not, in the CTS shape;
// the change and its trace commit together; no secret in any trace; root reads its account's
// traces, an IAM user none; pages keep their place while traces are written; retention purges.
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { OPERATOR_PREFIX, servedRoutes } from '../src/http/route-needs.js';
import { TEST_DB } from './helpers/database.js';
import { assertError, ok, uniq } from './helpers/fixtures.js';
import { eventually, startTestServer, type TestServer } from './helpers/server.js';
import type { TraceView as Trace } from '../src/audit/trace.schemas.js';

const CHANGE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Change-method routes that change nothing: a check, and the operator's own API (not the cloud's). */
const NOT_CHANGES = new Set(['POST /v1/:project_id/workspaces/:workspace_id/auth']);


describe('audit trail (CTS ListTraces)', () => {
  let clock = Date.now();
  let srv: TestServer;
  let token: string;

  before(async () => {
    srv = await startTestServer({ MAWS_TRACE_RETENTION_DAYS: '7' }, () => clock);
    token = await srv.rootToken();
  });
  after(() => srv?.close());

  async function traces(query = '', caller = token): Promise<{ traces: Trace[]; meta_data: { count: number; marker: string | null } }> {
    return ok(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system&limit=200${query}`, { token: caller }));
  }

  async function traceOfRequest(requestId: string): Promise<Trace> {
    const found = (await traces()).traces.filter((t) => t.request_id === requestId);
    assert.equal(found.length, 1, `one trace for request ${requestId}`);
    return found[0]!;
  }

  test('every change route of the cloud API records its calls', () => {
    const untraced = servedRoutes(srv.server.app)
      .filter((r) => CHANGE_METHODS.has(r.method) && !r.url.startsWith(OPERATOR_PREFIX))
      .filter((r) => !NOT_CHANGES.has(`${r.method} ${r.url}`) && r.config?.trace === undefined)
      .map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(untraced, []);
  });

  test('a created, updated and deleted workspace leaves a trace each, and the worker one at its end', async () => {
    const name = uniq('audited');
    const created = await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name, description: 'd' } });
    const id = ok(created).id;
    const trace = await traceOfRequest(created.headers.get('x-request-id')!);
    assert.equal(trace.trace_name, 'createWorkspace');
    assert.equal(trace.trace_rating, 'normal');
    assert.equal(trace.trace_type, 'ApiCall');
    assert.equal(trace.service_type, 'ModelArts');
    assert.equal(trace.resource_type, 'workspace');
    assert.equal(trace.resource_id, id);
    assert.equal(trace.resource_name, name);
    assert.equal(trace.code, '200');
    assert.equal(trace.api_version, 'v1');
    assert.deepEqual(JSON.parse(trace.request), { name, description: 'd' });
    assert.deepEqual(JSON.parse(trace.response), created.body);
    assert.deepEqual(trace.user, { id: srv.root.id, name: srv.root.name, domain: { id: trace.user!.domain.id, name: srv.domainName } });
    assert.match(trace.source_ip ?? '', /127\.0\.0\.1/);
    assert.match(trace.trace_id, /^[0-9a-f-]{36}$/);
    assert.equal(trace.time, clock);

    const updated = await srv.api('PUT', `/v1/${srv.projectId}/workspaces/${id}`, { token, body: { description: 'e' } });
    ok(updated);
    const update = await traceOfRequest(updated.headers.get('x-request-id')!);
    assert.equal(update.trace_name, 'updateWorkspace');
    assert.equal(update.resource_id, id);
    assert.equal(update.resource_name, name);

    const deleted = await srv.api('DELETE', `/v1/${srv.projectId}/workspaces/${id}`, { token });
    ok(deleted);
    assert.equal((await traceOfRequest(deleted.headers.get('x-request-id')!)).trace_name, 'deleteWorkspace');
    const end = await eventually(async () =>
      (await traces(`&resource_id=${id}`)).traces.find((t) => t.trace_type === 'SystemAction'),
    );
    assert.equal(end.trace_name, 'deleteWorkspace');
    assert.equal(end.trace_rating, 'normal');
    assert.equal(end.user, undefined);
    assert.equal(JSON.parse(end.response).status, 'DELETED');
  });

  test('a refused change is a warning with the error as its response; reads are not recorded', async () => {
    const name = uniq('twice');
    ok(await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name } }));
    const before = (await traces()).traces.length;
    ok(await srv.api('GET', `/v1/${srv.projectId}/workspaces?limit=5`, { token }));
    assert.equal((await traces()).traces.length, before, 'a read leaves no trace');
    const refused = await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name } });
    assertError(refused, 400, 'ModelArts.0103');
    const trace = await traceOfRequest(refused.body.request_id);
    assert.equal(trace.trace_rating, 'warning');
    assert.equal(trace.code, '400');
    assert.equal(trace.resource_name, name);
    assert.deepEqual(JSON.parse(trace.response), refused.body);
  });

  test('calls made by the web console are ConsoleAction', async () => {
    const res = await srv.api('POST', `/v1/${srv.projectId}/workspaces`, {
      token,
      body: { name: uniq('console') },
      headers: { 'x-maws-client': 'console' },
    });
    ok(res);
    assert.equal((await traceOfRequest(res.headers.get('x-request-id')!)).trace_type, 'ConsoleAction');
  });

  test('IAM and EPS changes are recorded under their services', async () => {
    const user = await srv.api('POST', '/v3/users', { token, body: { user: { name: uniq('u'), password: 'Traced-Passw0rd' } } });
    assert.equal(user.status, 201);
    const ep = ok(await srv.api('POST', '/v1.0/enterprise-projects', { token, body: { name: uniq('ep') } }));
    const userTrace = await traceOfRequest(user.headers.get('x-request-id')!);
    assert.equal(userTrace.service_type, 'IAM');
    assert.equal(userTrace.trace_name, 'createUser');
    assert.equal(userTrace.code, '201');
    assert.equal(userTrace.resource_id, user.body.user.id);
    assert.equal(userTrace.api_version, 'v3');
    const epTraces = (await traces(`&service_type=EPS&resource_id=${ep.enterprise_project.id}`)).traces;
    assert.deepEqual(epTraces.map((t) => t.trace_name), ['createEnterpriseProject']);
  });

  test('sign-ins, refused or not, and token revocations are recorded; a lock says so', async () => {
    const user = await srv.newUser();
    const signIn = (password: string, name = user.name) =>
      srv.api('POST', '/v3/auth/tokens', {
        body: { auth: { identity: { methods: ['password'], password: { user: { name, password, domain: { name: srv.domainName } } } } } },
      });
    const good = await signIn(user.password);
    assert.equal(good.status, 201);
    const login = await traceOfRequest(good.headers.get('x-request-id')!);
    assert.equal(login.trace_name, 'login');
    assert.equal(login.service_type, 'IAM');
    assert.equal(login.code, '201');
    assert.deepEqual(login.user, { id: user.id, name: user.name, domain: login.user!.domain });
    assert.deepEqual(JSON.parse(login.response), good.body);
    assert.equal(JSON.parse(login.request).auth.identity.password.user.password, '******');

    const bad = await signIn('Wrong-Passw0rd');
    assertError(bad, 401, 'APIGW.0301');
    const refused = await traceOfRequest(bad.body.request_id);
    assert.equal(refused.trace_rating, 'warning');
    assert.equal(refused.code, '401');
    assert.equal(refused.user?.name, user.name);

    const unknown = await signIn('Wrong-Passw0rd', 'nobody-at-all');
    const guess = await traceOfRequest(unknown.body.request_id);
    assert.deepEqual([guess.user?.id, guess.user?.name, guess.code], ['', 'nobody-at-all', '401']);

    const revoked = await srv.api('DELETE', '/v3/auth/tokens', { token, headers: { 'x-subject-token': good.headers.get('x-subject-token')! } });
    assert.equal(revoked.status, 204);
    const revocation = await traceOfRequest(revoked.headers.get('x-request-id')!);
    assert.deepEqual([revocation.trace_name, revocation.resource_type, revocation.resource_name, revocation.code], ['revokeToken', 'token', user.name, '204']);

    // The attempt that locks the user is the fifth refused one in the window (the default policy).
    for (let i = 0; i < 3; i++) assert.equal((await signIn('Wrong-Passw0rd')).status, 401);
    const locking = await signIn('Wrong-Passw0rd');
    assert.match((await traceOfRequest(locking.body.request_id)).message, /locked/);
  });

  test('no password, secret key or token is in any trace', async () => {
    const secrets = [srv.root.password, srv.root.secretKey, token];
    const created = await srv.api('POST', '/v3/users', { token, body: { user: { name: uniq('s'), password: 'Secret-Passw0rd-1' } } });
    secrets.push('Secret-Passw0rd-1');
    const userId = created.body.user.id;
    ok(await srv.api('PATCH', `/v3/users/${userId}`, { token, body: { user: { password: 'Secret-Passw0rd-2' } } }));
    secrets.push('Secret-Passw0rd-2');
    const key = await srv.api('POST', '/v3.0/OS-CREDENTIAL/credentials', { token, body: { credential: { user_id: userId } } });
    assert.equal(key.status, 201);
    secrets.push(key.body.credential.secret);
    const other = await srv.login();
    secrets.push(other);
    assert.equal((await srv.api('DELETE', '/v3/auth/tokens', { token, headers: { 'x-subject-token': other } })).status, 204);
    const all = JSON.stringify((await traces()).traces);
    assert.ok(all.includes(key.body.credential.access), 'the key is traced, by its access key');
    for (const secret of secrets) assert.ok(!all.includes(secret), `a secret is in a trace: ${secret.slice(0, 4)}…`);
    const stored = JSON.stringify(await srv.server.db.selectFrom('traces').selectAll().execute());
    for (const secret of secrets) assert.ok(!stored.includes(secret), 'nor in the table');
  });

  /** The database refuses every trace of this resource name until the test ends. */
  async function refuseTracesOf(t: TestContext, name: string): Promise<void> {
    const db = srv.server.db;
    const constraint = `refuse_${name.replace(/\W/g, '_')}`;
    if (TEST_DB === 'postgres') {
      await sql`alter table traces add constraint ${sql.id(constraint)} check (resource_name <> ${sql.lit(name)})`.execute(db);
      t.after(() => sql`alter table traces drop constraint ${sql.id(constraint)}`.execute(db));
    } else {
      await sql`create trigger ${sql.id(constraint)} before insert on traces when new.resource_name = ${sql.lit(name)}
        begin select raise(abort, 'refused'); end`.execute(db);
      t.after(() => sql`drop trigger ${sql.id(constraint)}`.execute(db));
    }
  }

  test('a change whose trace cannot be written does not happen', async (t) => {
    const name = uniq('untraceable');
    await refuseTracesOf(t, name);
    const res = await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name } });
    assert.equal(res.status, 500, JSON.stringify(res.body));
    const list = ok(await srv.api('GET', `/v1/${srv.projectId}/workspaces?name=${name}`, { token }));
    assert.equal(list.total_count, 0, 'no workspace without its trace');
  });

  test('a refused sign-in whose trace cannot be written is not counted towards a lock', async (t) => {
    const user = await srv.newUser();
    await refuseTracesOf(t, user.name);
    const signIn = () =>
      srv.api('POST', '/v3/auth/tokens', {
        body: { auth: { identity: { methods: ['password'], password: { user: { name: user.name, password: 'Wrong-Passw0rd', domain: { name: srv.domainName } } } } } },
      });
    for (let i = 0; i < 6; i++) assert.equal((await signIn()).status, 500);
    const failures = await srv.server.db.selectFrom('login_failures').selectAll().where('user_id', '=', user.id).executeTakeFirst();
    assert.ok(!failures || failures.failures === 0, `no failure counted without its trace: ${JSON.stringify(failures)}`);
  });

  test('an IAM user reads no traces; another project of the account is refused in CTS codes', async () => {
    const user = await srv.newUser();
    const userToken = await srv.login(user);
    assertError(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system`, { token: userToken }), 403, 'CTS.0002');
    assertError(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system&limit=201`, { token }), 400, 'CTS.0003');
    assertError(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system&trace_rating=bad`, { token }), 400, 'CTS.0003');
    assertError(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=data`, { token }), 400, 'CTS.0003');
    assertError(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system&next=nope`, { token }), 400, 'CTS.0003');
    // Beyond an exact integer: PostgreSQL refuses such a bigint, which must not become a 500.
    assertError(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system&to=1e30`, { token }), 400, 'CTS.0003');
    assertError(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system&from=9007199254740992`, { token }), 400, 'CTS.0003');
    assertError(await srv.api('GET', `/v3/0123456789abcdef0123456789abcdef/traces?trace_type=system`, { token }), 403, 'CTS.0012');
  });

  test('filters match exactly, and the default window is the last hour', async () => {
    const name = uniq('filtered');
    const id = ok(await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name } })).id;
    const byName = (await traces(`&resource_name=${name}&trace_name=createWorkspace&user=${srv.root.name}&trace_rating=normal`)).traces;
    assert.deepEqual(byName.map((t) => t.resource_id), [id]);
    assert.equal((await traces(`&resource_name=${name}&trace_rating=warning`)).traces.length, 0);
    const at = byName[0]!.time;
    const page = ok(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system&resource_name=${name}`, { token }));
    assert.equal(page.traces.length, 1, 'default from/to cover now');
    const later = ok(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system&resource_name=${name}&from=${at + 1}&to=${at + 10}`, { token }));
    assert.equal(later.traces.length, 0);
    assert.equal(ok(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system&trace_id=${byName[0]!.trace_id}`, { token })).traces.length, 1);
  });

  test('pages are newest first and keep their place while traces are written', async () => {
    const prefix = uniq('paged');
    for (let i = 0; i < 5; i++) {
      clock += 1;
      ok(await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name: `${prefix}_${i}` } }));
    }
    const from = clock - 4;
    const query = (next?: string) =>
      `/v3/${srv.projectId}/traces?trace_type=system&trace_name=createWorkspace&limit=2&from=${from}${next ? `&next=${next}` : ''}`;
    const first = ok(await srv.api('GET', query(), { token }));
    assert.deepEqual(first.traces.map((t: Trace) => t.resource_name), [`${prefix}_4`, `${prefix}_3`]);
    assert.equal(first.meta_data.count, 2);
    // Newer traces arrive between pages: the next pages go on where the first stopped.
    clock += 1;
    ok(await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name: `${prefix}_5` } }));
    const second = ok(await srv.api('GET', query(first.meta_data.marker), { token }));
    assert.deepEqual(second.traces.map((t: Trace) => t.resource_name), [`${prefix}_2`, `${prefix}_1`]);
    const third = ok(await srv.api('GET', query(second.meta_data.marker), { token }));
    assert.deepEqual(third.traces.map((t: Trace) => t.resource_name), [`${prefix}_0`]);
    assert.equal(third.meta_data.marker, null, 'no marker on the last page');
  });

  test('traces past the retention are purged', async () => {
    const name = uniq('old');
    ok(await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name } }));
    const at = clock;
    const window = `&from=${at - 1}&to=${at + 8 * 86_400_000}&resource_name=${name}`;
    clock = at + 6 * 86_400_000;
    token = await srv.login();
    assert.equal(await srv.server.modules.audit.service.purgeExpired(), 0);
    assert.equal((await traces(window)).traces.length, 1, 'kept within 7 days');
    clock = at + 7 * 86_400_000 + 1;
    token = await srv.login();
    assert.ok((await srv.server.modules.audit.service.purgeExpired()) >= 1);
    assert.equal((await traces(window)).traces.length, 0, 'gone after 7 days');
  });
});

describe('audit trail turned off (MAWS_AUDIT_TRAIL=false)', () => {
  test('changes work and leave no trace', async (t) => {
    const srv = await startTestServer({ MAWS_AUDIT_TRAIL: 'false' });
    t.after(() => srv.close());
    const token = await srv.rootToken();
    const id = ok(await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name: uniq('untraced') } })).id;
    // The deletion worker's end is no request of a route: it must not record either.
    ok(await srv.api('DELETE', `/v1/${srv.projectId}/workspaces/${id}`, { token }));
    await eventually(async () => ((await srv.api('GET', `/v1/${srv.projectId}/workspaces/${id}`, { token })).status === 400 ? true : undefined));
    const page = ok(await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system`, { token }));
    assert.deepEqual(page, { traces: [], meta_data: { count: 0, marker: null } });
  });
});
