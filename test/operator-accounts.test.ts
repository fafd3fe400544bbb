// The operator API's accounts (/maws/v1/accounts): only the operator token opens it; an account is
// created with one project per region, each with workspace "0", and secrets shown once that work;
// it is listed, shown by id or name, disabled (every credential of its users refused, nothing
// deleted), enabled again and deleted with everything it owns.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { akskCaller, createOperatorAccount, tokenCaller } from './helpers/accounts.js';
import { createTestStorage } from './helpers/database.js';
import { assertError, HEX32, loginTo, ok, signedApi, uniq } from './helpers/fixtures.js';
import { httpJson, OPERATOR_TOKEN, startTestServer, type TestServer } from './helpers/server.js';

const BASE = '/maws/v1/accounts';

describe('operator API: accounts', { concurrency: true }, () => {
  let srv: TestServer;

  before(async () => {
    srv = await startTestServer({ MAWS_REGIONS: 'cn-test-1,cn-test-2' });
  });
  after(() => srv?.close());

  test('is refused without the operator token, with a wrong one, and with IAM credentials', async () => {
    const rootToken = await srv.rootToken();
    const attempts = [
      srv.api('GET', BASE),
      srv.api('GET', BASE, { headers: { authorization: 'Bearer not-the-token' } }),
      srv.api('GET', BASE, { headers: { authorization: `Basic ${OPERATOR_TOKEN}` } }),
      srv.api('GET', BASE, { token: rootToken }),
      srv.api('POST', BASE, { token: rootToken, body: { name: uniq('acct') } }),
      signedApi(srv, 'GET', BASE, { ak: srv.root.accessKey, sk: srv.root.secretKey }),
      signedApi(srv, 'POST', BASE, { ak: srv.root.accessKey, sk: srv.root.secretKey, body: { name: uniq('acct') } }),
      srv.api('DELETE', `${BASE}/${srv.domainName}`, { token: rootToken }),
    ];
    for (const res of await Promise.all(attempts)) assertError(res, 401, 'APIGW.0301', /operator API/);
    // and the operator token opens no cloud route
    const bearer = { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } };
    for (const path of [`/v1/${srv.projectId}/workspaces`, '/v3/users', '/v3/auth/projects']) {
      assertError(await srv.api('GET', path, bearer), 401, 'APIGW.0301');
    }
    // nothing was created or deleted by the refused calls
    const names = ok(await srv.operator('GET', BASE)).accounts.map((a: any) => a.name);
    assert.ok(names.includes(srv.domainName));
  });

  test('create: one project per region with workspace "0"; the one-time secrets work', async () => {
    const name = uniq('acct').replace('_', '-');
    const res = ok(await srv.operator('POST', BASE, { body: { name, description: 'team A' } }));
    assert.deepEqual(Object.keys(res).sort(), ['access_key', 'account', 'password', 'root_user', 'secret_key']);
    assert.match(res.account.id, HEX32);
    assert.equal(res.account.name, name);
    assert.equal(res.account.description, 'team A');
    assert.equal(res.account.enabled, true);
    assert.ok(!Number.isNaN(Date.parse(res.account.created_at)));
    assert.deepEqual(res.account.projects.map((p: any) => [p.name, p.parent_id]), [['cn-test-1', null], ['cn-test-2', null]]);
    assert.equal(res.account.user_count, 1);
    assert.equal(res.account.workspace_count, 2);
    assert.deepEqual(res.root_user, { id: res.root_user.id, name });

    const root = { id: res.root_user.id, name, password: res.password, accessKey: res.access_key, secretKey: res.secret_key };
    for (const project of res.account.projects) {
      const byToken = await tokenCaller(srv, name, root, project.name, 'token');
      const listed = ok(await byToken.call('GET', `/v1/${project.id}/workspaces`));
      assert.deepEqual(listed.workspaces.map((w: any) => [w.id, w.owner]), [['0', name]]);
      const signed = ok(await akskCaller(srv, root, 'aksk').call('GET', `/v1/${project.id}/workspaces`));
      assert.equal(signed.total_count, 1);
    }
    // the secrets are never shown again
    const shown = ok(await srv.operator('GET', `${BASE}/${res.account.id}`));
    assert.ok(!JSON.stringify(shown).includes(res.secret_key));
    assert.ok(!JSON.stringify(shown).includes(res.password));
    assert.ok(!JSON.stringify(ok(await srv.operator('GET', BASE))).includes(res.secret_key));
  });

  test('create with a password: it is not answered back, and it logs in', async () => {
    const name = uniq('acct').replace('_', '-');
    const res = ok(await srv.operator('POST', BASE, { body: { name, password: 'Given-Passw0rd' } }));
    assert.equal(res.password, undefined);
    await loginTo(srv, name, { id: '', name, password: 'Given-Passw0rd', accessKey: '', secretKey: '' }, 'cn-test-2');
  });

  test('create refuses bad names, weak passwords and bad bodies with 400 MAWS.0001, a taken name with 409 MAWS.0009', async () => {
    const bad = [
      { name: 'ab' },
      { name: '1abc' },
      { name: 'a b c' },
      { name: 'x'.repeat(65) },
      {},
      { name: uniq('acct'), password: 'alllowercase' },
      { name: uniq('acct'), password: 'Short1' },
      { name: uniq('acct'), password: 12345678 },
      { name: uniq('acct'), description: 'd'.repeat(256) },
    ];
    for (const body of bad) assertError(await srv.operator('POST', BASE, { body }), 400, 'MAWS.0001');
    assertError(await srv.operator('POST', BASE, { rawBody: '{"name":', headers: { 'content-type': 'application/json' } }), 400, 'MAWS.0001');
    assertError(await srv.operator('POST', BASE, { body: { name: srv.domainName } }), 409, 'MAWS.0009', /already exists/);
    const name = uniq('acct');
    const results = await Promise.all([1, 2, 3].map(() => srv.operator('POST', BASE, { body: { name } })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409]);
    assertError(await srv.operator('PUT', `${BASE}/${name}`, { body: { enabled: 'no' } }), 400, 'MAWS.0001');
    assertError(await srv.operator('PUT', `${BASE}/${name}`, { body: {} }), 400, 'MAWS.0001');
  });

  test('list and show (by id or name); unknown accounts are 404 MAWS.0004', async () => {
    const a = await createOperatorAccount(srv);
    const listed = ok(await srv.operator('GET', BASE)).accounts;
    const mine = listed.find((x: any) => x.id === a.id);
    assert.deepEqual(mine.projects.map((p: any) => p.id), a.projects.map((p) => p.id));
    assert.equal(listed[0].name, srv.domainName, 'oldest first: the first start\'s account');
    assert.deepEqual(ok(await srv.operator('GET', `${BASE}/${a.id}`)).account, mine);
    assert.deepEqual(ok(await srv.operator('GET', `${BASE}/${a.name}`)).account, mine);
    for (const [method, body] of [['GET'], ['PUT', { enabled: false }], ['DELETE']] as const) {
      assertError(await srv.operator(method, `${BASE}/nobody-here`, { body }), 404, 'MAWS.0004');
      assertError(await srv.operator(method, `${BASE}/${'0'.repeat(32)}`, { body }), 404, 'MAWS.0004');
    }
  });

  test('disable: its token, AK/SK and password login get 401, other accounts keep working; enable restores them all', async () => {
    const a = await createOperatorAccount(srv);
    const b = await createOperatorAccount(srv);
    const project = a.projects[0]!;
    const aToken = await tokenCaller(srv, a.name, a.root, project.name, 'A token');
    const aKey = akskCaller(srv, a.root, 'A aksk');
    const bToken = await tokenCaller(srv, b.name, b.root, b.projects[0]!.name, 'B token');
    const path = `/v1/${project.id}/workspaces`;
    ok(await aToken.call('GET', path));

    const disabled = ok(await srv.operator('PUT', `${BASE}/${a.name}`, { body: { enabled: false } }));
    assert.equal(disabled.account.enabled, false);
    assertError(await aToken.call('GET', path), 401, 'APIGW.0301');
    assertError(await aKey.call('GET', path), 401, 'APIGW.0301', /AK is invalid or disabled/);
    assertError(await aToken.call('GET', '/v3/users'), 401, 'APIGW.0301');
    const login = await srv.api('POST', '/v3/auth/tokens', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: a.name, password: a.root.password, domain: { name: a.name } } } },
          scope: { project: { id: project.id } },
        },
      },
    });
    assertError(login, 401, 'APIGW.0301', 'The username or password is wrong.');
    // the others are untouched, and so is the account's data
    ok(await bToken.call('GET', `/v1/${b.projects[0]!.id}/workspaces`));
    ok(await srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token: await srv.rootToken() }));
    assert.equal(ok(await srv.operator('GET', `${BASE}/${a.id}`)).account.workspace_count, 2, 'nothing deleted');

    assert.equal(ok(await srv.operator('PUT', `${BASE}/${a.id}`, { body: { enabled: true } })).account.enabled, true);
    assert.equal(ok(await aToken.call('GET', path)).total_count, 1, 'a token issued before works again');
    ok(await aKey.call('GET', path));
    await loginTo(srv, a.name, a.root, project.name);
  });

  test('delete removes the account and all it owns; its credentials stop working; the name is free again', async () => {
    const a = await createOperatorAccount(srv);
    const project = a.projects[1]!;
    const root = await tokenCaller(srv, a.name, a.root, project.name, 'A root');
    const ep = ok(await root.call('POST', '/v1.0/enterprise-projects', { body: { name: uniq('ep') } })).enterprise_project;
    const user = (await root.call('POST', '/v3/users', { body: { user: { name: 'helper', password: 'Helper-Passw0rd' } } })).body.user;
    const key = (await root.call('POST', '/v3.0/OS-CREDENTIAL/credentials', { body: { credential: { user_id: user.id } } })).body.credential;
    const ws = ok(
      await root.call('POST', `/v1/${project.id}/workspaces`, {
        body: { name: uniq('ws'), enterprise_project_id: ep.id, auth_type: 'internal', grants: [{ user_id: user.id }] },
      }),
    );
    ok(await root.call('PUT', `/v1/${project.id}/workspaces/${ws.id}/quotas`, { body: { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 5 }] } }));

    const deleted = ok(await srv.operator('DELETE', `${BASE}/${a.name}`));
    assert.equal(deleted.account.id, a.id);
    assert.equal(deleted.account.user_count, 2);
    assertError(await srv.operator('GET', `${BASE}/${a.id}`), 404, 'MAWS.0004');
    assertError(await root.call('GET', `/v1/${project.id}/workspaces`), 401, 'APIGW.0301');
    assertError(await akskCaller(srv, a.root, 'A aksk').call('GET', '/v3/users'), 401, 'APIGW.0301');
    assertError(await signedApi(srv, 'GET', '/v3/users', { ak: key.access, sk: key.secret }), 401, 'APIGW.0301');

    const db = srv.server.db;
    const left = await Promise.all([
      db.selectFrom('domains').select('id').where('id', '=', a.id).execute(),
      db.selectFrom('users').select('id').where('domain_id', '=', a.id).execute(),
      db.selectFrom('projects').select('id').where('domain_id', '=', a.id).execute(),
      db.selectFrom('tokens').select('user_id').where('domain_id', '=', a.id).execute(),
      db.selectFrom('access_keys').select('access_key').where('user_id', 'in', [a.root.id, user.id]).execute(),
      db.selectFrom('enterprise_projects').select('id').where('domain_id', '=', a.id).execute(),
      db.selectFrom('workspaces').select('id').where('project_id', 'in', a.projects.map((p) => p.id)).execute(),
      db.selectFrom('workspace_grants').select('user_id').where('project_id', '=', project.id).execute(),
      db.selectFrom('workspace_quotas').select('resource').where('project_id', '=', project.id).execute(),
    ]);
    assert.deepEqual(left.map((rows) => rows.length), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // the first start's account is untouched
    ok(await srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token: await srv.rootToken() }));
    // the name can be used again, for a new account with new ids
    const again = ok(await srv.operator('POST', BASE, { body: { name: a.name } }));
    assert.notEqual(again.account.id, a.id);
  });

  test('delete while the account is in use: every request is answered without a server error, and nothing is left', async () => {
    const a = await createOperatorAccount(srv);
    const project = a.projects[0]!;
    const root = await tokenCaller(srv, a.name, a.root, project.name, 'A root');
    const key = akskCaller(srv, a.root, 'A aksk');
    const busy = [
      ...Array.from({ length: 8 }, () => root.call('POST', `/v1/${project.id}/workspaces`, { body: { name: uniq('ws') } })),
      ...Array.from({ length: 4 }, (_, i) =>
        key.call('POST', '/v3/users', { body: { user: { name: `busy-${i}`, password: 'Busy-Passw0rd' } } }),
      ),
      ...Array.from({ length: 4 }, () => key.call('POST', '/v1.0/enterprise-projects', { body: { name: uniq('ep') } })),
    ];
    const deletion = srv.operator('DELETE', `${BASE}/${a.id}`);
    const answers = await Promise.all([deletion, ...busy]);
    for (const res of answers) assert.ok(res.status < 500, `${res.status} ${JSON.stringify(res.body)}`);
    assert.equal(answers[0]!.status, 200);
    const db = srv.server.db;
    const left = await Promise.all([
      db.selectFrom('users').select('id').where('domain_id', '=', a.id).execute(),
      db.selectFrom('projects').select('id').where('domain_id', '=', a.id).execute(),
      db.selectFrom('enterprise_projects').select('id').where('domain_id', '=', a.id).execute(),
      db.selectFrom('workspaces').select('id').where('project_id', '=', project.id).execute(),
    ]);
    assert.deepEqual(left.map((rows) => rows.length), [0, 0, 0, 0]);
  });
});

describe('first start after the operator deleted every account', () => {
  test('does not create the first account again', async (t) => {
    const storage = await createTestStorage();
    t.after(() => storage.cleanup());
    const config = loadConfig({ ...storage.env, MAWS_PORT: '0', MAWS_LOG_LEVEL: 'silent', MAWS_OPERATOR_TOKEN: OPERATOR_TOKEN });
    const operator = (url: string, method: string, path: string) =>
      httpJson(`${url}${path}`, method, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
    const first = await startServer(config);
    assert.ok(first.bootstrap);
    try {
      const [account] = (await operator(first.url, 'GET', BASE)).body.accounts;
      assert.equal(account.name, 'admin');
      assert.equal((await operator(first.url, 'DELETE', `${BASE}/admin`)).status, 200);
    } finally {
      await first.close();
    }
    const second = await startServer(config);
    try {
      assert.equal(second.bootstrap, null);
      assert.deepEqual((await operator(second.url, 'GET', BASE)).body.accounts, []);
    } finally {
      await second.close();
    }
  });
});
