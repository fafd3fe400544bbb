import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ClientRequestException } from '@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException.js';
import { newId } from '../src/ids.js';
import { createIdentityRepository } from '../src/iam/identity.repository.js';
import { hashPassword } from '../src/iam/password.js';
import { assertError } from './helpers/fixtures.js';
import { createModelArtsSdkClient, createSdkHcClient } from './helpers/modelarts-sdk-client.js';
import { ROOT_PASSWORD, startTestServer, type TestServer, USER_PASSWORD } from './helpers/server.js';

// Written directly, as another replica or an operator would.
const identityRepository = createIdentityRepository();

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const NEW_PASSWORD = 'Changed-Passw0rd';


const uniqueName = (prefix = 'u') => `${prefix}${randomBytes(4).toString('hex')}`;

/** A second account (domain) with its own root user, logged in with a domain-scoped token. */
async function foreignAccount(srv: TestServer) {
  const db = srv.server.db;
  const name = uniqueName('other');
  const domainId = newId();
  const userId = newId();
  await identityRepository.insertDomain(db, { id: domainId, name, enabled: 1, created_at: Date.now() });
  await identityRepository.insertUser(db, {
    id: userId,
    domain_id: domainId,
    name,
    password_hash: await hashPassword(ROOT_PASSWORD),
    description: '',
    is_root: true,
    enabled: true,
    created_at: Date.now(),
  });
  const res = await srv.api('POST', '/v3/auth/tokens', {
    body: { auth: { identity: { methods: ['password'], password: { user: { name, password: ROOT_PASSWORD, domain: { name } } } } } },
  });
  assert.equal(res.status, 201);
  return { domainId, userId, token: res.headers.get('x-subject-token')! };
}

describe('IAM users: /v3/users', () => {
  let srv: TestServer;
  let root: string;

  before(async () => {
    srv = await startTestServer();
    root = await srv.rootToken();
  });
  after(() => srv.close());

  const createUser = (body: object, token = root) => srv.api('POST', '/v3/users', { token, body: { user: body } });
  const tryLogin = (name: string, password: string) =>
    srv.api('POST', '/v3/auth/tokens', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name, password, domain: { name: srv.domainName } } } },
          scope: { project: { name: srv.projectName } },
        },
      },
    });
  const listWorkspaces = (token: string) => srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token });

  describe('POST /v3/users', () => {
    test('creates a user (201) who can log in and call the workspace API', async () => {
      const name = uniqueName('alice.');
      const res = await createUser({ name, password: USER_PASSWORD, description: 'data scientist' });
      assert.equal(res.status, 201);
      const user = res.body.user;
      assert.deepEqual(Object.keys(user).sort(), ['created_at', 'description', 'domain_id', 'enabled', 'id', 'is_root', 'name']);
      assert.match(user.id, /^[0-9a-f]{32}$/);
      assert.equal(user.name, name);
      assert.equal(user.description, 'data scientist');
      assert.equal(user.enabled, true);
      assert.equal(user.is_root, false);
      assert.match(user.created_at, ISO);
      const rootRow = await identityRepository.findUserById(srv.server.db, srv.root.id);
      assert.equal(user.domain_id, rootRow!.domain_id);
      assert.doesNotMatch(JSON.stringify(res.body), /scrypt|password/);

      const token = await srv.login({ name, password: USER_PASSWORD });
      const listed = await listWorkspaces(token);
      assert.equal(listed.status, 200);
      assert.ok(Array.isArray(listed.body.workspaces));
    });

    test('accepts domain_id equal to the caller\'s, and enabled:false (such a user cannot log in)', async () => {
      const rootRow = await identityRepository.findUserById(srv.server.db, srv.root.id);
      const name = uniqueName();
      const res = await createUser({ name, password: USER_PASSWORD, enabled: false, domain_id: rootRow!.domain_id });
      assert.equal(res.status, 201);
      assert.equal(res.body.user.enabled, false);
      assert.equal(res.body.user.description, '');
      assertError(await tryLogin(name, USER_PASSWORD), 401, 'APIGW.0301');
    });

    test('a root AK/SK signature is accepted (SDK signer)', async () => {
      const hc = createSdkHcClient({ endpoint: srv.url, ak: srv.root.accessKey, sk: srv.root.secretKey, projectId: srv.projectId });
      const name = uniqueName('signed');
      const res: any = await hc.sendRequest({
        method: 'POST',
        url: '/v3/users',
        contentType: 'application/json',
        queryParams: {},
        pathParams: {},
        headers: { 'Content-Type': 'application/json' },
        data: { user: { name, password: USER_PASSWORD } },
      });
      assert.equal(res.httpStatusCode, 201);
      assert.equal(res.user.name, name);
    });

    test('validation failures are 400 IAM.0001 with the error body and X-Request-Id', async () => {
      const cases: Array<[object, RegExp?]> = [
        [{ name: '1abc', password: USER_PASSWORD }, /name/],
        [{ name: 'has space', password: USER_PASSWORD }],
        [{ name: 'a'.repeat(65), password: USER_PASSWORD }],
        [{ name: '', password: USER_PASSWORD }],
        [{ password: USER_PASSWORD }, /name is required/],
        [{ name: uniqueName() }, /password is required/],
        [{ name: uniqueName(), password: 'short1A' }, /8 to 32 characters/],
        [{ name: uniqueName(), password: 'alllowercaseletters' }, /at least two/],
        [{ name: uniqueName(), password: USER_PASSWORD, enabled: 'yes' }],
        [{ name: uniqueName(), password: USER_PASSWORD, description: 'x'.repeat(256) }],
        [{ name: uniqueName(), password: USER_PASSWORD, domain_id: newId() }, /domain/],
      ];
      for (const [body, message] of cases) assertError(await createUser(body), 400, 'IAM.0001', message);
      assertError(await srv.api('POST', '/v3/users', { token: root, body: { name: 'flat' } }), 400, 'IAM.0001');
      assertError(await srv.api('POST', '/v3/users', { token: root }), 400, 'IAM.0001');
    });

    test('a duplicate name in the domain is 409 IAM.0004', async () => {
      const name = uniqueName();
      assert.equal((await createUser({ name, password: USER_PASSWORD })).status, 201);
      assertError(await createUser({ name, password: USER_PASSWORD }), 409, 'IAM.0004', /already exists/);
      assertError(await createUser({ name: 'root', password: USER_PASSWORD }), 409, 'IAM.0004');
    });

    test('concurrent creates of one name: exactly one wins, the rest are 409', async () => {
      const name = uniqueName('race');
      const results = await Promise.all(Array.from({ length: 5 }, () => createUser({ name, password: USER_PASSWORD })));
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409]);
    });

    test('no credential is 401 APIGW.0301; a bad token is 401; a non-root user is 403 IAM.0002', async () => {
      assertError(await srv.api('POST', '/v3/users', { body: { user: { name: uniqueName(), password: USER_PASSWORD } } }), 401, 'APIGW.0301');
      assertError(await createUser({ name: uniqueName(), password: USER_PASSWORD }, 'not-a-token'), 401, 'APIGW.0301');
      const member = await srv.newUser();
      const token = await srv.login(member);
      assertError(await createUser({ name: uniqueName(), password: USER_PASSWORD }, token), 403, 'IAM.0002');
    });
  });

  describe('GET /v3/users and /v3/users/{user_id}', () => {
    test('root lists every user of its account; ?name= filters exactly', async () => {
      const member = await srv.newUser();
      const res = await srv.api('GET', '/v3/users', { token: root });
      assert.equal(res.status, 200);
      const names = res.body.users.map((u: any) => u.name);
      assert.ok(names.includes('root'));
      assert.ok(names.includes(member.name));
      const rootView = res.body.users.find((u: any) => u.name === 'root');
      assert.equal(rootView.is_root, true);
      assert.equal(rootView.id, srv.root.id);
      assert.doesNotMatch(JSON.stringify(res.body), /scrypt|password/);

      const filtered = await srv.api('GET', `/v3/users?name=${member.name}`, { token: root });
      assert.equal(filtered.status, 200);
      assert.deepEqual(filtered.body.users.map((u: any) => u.id), [member.id]);
      const partial = await srv.api('GET', `/v3/users?name=${member.name.slice(0, 4)}`, { token: root });
      assert.deepEqual(partial.body.users, []);
    });

    test('listing is root-only (403 for others, 401 without credential)', async () => {
      const member = await srv.newUser();
      assertError(await srv.api('GET', '/v3/users', { token: await srv.login(member) }), 403, 'IAM.0002');
      assertError(await srv.api('GET', '/v3/users'), 401, 'APIGW.0301');
    });

    test('root reads any user; a user reads only themselves', async () => {
      const member = await srv.newUser();
      const other = await srv.newUser();
      const byRoot = await srv.api('GET', `/v3/users/${member.id}`, { token: root });
      assert.equal(byRoot.status, 200);
      assert.equal(byRoot.body.user.name, member.name);
      assert.equal(byRoot.body.user.is_root, false);

      const token = await srv.login(member);
      const self = await srv.api('GET', `/v3/users/${member.id}`, { token });
      assert.equal(self.status, 200);
      assert.equal(self.body.user.id, member.id);
      assertError(await srv.api('GET', `/v3/users/${other.id}`, { token }), 403, 'IAM.0002');
      assertError(await srv.api('GET', `/v3/users/${srv.root.id}`, { token }), 403, 'IAM.0002');
      assertError(await srv.api('GET', `/v3/users/${member.id}`), 401, 'APIGW.0301');
    });

    test('unknown ids are 404 IAM.0003; malformed ids 400 IAM.0001', async () => {
      assertError(await srv.api('GET', `/v3/users/${newId()}`, { token: root }), 404, 'IAM.0003');
      assertError(await srv.api('GET', '/v3/users/bad%20id', { token: root }), 400, 'IAM.0001');
    });
  });

  describe('PATCH /v3/users/{user_id}', () => {
    test('updates description, name and enabled (200 {user})', async () => {
      const member = await srv.newUser();
      const newName = uniqueName('renamed-');
      const res = await srv.api('PATCH', `/v3/users/${member.id}`, {
        token: root,
        body: { user: { name: newName, description: 'updated' } },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.id, member.id);
      assert.equal(res.body.user.name, newName);
      assert.equal(res.body.user.description, 'updated');
      assert.equal(res.body.user.enabled, true);
      const shown = await srv.api('GET', `/v3/users/${member.id}`, { token: root });
      assert.equal(shown.body.user.name, newName);
      // the new name logs in, the old one does not
      assert.equal((await tryLogin(newName, member.password)).status, 201);
      assertError(await tryLogin(member.name, member.password), 401, 'APIGW.0301');
    });

    test('a password change revokes the user\'s tokens; the new password logs in', async () => {
      const member = await srv.newUser();
      const token = await srv.login(member);
      assert.equal((await listWorkspaces(token)).status, 200);
      const res = await srv.api('PATCH', `/v3/users/${member.id}`, { token: root, body: { user: { password: NEW_PASSWORD } } });
      assert.equal(res.status, 200);
      assertError(await listWorkspaces(token), 401, 'APIGW.0301');
      assertError(await tryLogin(member.name, member.password), 401, 'APIGW.0301');
      assert.equal((await tryLogin(member.name, NEW_PASSWORD)).status, 201);
    });

    test('disabling a user makes their token and access key fail with 401; enabling restores login', async () => {
      const member = await srv.newUser();
      const token = await srv.login(member);
      const sdk = createModelArtsSdkClient({ endpoint: srv.url, ak: member.accessKey, sk: member.secretKey, projectId: srv.projectId });
      assert.equal((await sdk.listWorkspace()).httpStatusCode, 200);

      const res = await srv.api('PATCH', `/v3/users/${member.id}`, { token: root, body: { user: { enabled: false } } });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.enabled, false);
      assertError(await listWorkspaces(token), 401, 'APIGW.0301');
      assertError(await srv.api('GET', `/v3/users/${member.id}`, { token }), 401, 'APIGW.0301');
      assertError(await tryLogin(member.name, member.password), 401, 'APIGW.0301');
      await assert.rejects(sdk.listWorkspace(), (err: unknown) => {
        assert.ok(err instanceof ClientRequestException);
        assert.equal(err.httpStatusCode, 401);
        assert.equal(err.errorCode, 'APIGW.0301');
        return true;
      });

      const enabled = await srv.api('PATCH', `/v3/users/${member.id}`, { token: root, body: { user: { enabled: true } } });
      assert.equal(enabled.body.user.enabled, true);
      const again = await srv.login(member);
      assert.equal((await listWorkspaces(again)).status, 200);
      // the old token stays revoked
      assertError(await listWorkspaces(token), 401, 'APIGW.0301');
    });

    test('the root user cannot be disabled or renamed (400), but its description can change', async () => {
      assertError(await srv.api('PATCH', `/v3/users/${srv.root.id}`, { token: root, body: { user: { enabled: false } } }), 400, 'IAM.0001', /disabled/);
      assertError(await srv.api('PATCH', `/v3/users/${srv.root.id}`, { token: root, body: { user: { name: 'boss' } } }), 400, 'IAM.0001', /renamed/);
      const same = await srv.api('PATCH', `/v3/users/${srv.root.id}`, { token: root, body: { user: { name: 'root', description: 'the boss' } } });
      assert.equal(same.status, 200);
      assert.equal(same.body.user.description, 'the boss');
      assert.equal(same.body.user.enabled, true);
      assert.equal((await listWorkspaces(root)).status, 200);
    });

    test('renaming onto an existing name is 409; invalid input is 400; unknown user 404', async () => {
      const a = await srv.newUser();
      const b = await srv.newUser();
      assertError(await srv.api('PATCH', `/v3/users/${a.id}`, { token: root, body: { user: { name: b.name } } }), 409, 'IAM.0004');
      assertError(await srv.api('PATCH', `/v3/users/${a.id}`, { token: root, body: { user: { name: '9lives' } } }), 400, 'IAM.0001');
      assertError(await srv.api('PATCH', `/v3/users/${a.id}`, { token: root, body: { user: { password: 'weak' } } }), 400, 'IAM.0001', /8 to 32/);
      assertError(await srv.api('PATCH', `/v3/users/${a.id}`, { token: root, body: { user: { enabled: 0 } } }), 400, 'IAM.0001');
      assertError(await srv.api('PATCH', `/v3/users/${a.id}`, { token: root, body: {} }), 400, 'IAM.0001');
      assertError(await srv.api('PATCH', `/v3/users/${newId()}`, { token: root, body: { user: { description: 'x' } } }), 404, 'IAM.0003');
      // the failed password change did not revoke anything or change the password
      assert.equal((await tryLogin(a.name, a.password)).status, 201);
    });

    test('non-root users cannot update anyone, themselves included (403); no credential 401', async () => {
      const member = await srv.newUser();
      const token = await srv.login(member);
      assertError(await srv.api('PATCH', `/v3/users/${member.id}`, { token, body: { user: { description: 'me' } } }), 403, 'IAM.0002');
      assertError(await srv.api('PATCH', `/v3/users/${srv.root.id}`, { token, body: { user: { description: 'me' } } }), 403, 'IAM.0002');
      assertError(await srv.api('PATCH', `/v3/users/${member.id}`, { body: { user: { description: 'me' } } }), 401, 'APIGW.0301');
    });
  });

  describe('DELETE /v3/users/{user_id}', () => {
    test('204; tokens, access keys and workspace grants go with the user', async () => {
      const member = await srv.newUser();
      const bystander = await srv.newUser();
      const token = await srv.login(member);
      const ws = await srv.api('POST', `/v1/${srv.projectId}/workspaces`, {
        token: root,
        body: { name: uniqueName('ws-'), auth_type: 'INTERNAL', grants: [{ user_name: member.name }, { user_name: bystander.name }] },
      });
      assert.equal(ws.status, 200, JSON.stringify(ws.body));
      assert.deepEqual(ws.body.grants.map((g: any) => g.user_id), [member.id, bystander.id]);

      const res = await srv.api('DELETE', `/v3/users/${member.id}`, { token: root });
      assert.equal(res.status, 204);
      assert.equal(res.body, undefined);

      assertError(await srv.api('GET', `/v3/users/${member.id}`, { token: root }), 404, 'IAM.0003');
      assertError(await listWorkspaces(token), 401, 'APIGW.0301');
      assertError(await tryLogin(member.name, member.password), 401, 'APIGW.0301');
      const sdk = createModelArtsSdkClient({ endpoint: srv.url, ak: member.accessKey, sk: member.secretKey, projectId: srv.projectId });
      await assert.rejects(sdk.listWorkspace(), (err: any) => err.httpStatusCode === 401 && err.errorCode === 'APIGW.0301');
      const keys = await srv.api('GET', '/v3.0/OS-CREDENTIAL/credentials', { token: root });
      assert.ok(!keys.body.credentials.some((c: any) => c.user_id === member.id));

      const shown = await srv.api('GET', `/v1/${srv.projectId}/workspaces/${ws.body.id}`, { token: root });
      assert.equal(shown.status, 200);
      assert.deepEqual(shown.body.grants, [{ user_id: bystander.id, user_name: bystander.name, user_type: 'IAM' }]);

      assertError(await srv.api('DELETE', `/v3/users/${member.id}`, { token: root }), 404, 'IAM.0003');
      // the name is free again
      assert.equal((await createUser({ name: member.name, password: USER_PASSWORD })).status, 201);
    });

    test('the root user cannot be deleted (400); non-root 403; no credential 401; unknown 404', async () => {
      assertError(await srv.api('DELETE', `/v3/users/${srv.root.id}`, { token: root }), 400, 'IAM.0001', /root/);
      const member = await srv.newUser();
      const other = await srv.newUser();
      const token = await srv.login(member);
      assertError(await srv.api('DELETE', `/v3/users/${other.id}`, { token }), 403, 'IAM.0002');
      assertError(await srv.api('DELETE', `/v3/users/${member.id}`, { token }), 403, 'IAM.0002');
      assertError(await srv.api('DELETE', `/v3/users/${other.id}`), 401, 'APIGW.0301');
      assertError(await srv.api('DELETE', `/v3/users/${newId()}`, { token: root }), 404, 'IAM.0003');
      assert.equal((await srv.api('GET', `/v3/users/${other.id}`, { token: root })).status, 200);
    });
  });

  describe('accounts are isolated', () => {
    test("another account's root sees none of this account's users (404) and cannot add to this domain", async () => {
      const foreign = await foreignAccount(srv);
      const member = await srv.newUser();
      const t = foreign.token;
      assertError(await srv.api('GET', `/v3/users/${member.id}`, { token: t }), 404, 'IAM.0003');
      assertError(await srv.api('PATCH', `/v3/users/${member.id}`, { token: t, body: { user: { enabled: false } } }), 404, 'IAM.0003');
      assertError(await srv.api('DELETE', `/v3/users/${member.id}`, { token: t }), 404, 'IAM.0003');
      const rootRow = await identityRepository.findUserById(srv.server.db, srv.root.id);
      assertError(
        await createUser({ name: uniqueName(), password: USER_PASSWORD, domain_id: rootRow!.domain_id }, t),
        400,
        'IAM.0001',
      );
      const listed = await srv.api('GET', '/v3/users', { token: t });
      assert.deepEqual(listed.body.users.map((u: any) => u.id), [foreign.userId]);
      // the same name may exist in both accounts
      const same = await createUser({ name: member.name, password: USER_PASSWORD }, t);
      assert.equal(same.status, 201);
      assert.equal(same.body.user.domain_id, foreign.domainId);
      // and our member is untouched
      assert.equal((await srv.api('GET', `/v3/users/${member.id}`, { token: root })).body.user.enabled, true);
      // and root of this account cannot see theirs
      assertError(await srv.api('GET', `/v3/users/${foreign.userId}`, { token: root }), 404, 'IAM.0003');
    });
  });
});
