import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSdkHcClient } from './helpers/modelarts-sdk-client.js';
import { assertError, HEX32, signedApi } from './helpers/fixtures.js';
import { createIdentityRepository } from '../src/iam/identity.repository.js';
import { observePasswordVerifications } from '../src/iam/password.js';
import { startTestServer, type TestServer, type TestUser } from './helpers/server.js';

function passwordAuth(user: Record<string, unknown>, scope?: Record<string, unknown>) {
  return { auth: { identity: { methods: ['password'], password: { user } }, ...(scope ? { scope } : {}) } };
}

describe('POST /v3/auth/tokens', () => {
  let srv: TestServer;
  let user: TestUser;

  before(async () => {
    srv = await startTestServer();
    user = await srv.newUser();
  });
  after(() => srv.close());

  const issue = (body: unknown) => srv.api('POST', '/v3/auth/tokens', { body });

  test('a project-scoped token: 201, X-Subject-Token, 24 h expiry, usable on that project', async () => {
    const before = Date.now();
    const res = await issue(passwordAuth({ name: user.name, password: user.password, domain: { name: srv.domainName } }, { project: { name: srv.projectName } }));
    assert.equal(res.status, 201);
    const token = res.headers.get('x-subject-token')!;
    assert.ok(token.length > 40);
    assert.equal(res.headers.get('x-request-id')?.length, 32);
    const t = res.body.token;
    assert.deepEqual(t.methods, ['password']);
    assert.equal(t.user.id, user.id);
    assert.equal(t.user.name, user.name);
    assert.equal(t.project.id, srv.projectId);
    assert.equal(t.project.domain.name, srv.domainName);
    const ttl = Date.parse(t.expires_at) - Date.parse(t.issued_at);
    assert.equal(ttl, 24 * 3600 * 1000);
    assert.ok(Date.parse(t.issued_at) >= before - 1000);
    assert.equal((await srv.api('GET', `/v1/${srv.projectId}/workspaces/0`, { token })).status, 200);
  });

  test('the user by id, the project by id, or the domain by id work too', async () => {
    const byId = await issue(passwordAuth({ id: user.id, password: user.password }, { project: { id: srv.projectId } }));
    assert.equal(byId.status, 201);
    assert.equal(byId.body.token.project.name, srv.projectName);
    const domainId = byId.body.token.user.domain.id;
    const byDomainId = await issue(passwordAuth({ name: user.name, password: user.password, domain: { id: domainId } }, { project: { name: srv.projectName } }));
    assert.equal(byDomainId.status, 201);
  });

  test('a domain-scoped token has no project: /v1 routes answer 403 ModelArts.0210', async () => {
    const res = await issue(passwordAuth({ name: user.name, password: user.password, domain: { name: srv.domainName } }, { domain: { name: srv.domainName } }));
    assert.equal(res.status, 201);
    assert.equal(res.body.token.project, undefined);
    assert.equal(res.body.token.domain.name, srv.domainName);
    const token = res.headers.get('x-subject-token')!;
    assertError(await srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token }), 403, 'ModelArts.0210');
  });

  test('wrong password, unknown user, unknown domain, unknown project: 401 APIGW.0301, no token', async () => {
    const cases = [
      passwordAuth({ name: user.name, password: 'Wrong-Passw0rd', domain: { name: srv.domainName } }, { project: { name: srv.projectName } }),
      passwordAuth({ name: 'nobody-here', password: user.password, domain: { name: srv.domainName } }, { project: { name: srv.projectName } }),
      passwordAuth({ name: user.name, password: user.password, domain: { name: 'no-such-domain' } }, { project: { name: srv.projectName } }),
      passwordAuth({ name: user.name, password: user.password, domain: { name: srv.domainName } }, { project: { name: 'no-such-project' } }),
      passwordAuth({ id: 'f'.repeat(32), password: user.password }),
    ];
    for (const body of cases) {
      const res = await issue(body);
      assertError(res, 401, 'APIGW.0301');
      assert.equal(res.headers.get('x-subject-token'), null);
    }
  });

  test('malformed requests: 400 IAM.0001', async () => {
    const cases: unknown[] = [
      {},
      { auth: { identity: { methods: ['token'], password: { user: { name: 'a', password: 'b' } } } } },
      passwordAuth({ name: user.name, password: user.password }),
      passwordAuth({ name: user.name, domain: { name: srv.domainName } }),
      passwordAuth({ name: user.name, password: 12345678, domain: { name: srv.domainName } }),
    ];
    for (const body of cases) assertError(await issue(body), 400, 'IAM.0001');
    assertError(await srv.api('POST', '/v3/auth/tokens', { rawBody: '{"auth":', headers: { 'content-type': 'application/json' } }), 400, 'IAM.0001');
  });

  test('a disabled user cannot log in', async () => {
    const other = await srv.newUser();
    const token = await srv.rootToken();
    assert.equal((await srv.api('PATCH', `/v3/users/${other.id}`, { token, body: { user: { enabled: false } } })).status, 200);
    assertError(await issue(passwordAuth({ name: other.name, password: other.password, domain: { name: srv.domainName } })), 401, 'APIGW.0301');
  });

  test('every refused login does the scrypt work of one wrong password, so its timing tells no user names', async () => {
    const identity = createIdentityRepository();
    const disabled = await srv.newUser();
    await identity.updateUser(srv.server.db, disabled.id, { enabled: false });
    const passwordless = await srv.newUser();
    await identity.updateUser(srv.server.db, passwordless.id, { password_hash: null });
    const domain = { name: srv.domainName };
    const verificationsOf = async (body: unknown, status: number) => {
      const costs: unknown[] = [];
      const stop = observePasswordVerifications((cost) => costs.push(cost));
      try {
        const res = await issue(body);
        assert.equal(res.status, status, JSON.stringify(res.body));
      } finally {
        stop();
      }
      return costs;
    };
    const wrongPassword = await verificationsOf(passwordAuth({ name: user.name, password: 'Wrong-Passw0rd', domain }), 401);
    assert.equal(wrongPassword.length, 1);
    assert.deepEqual(await verificationsOf(passwordAuth({ name: user.name, password: user.password, domain }), 201), wrongPassword);
    const refused: Array<[string, unknown]> = [
      ['unknown user name', passwordAuth({ name: 'nobody-here', password: user.password, domain })],
      ['unknown user id', passwordAuth({ id: 'f'.repeat(32), password: user.password })],
      ['unknown domain name', passwordAuth({ name: user.name, password: user.password, domain: { name: 'no-such-domain' } })],
      ['unknown domain id', passwordAuth({ name: user.name, password: user.password, domain: { id: 'f'.repeat(32) } })],
      ['disabled user, right password', passwordAuth({ name: disabled.name, password: disabled.password, domain })],
      ['user without a password', passwordAuth({ name: passwordless.name, password: passwordless.password, domain })],
      ['user without a password, by id', passwordAuth({ id: passwordless.id, password: passwordless.password })],
    ];
    const seen: Record<string, unknown[]> = {};
    const expected: Record<string, unknown[]> = {};
    for (const [label, body] of refused) {
      seen[label] = await verificationsOf(body, 401);
      expected[label] = wrongPassword;
    }
    assert.deepEqual(seen, expected);
  });
});

describe('DELETE /v3/auth/tokens', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  test('a user revokes its own token: 204, then the token is refused', async () => {
    const user = await srv.newUser();
    const token = await srv.login(user);
    const res = await srv.api('DELETE', '/v3/auth/tokens', { token, headers: { 'x-subject-token': token } });
    assert.equal(res.status, 204);
    assertError(await srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token }), 401, 'APIGW.0301');
  });

  test('root revokes any token of its account; a user cannot revoke another user\'s', async () => {
    const a = await srv.newUser();
    const b = await srv.newUser();
    const [ta, tb] = [await srv.login(a), await srv.login(b)];
    assertError(await srv.api('DELETE', '/v3/auth/tokens', { token: tb, headers: { 'x-subject-token': ta } }), 404, 'IAM.0003');
    assert.equal((await srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token: ta })).status, 200);
    const root = await srv.rootToken();
    assert.equal((await srv.api('DELETE', '/v3/auth/tokens', { token: root, headers: { 'x-subject-token': ta } })).status, 204);
    assertError(await srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token: ta }), 401, 'APIGW.0301');
  });

  test('unknown token 404, missing header 400, no credentials 401', async () => {
    const root = await srv.rootToken();
    assertError(await srv.api('DELETE', '/v3/auth/tokens', { token: root, headers: { 'x-subject-token': 'MAWSnope' } }), 404, 'IAM.0003');
    assertError(await srv.api('DELETE', '/v3/auth/tokens', { token: root }), 400, 'IAM.0001');
    assertError(await srv.api('DELETE', '/v3/auth/tokens', { headers: { 'x-subject-token': root } }), 401, 'APIGW.0301');
  });
});

describe('GET /v3/projects', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  test('lists the account\'s projects, filtered by name, with a token', async () => {
    const token = await srv.rootToken();
    const all = await srv.api('GET', '/v3/projects', { token });
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.projects.map((p: { id: string }) => p.id), [srv.projectId]);
    assert.equal(all.body.projects[0].name, srv.projectName);
    assert.equal(all.body.projects[0].enabled, true);
    const named = await srv.api('GET', `/v3/projects?name=${srv.projectName}`, { token });
    assert.equal(named.body.projects.length, 1);
    const none = await srv.api('GET', '/v3/projects?name=elsewhere-1', { token });
    assert.deepEqual(none.body.projects, []);
  });

  test('answers the official SDK\'s region lookup, signed with AK/SK', async () => {
    const client = createSdkHcClient({ endpoint: srv.url, ak: srv.root.accessKey, sk: srv.root.secretKey, projectId: srv.projectId });
    const res: any = await client.sendRequest({
      method: 'GET',
      url: '/v3/projects',
      contentType: 'application/json',
      queryParams: { name: srv.projectName },
      pathParams: {},
      headers: {},
      responseHeaders: [''],
    } as never);
    assert.equal(res.projects.length, 1);
    assert.match(res.projects[0].id, HEX32);
    const signed = await signedApi(srv, 'GET', `/v3/projects?name=${srv.projectName}`, { ak: srv.root.accessKey, sk: srv.root.secretKey });
    assert.equal(signed.status, 200);
  });

  test('without credentials: 401 APIGW.0301', async () => {
    assertError(await srv.api('GET', '/v3/projects'), 401, 'APIGW.0301');
  });
});

describe('credential cache across replicas', () => {
  test('a token revoked by another replica stops working within MAWS_AUTH_CACHE_MS', async () => {
    let clock = Date.now();
    const srv = await startTestServer({ MAWS_AUTH_CACHE_MS: '300' }, () => clock);
    try {
      const token = await srv.rootToken();
      const path = `/v1/${srv.projectId}/workspaces/0`;
      assert.equal((await srv.api('GET', path, { token })).status, 200);
      // Another replica revokes it: the row goes, this replica is not told.
      await srv.server.db.deleteFrom('tokens').execute();
      clock += 299;
      assert.equal((await srv.api('GET', path, { token })).status, 200, 'still cached');
      clock += 2;
      assertError(await srv.api('GET', path, { token }), 401, 'APIGW.0301');
    } finally {
      await srv.close();
    }
  });
});
