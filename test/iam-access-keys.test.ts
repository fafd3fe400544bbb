import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientRequestException } from '@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException.js';
import { newAccessKey, newId } from '../src/ids.js';
import { assertError, foreignRootToken } from './helpers/fixtures.js';
import { createModelArtsSdkClient, createSdkHcClient } from './helpers/modelarts-sdk-client.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const BASE = '/v3.0/OS-CREDENTIAL/credentials';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;


function isUnauthenticated(err: unknown): boolean {
  assert.ok(err instanceof ClientRequestException, String(err));
  assert.equal(err.httpStatusCode, 401);
  assert.equal(err.errorCode, 'APIGW.0301');
  return true;
}


describe('IAM access keys: /v3.0/OS-CREDENTIAL/credentials', () => {
  let srv: TestServer;
  let root: string;

  before(async () => {
    srv = await startTestServer();
    root = await srv.rootToken();
  });
  after(() => srv.close());

  const create = (userId: string, token = root, description?: string) =>
    srv.api('POST', BASE, { token, body: { credential: { user_id: userId, ...(description !== undefined ? { description } : {}) } } });
  const sdkFor = (ak: string, sk: string) => createModelArtsSdkClient({ endpoint: srv.url, ak, sk, projectId: srv.projectId });

  describe('POST', () => {
    test('a user creates a key for themselves (201, secret only here) and it signs accepted requests', async () => {
      const member = await srv.newUser();
      const token = await srv.login(member);
      const res = await create(member.id, token, 'ci pipeline');
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const c = res.body.credential;
      assert.deepEqual(Object.keys(c).sort(), ['access', 'create_time', 'description', 'secret', 'status', 'user_id']);
      assert.match(c.access, /^[A-Z0-9]{20}$/);
      assert.match(c.secret, /^[A-Za-z0-9]{40}$/);
      assert.equal(c.user_id, member.id);
      assert.equal(c.status, 'active');
      assert.equal(c.description, 'ci pipeline');
      assert.match(c.create_time, ISO);

      // the generated ModelArts client, signing with the new key
      const listed = await sdkFor(c.access, c.secret).listWorkspace();
      assert.equal(listed.httpStatusCode, 200);
      // and a signed IAM call: the secret is never shown again
      const hc = createSdkHcClient({ endpoint: srv.url, ak: c.access, sk: c.secret, projectId: srv.projectId });
      const shown: any = await hc.sendRequest({
        method: 'GET',
        url: `${BASE}/{access_key}`,
        contentType: 'application/json',
        queryParams: {},
        pathParams: { access_key: c.access },
        headers: {},
      });
      assert.equal(shown.httpStatusCode, 200);
      assert.equal(shown.credential.access, c.access);
      assert.equal(shown.credential.secret, undefined);
    });

    test('root creates a key for any user of its account', async () => {
      const member = await srv.newUser();
      const res = await create(member.id);
      assert.equal(res.status, 201);
      assert.equal(res.body.credential.user_id, member.id);
      assert.equal(res.body.credential.description, '');
      assert.equal((await sdkFor(res.body.credential.access, res.body.credential.secret).listWorkspace()).httpStatusCode, 200);
    });

    test('at most two keys per user: the third is 409 IAM.0004', async () => {
      const member = await srv.newUser(); // the factory gives it one key already
      assert.equal((await create(member.id)).status, 201);
      assertError(await create(member.id), 409, 'IAM.0004', /maximum is 2/);
      const token = await srv.login(member);
      assertError(await create(member.id, token), 409, 'IAM.0004');
      // deleting one frees a slot
      assert.equal((await srv.api('DELETE', `${BASE}/${member.accessKey}`, { token })).status, 204);
      assert.equal((await create(member.id, token)).status, 201);
    });

    test('concurrent creates never exceed the limit', async () => {
      const member = await srv.newUser();
      const results = await Promise.all(Array.from({ length: 4 }, () => create(member.id)));
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409]);
    });

    test('a user cannot create a key for someone else (403); unknown user 404; no credential 401', async () => {
      const member = await srv.newUser();
      const other = await srv.newUser();
      const token = await srv.login(member);
      assertError(await create(other.id, token), 403, 'IAM.0002');
      assertError(await create(srv.root.id, token), 403, 'IAM.0002');
      assertError(await create(newId()), 404, 'IAM.0003');
      assertError(await srv.api('POST', BASE, { body: { credential: { user_id: member.id } } }), 401, 'APIGW.0301');
    });

    test('validation failures are 400 IAM.0001', async () => {
      const member = await srv.newUser();
      assertError(await srv.api('POST', BASE, { token: root, body: { credential: {} } }), 400, 'IAM.0001', /user_id is required/);
      assertError(await srv.api('POST', BASE, { token: root, body: { user_id: member.id } }), 400, 'IAM.0001');
      assertError(await srv.api('POST', BASE, { token: root, body: { credential: { user_id: 42 } } }), 400, 'IAM.0001');
      assertError(await create(member.id, root, 'x'.repeat(256)), 400, 'IAM.0001');
      // malformed JSON: 400 in the error shape (the code comes from the shared body parser)
      const malformed = await srv.api('POST', BASE, { token: root, rawBody: '{', headers: { 'content-type': 'application/json' } });
      assertError(malformed, 400, malformed.body.error_code);
    });
  });

  describe('GET', () => {
    test('root lists every key of its account, or one user\'s; never secrets', async () => {
      const a = await srv.newUser();
      const b = await srv.newUser();
      const all = await srv.api('GET', BASE, { token: root });
      assert.equal(all.status, 200);
      const access = all.body.credentials.map((c: any) => c.access);
      for (const ak of [srv.root.accessKey, a.accessKey, b.accessKey]) assert.ok(access.includes(ak));
      for (const c of all.body.credentials) {
        assert.deepEqual(Object.keys(c).sort(), ['access', 'create_time', 'description', 'status', 'user_id']);
      }
      assert.ok(!JSON.stringify(all.body).includes(a.secretKey));

      const filtered = await srv.api('GET', `${BASE}?user_id=${a.id}`, { token: root });
      assert.deepEqual(filtered.body.credentials.map((c: any) => c.access), [a.accessKey]);
      assertError(await srv.api('GET', `${BASE}?user_id=${newId()}`, { token: root }), 404, 'IAM.0003');
      assertError(await srv.api('GET', `${BASE}?user_id=bad%20id`, { token: root }), 400, 'IAM.0001');
    });

    test('a user lists only their own keys; filtering on another user is 403', async () => {
      const a = await srv.newUser();
      const b = await srv.newUser();
      const token = await srv.login(a);
      const own = await srv.api('GET', BASE, { token });
      assert.deepEqual(own.body.credentials.map((c: any) => c.access), [a.accessKey]);
      const ownFiltered = await srv.api('GET', `${BASE}?user_id=${a.id}`, { token });
      assert.deepEqual(ownFiltered.body.credentials.map((c: any) => c.access), [a.accessKey]);
      assertError(await srv.api('GET', `${BASE}?user_id=${b.id}`, { token }), 403, 'IAM.0002');
      assertError(await srv.api('GET', BASE), 401, 'APIGW.0301');
    });

    test('GET one key: own or (root) any; another user\'s is not found (404), like an unknown one', async () => {
      const a = await srv.newUser();
      const b = await srv.newUser();
      const token = await srv.login(a);
      const own = await srv.api('GET', `${BASE}/${a.accessKey}`, { token });
      assert.equal(own.status, 200);
      assert.deepEqual(own.body.credential, {
        access: a.accessKey,
        user_id: a.id,
        status: 'active',
        description: '',
        create_time: own.body.credential.create_time,
      });
      assert.match(own.body.credential.create_time, ISO);
      assert.equal((await srv.api('GET', `${BASE}/${b.accessKey}`, { token: root })).status, 200);
      assertError(await srv.api('GET', `${BASE}/${b.accessKey}`, { token }), 404, 'IAM.0003', `Could not find credential: ${b.accessKey}.`);
      assertError(await srv.api('GET', `${BASE}/${srv.root.accessKey}`, { token }), 404, 'IAM.0003');
      assertError(await srv.api('GET', `${BASE}/NOSUCHKEY0000000000`, { token: root }), 404, 'IAM.0003');
      assertError(await srv.api('GET', `${BASE}/not-a-key`, { token: root }), 400, 'IAM.0001');
      assertError(await srv.api('GET', `${BASE}/${a.accessKey}`), 401, 'APIGW.0301');
    });
  });

  describe('PUT', () => {
    test('deactivating a key makes AK/SK auth fail with 401; reactivating restores it', async () => {
      const member = await srv.newUser();
      const sdk = sdkFor(member.accessKey, member.secretKey);
      assert.equal((await sdk.listWorkspace()).httpStatusCode, 200);

      const res = await srv.api('PUT', `${BASE}/${member.accessKey}`, {
        token: root,
        body: { credential: { status: 'inactive', description: 'rotated out' } },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.credential.status, 'inactive');
      assert.equal(res.body.credential.description, 'rotated out');
      assert.equal(res.body.credential.access, member.accessKey);
      assert.equal(res.body.credential.secret, undefined);
      await assert.rejects(sdk.listWorkspace(), isUnauthenticated);

      const shown = await srv.api('GET', `${BASE}/${member.accessKey}`, { token: root });
      assert.equal(shown.body.credential.status, 'inactive');

      const token = await srv.login(member);
      const back = await srv.api('PUT', `${BASE}/${member.accessKey}`, { token, body: { credential: { status: 'active' } } });
      assert.equal(back.status, 200);
      assert.equal(back.body.credential.status, 'active');
      assert.equal(back.body.credential.description, 'rotated out');
      assert.equal((await sdk.listWorkspace()).httpStatusCode, 200);
    });

    test('a user may deactivate the key they are signing with', async () => {
      const member = await srv.newUser();
      const hc = createSdkHcClient({ endpoint: srv.url, ak: member.accessKey, sk: member.secretKey, projectId: srv.projectId });
      const put = () =>
        hc.sendRequest({
          method: 'PUT',
          url: `${BASE}/{access_key}`,
          contentType: 'application/json',
          queryParams: {},
          pathParams: { access_key: member.accessKey },
          headers: { 'Content-Type': 'application/json' },
          data: { credential: { status: 'inactive' } },
        });
      const res: any = await put();
      assert.equal(res.httpStatusCode, 200);
      assert.equal(res.credential.status, 'inactive');
      await assert.rejects(put(), isUnauthenticated);
    });

    test('invalid input 400; another user\'s key and an unknown one 404; no credential 401', async () => {
      const a = await srv.newUser();
      const b = await srv.newUser();
      const token = await srv.login(a);
      const put = (ak: string, body: unknown, t = root) => srv.api('PUT', `${BASE}/${ak}`, { token: t, body });
      assertError(await put(a.accessKey, { credential: { status: 'disabled' } }), 400, 'IAM.0001');
      assertError(await put(a.accessKey, { credential: { description: 'x'.repeat(256) } }), 400, 'IAM.0001');
      assertError(await put(a.accessKey, { status: 'inactive' }), 400, 'IAM.0001');
      assertError(await put(b.accessKey, { credential: { status: 'inactive' } }, token), 404, 'IAM.0003');
      assertError(await put('NOSUCHKEY0000000000', { credential: { status: 'inactive' } }), 404, 'IAM.0003');
      assertError(await srv.api('PUT', `${BASE}/${a.accessKey}`, { body: { credential: { status: 'inactive' } } }), 401, 'APIGW.0301');
      for (const ak of [a.accessKey, b.accessKey]) {
        const shown = await srv.api('GET', `${BASE}/${ak}`, { token: root });
        assert.equal(shown.body.credential.status, 'active');
      }
    });
  });

  describe('DELETE', () => {
    test('204; the deleted key no longer signs (401) and is gone (404)', async () => {
      const member = await srv.newUser();
      const sdk = sdkFor(member.accessKey, member.secretKey);
      assert.equal((await sdk.listWorkspace()).httpStatusCode, 200);
      const res = await srv.api('DELETE', `${BASE}/${member.accessKey}`, { token: await srv.login(member) });
      assert.equal(res.status, 204);
      assert.equal(res.body, undefined);
      await assert.rejects(sdk.listWorkspace(), isUnauthenticated);
      assertError(await srv.api('GET', `${BASE}/${member.accessKey}`, { token: root }), 404, 'IAM.0003');
      assertError(await srv.api('DELETE', `${BASE}/${member.accessKey}`, { token: root }), 404, 'IAM.0003');
    });

    test("root deletes anyone's key; to a user another's is not found (404); no credential 401", async () => {
      const a = await srv.newUser();
      const b = await srv.newUser();
      const token = await srv.login(a);
      assertError(await srv.api('DELETE', `${BASE}/${b.accessKey}`, { token }), 404, 'IAM.0003');
      assertError(await srv.api('DELETE', `${BASE}/${srv.root.accessKey}`, { token }), 404, 'IAM.0003');
      assertError(await srv.api('DELETE', `${BASE}/${b.accessKey}`), 401, 'APIGW.0301');
      assert.equal((await sdkFor(b.accessKey, b.secretKey).listWorkspace()).httpStatusCode, 200);
      assert.equal((await srv.api('DELETE', `${BASE}/${b.accessKey}`, { token: root })).status, 204);
      await assert.rejects(sdkFor(b.accessKey, b.secretKey).listWorkspace(), isUnauthenticated);
    });
  });

  test("to an IAM user, another user's key and a key that does not exist answer alike (show, update, delete)", async () => {
    const a = await srv.newUser();
    const b = await srv.newUser();
    const token = await srv.login(a);
    const unknown = newAccessKey();
    const calls: Array<[string, (ak: string) => Promise<Awaited<ReturnType<TestServer['api']>>>]> = [
      ['GET', (ak) => srv.api('GET', `${BASE}/${ak}`, { token })],
      ['PUT', (ak) => srv.api('PUT', `${BASE}/${ak}`, { token, body: { credential: { status: 'inactive' } } })],
      ['DELETE', (ak) => srv.api('DELETE', `${BASE}/${ak}`, { token })],
    ];
    // The answer names the key asked about; apart from that and the request id it must not differ.
    const comparable = (res: { status: number; body: any }, ak: string) => ({
      status: res.status,
      error_code: res.body?.error_code,
      error_msg: String(res.body?.error_msg).replaceAll(ak, '<key>'),
      fields: Object.keys(res.body ?? {}).sort(),
    });
    for (const [method, call] of calls) {
      const existing = await call(b.accessKey);
      const missing = await call(unknown);
      assertError(missing, 404, 'IAM.0003', `Could not find credential: ${unknown}.`);
      assert.deepEqual(comparable(existing, b.accessKey), comparable(missing, unknown), method);
    }
    const shown = await srv.api('GET', `${BASE}/${b.accessKey}`, { token: root });
    assert.equal(shown.body.credential.status, 'active', 'the refused update changed nothing');
  });

  test("another account's root sees none of this account's keys (404 / not listed)", async () => {
    const member = await srv.newUser();
    const t = await foreignRootToken(srv);
    assertError(await srv.api('GET', `${BASE}/${member.accessKey}`, { token: t }), 404, 'IAM.0003');
    assertError(await srv.api('PUT', `${BASE}/${member.accessKey}`, { token: t, body: { credential: { status: 'inactive' } } }), 404, 'IAM.0003');
    assertError(await srv.api('DELETE', `${BASE}/${member.accessKey}`, { token: t }), 404, 'IAM.0003');
    assertError(await srv.api('POST', BASE, { token: t, body: { credential: { user_id: member.id } } }), 404, 'IAM.0003');
    assertError(await srv.api('GET', `${BASE}?user_id=${member.id}`, { token: t }), 404, 'IAM.0003');
    const visible = (await srv.api('GET', BASE, { token: t })).body.credentials.map((c: { access: string }) => c.access);
    assert.ok(!visible.includes(member.accessKey) && !visible.includes(srv.root.accessKey), JSON.stringify(visible));
    assert.equal((await sdkFor(member.accessKey, member.secretKey).listWorkspace()).httpStatusCode, 200);
  });
});
