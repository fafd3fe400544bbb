import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  type OtherAccount,
  addAccount,
  addProject,
  assertError,
  insertExpiredToken,
  loginTo,
  ok,
  setAccessKeyStatus,
  setUserEnabled,
  signedApi,
  uniq,
} from './helpers/fixtures.js';
import { type ApiResponse, type TestServer, type TestUser, startTestServer } from './helpers/server.js';

const MINUTE = 60_000;
const QUOTA = 'exemlProject.gpu_duration';

interface Route {
  op: string;
  method: string;
  /** path for a project id; `ws` is the target workspace id */
  path: (project: string, ws: string) => string;
  body?: () => unknown;
}

const ROUTES: Route[] = [
  { op: 'CreateWorkspace', method: 'POST', path: (p) => `/v1/${p}/workspaces`, body: () => ({ name: uniq('mx') }) },
  { op: 'ListWorkspace', method: 'GET', path: (p) => `/v1/${p}/workspaces?limit=10&name=mx` },
  { op: 'ShowWorkspace', method: 'GET', path: (p, ws) => `/v1/${p}/workspaces/${ws}` },
  { op: 'UpdateWorkspace', method: 'PUT', path: (p, ws) => `/v1/${p}/workspaces/${ws}`, body: () => ({ description: 'tampered' }) },
  { op: 'DeleteWorkspace', method: 'DELETE', path: (p, ws) => `/v1/${p}/workspaces/${ws}` },
  { op: 'ShowWorkspaceQuotas', method: 'GET', path: (p, ws) => `/v1/${p}/workspaces/${ws}/quotas` },
  {
    op: 'UpdateWorkspaceQuotas',
    method: 'PUT',
    path: (p, ws) => `/v1/${p}/workspaces/${ws}/quotas`,
    body: () => ({ quotas: [{ resource: QUOTA, quota: 1 }] }),
  },
  {
    op: 'ValidateAuthorization',
    method: 'POST',
    path: (p, ws) => `/v1/${p}/workspaces/${ws}/auth`,
    body: () => ({ requests: [{ action_id: 'a1', action: 'modelarts:notebook:create' }] }),
  },
];

describe('workspaces: security', () => {
  let srv: TestServer;
  let token: string;
  let base: string;
  let target: any;
  let projectB: { id: string; name: string };
  let tokenB: string;
  let other: OtherAccount;
  let otherToken: string;
  let domainToken: string;

  before(async () => {
    srv = await startTestServer();
    token = await srv.rootToken();
    base = `/v1/${srv.projectId}/workspaces`;
    target = ok(await srv.api('POST', base, { token, body: { name: uniq('target'), description: 'original', auth_type: 'private' } }));
    projectB = await addProject(srv);
    tokenB = await srv.login(srv.root, projectB.name);
    other = await addAccount(srv);
    otherToken = await loginTo(srv, other.domainName, other.root, other.projectName);
    const scoped = await srv.api('POST', '/v3/auth/tokens', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: srv.root.name, password: srv.root.password, domain: { name: srv.domainName } } } },
          scope: { domain: { name: srv.domainName } },
        },
      },
    });
    assert.equal(scoped.status, 201, JSON.stringify(scoped.body));
    domainToken = scoped.headers.get('x-subject-token')!;
  });
  after(() => srv.close());

  type Send = (route: Route, project: string) => Promise<ApiResponse>;
  const viaToken =
    (t: () => Promise<string> | string, headers?: () => Record<string, string>): Send =>
    async (route, project) =>
      srv.api(route.method, route.path(project, target.id), { token: await t(), body: route.body?.(), headers: headers?.() });
  const viaAkSk =
    (opts: { ak?: () => string; sk?: () => string; skewMs?: number; projectHeader?: (p: string) => string | undefined }): Send =>
    (route, project) =>
      signedApi(srv, route.method, route.path(project, target.id), {
        ak: opts.ak?.() ?? srv.root.accessKey,
        sk: opts.sk?.() ?? srv.root.secretKey,
        body: route.body?.(),
        signedAt: Date.now() + (opts.skewMs ?? 0),
        projectHeader: opts.projectHeader ? opts.projectHeader(project) : project,
      });

  const unknownProject = randomBytes(16).toString('hex');
  const VARIANTS: Array<{ label: string; send: Send; project?: () => string; status: number; code: string }> = [
    { label: 'no credential', send: (r, p) => srv.api(r.method, r.path(p, target.id), { body: r.body?.() }), status: 401, code: 'APIGW.0301' },
    { label: 'garbage token', send: viaToken(() => 'garbage-token'), status: 401, code: 'APIGW.0301' },
    { label: 'empty token', send: viaToken(() => '', () => ({ authorization: 'Bearer abc' })), status: 401, code: 'APIGW.0301' },
    { label: 'expired token', send: viaToken(() => insertExpiredToken(srv)), status: 401, code: 'APIGW.0301' },
    { label: 'token scoped to another project', send: viaToken(() => tokenB), status: 403, code: 'ModelArts.0210' },
    { label: 'X-Project-Id differing from the path', send: viaToken(() => token, () => ({ 'x-project-id': projectB.id })), status: 403, code: 'ModelArts.0210' },
    { label: 'unknown project in the path (token)', send: viaToken(() => token), project: () => unknownProject, status: 403, code: 'ModelArts.0210' },
    { label: "another account's token", send: viaToken(() => otherToken), status: 403, code: 'ModelArts.0210' },
    { label: 'token without a project (domain-scoped)', send: viaToken(() => domainToken), status: 403, code: 'ModelArts.0210' },
    { label: 'AK/SK with a wrong SK', send: viaAkSk({ sk: () => 'wrong-secret-key-0000' }), status: 401, code: 'APIGW.0301' },
    { label: 'AK/SK with an unknown AK', send: viaAkSk({ ak: () => 'NOSUCHACCESSKEY00000' }), status: 401, code: 'APIGW.0301' },
    { label: 'X-Sdk-Date 16 minutes in the past', send: viaAkSk({ skewMs: -16 * MINUTE }), status: 401, code: 'APIGW.0301' },
    { label: 'X-Sdk-Date 16 minutes in the future', send: viaAkSk({ skewMs: 16 * MINUTE }), status: 401, code: 'APIGW.0301' },
    { label: 'AK/SK with X-Project-Id of another project', send: viaAkSk({ projectHeader: () => projectB.id }), status: 403, code: 'ModelArts.0210' },
    { label: 'AK/SK on an unknown project', send: viaAkSk({}), project: () => unknownProject, status: 403, code: 'ModelArts.0210' },
    {
      label: "another account's root AK/SK",
      send: viaAkSk({ ak: () => other.root.accessKey, sk: () => other.root.secretKey, projectHeader: () => undefined }),
      status: 403,
      code: 'ModelArts.0210',
    },
  ];

  describe('credential matrix over all 8 routes', () => {
    for (const route of ROUTES) {
      for (const variant of VARIANTS) {
        test(`${route.op}: ${variant.label} → ${variant.status} ${variant.code}`, async () => {
          const project = variant.project?.() ?? srv.projectId;
          assertError(await variant.send(route, project), variant.status, variant.code);
        });
      }
    }

    test('nothing changed: the target workspace, its quotas and no created workspaces', async () => {
      const shown = ok(await srv.api('GET', `${base}/${target.id}`, { token }));
      assert.deepEqual(shown, target);
      const { quotas } = ok(await srv.api('GET', `${base}/${target.id}/quotas`, { token }));
      assert.equal(quotas[0].resource, QUOTA);
      assert.equal(quotas[0].update_time, target.create_time);
      assert.equal(ok(await srv.api('GET', `${base}?name=mx_`, { token })).total_count, 0);
      assert.equal(ok(await srv.api('GET', `/v1/${projectB.id}/workspaces?name=mx_`, { token: tokenB })).total_count, 0);
    });
  });

  describe('valid AK/SK signatures (positive controls)', () => {
    for (const route of ROUTES) {
      test(`${route.op}: root AK/SK → 200`, async () => {
        const ws = ok(await srv.api('POST', base, { token, body: { name: uniq('pc') } }));
        const res = await signedApi(srv, route.method, route.path(srv.projectId, ws.id), {
          ak: srv.root.accessKey,
          sk: srv.root.secretKey,
          body: route.body?.(),
          projectHeader: srv.projectId,
        });
        ok(res);
      });
    }

    test('X-Project-Id is optional for AK/SK, and 14 minutes of skew are tolerated', async () => {
      for (const skew of [-14 * MINUTE, 14 * MINUTE, 0]) {
        const res = await signedApi(srv, 'GET', `${base}/0`, {
          ak: srv.root.accessKey,
          sk: srv.root.secretKey,
          signedAt: Date.now() + skew,
        });
        assert.equal(ok(res).id, '0', String(skew));
      }
    });

    test('Go SDK / Terraform style: host not signed, X-Project-Id and User-Agent sent unsigned', async () => {
      const res = await signedApi(srv, 'GET', `${base}?limit=5&name=target`, {
        ak: srv.root.accessKey,
        sk: srv.root.secretKey,
        signHost: false,
        headers: { 'content-type': 'application/json;charset=utf8' },
        unsignedHeaders: { 'x-project-id': srv.projectId, 'user-agent': 'terraform-provider-test', 'x-domain-id': 'whatever' },
      });
      assert.equal(ok(res).total_count, 1);
      // an unsigned X-Project-Id is still checked against the path
      const mismatch = await signedApi(srv, 'GET', `${base}/0`, {
        ak: srv.root.accessKey,
        sk: srv.root.secretKey,
        unsignedHeaders: { 'x-project-id': projectB.id },
      });
      assertError(mismatch, 403, 'ModelArts.0210');
    });

    test('an IAM user signs with its own AK/SK', async () => {
      const user = await srv.newUser();
      const res = ok(await signedApi(srv, 'POST', base, { ak: user.accessKey, sk: user.secretKey, body: { name: uniq('usr') }, projectHeader: srv.projectId }));
      assert.equal(res.owner, user.name);
    });
  });

  describe('signature integrity', () => {
    const sign = (method: string, path: string, extra: Partial<Parameters<typeof signedApi>[3]> = {}) =>
      signedApi(srv, method, path, { ak: srv.root.accessKey, sk: srv.root.secretKey, projectHeader: srv.projectId, ...extra });

    test('a body changed after signing → 401', async () => {
      const name = uniq('sig');
      const res = await sign('POST', base, { body: { name }, sendBody: JSON.stringify({ name: `${name}x` }) });
      assertError(res, 401, 'APIGW.0301');
      assert.equal(ok(await srv.api('GET', `${base}?name=${name}`, { token })).total_count, 0);
    });

    test('a query changed after signing → 401', async () => {
      assertError(await sign('GET', `${base}?limit=1`, { sendPath: `${base}?limit=2` }), 401, 'APIGW.0301');
    });

    test('a path changed after signing → 401', async () => {
      assertError(await sign('GET', `${base}/0`, { sendPath: `${base}/${target.id}` }), 401, 'APIGW.0301');
    });

    test('x-sdk-content-sha256: UNSIGNED-PAYLOAD cannot smuggle an unsigned JSON body → 401', async () => {
      const name = uniq('unsigned');
      const res = await sign('POST', base, {
        body: { name },
        headers: { 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' },
      });
      assertError(res, 401, 'APIGW.0301');
      assert.equal(ok(await srv.api('GET', `${base}?name=${name}`, { token })).total_count, 0);
    });

    test('a malformed X-Sdk-Date → 401', async () => {
      for (const date of ['2024-01-01T00:00:00Z', '20240230T000000Z', 'yesterday']) {
        const res = await sign('GET', `${base}/0`, { headers: { 'x-sdk-date': date } });
        assertError(res, 401, 'APIGW.0301');
      }
    });

    test('an unsupported signing algorithm or a malformed Authorization header → 401', async () => {
      const date = new Date().toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
      for (const authorization of [
        `SDK-HMAC-SM3 Access=${srv.root.accessKey}, SignedHeaders=x-sdk-date, Signature=${'0'.repeat(64)}`,
        `SDK-HMAC-SHA256 Access=${srv.root.accessKey}`,
        `SDK-HMAC-SHA256 Access=${srv.root.accessKey}, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
        'SDK-HMAC-SHA256',
        `Basic ${Buffer.from('root:x').toString('base64')}`,
      ]) {
        const res = await srv.api('GET', `${base}/0`, { headers: { authorization, 'x-sdk-date': date } });
        assertError(res, 401, 'APIGW.0301');
      }
    });

    test('the 401 message never reveals the secret key', async () => {
      const res = await sign('GET', `${base}/0`, { sk: 'not-the-secret' });
      assertError(res, 401, 'APIGW.0301');
      assert.ok(!res.body.error_msg.includes(srv.root.secretKey));
    });
  });

  describe('disabled identities', () => {
    test('a disabled user can neither use its token nor its AK/SK', async () => {
      const user = await srv.newUser();
      const userToken = await srv.login(user);
      ok(await srv.api('GET', `${base}/0`, { token: userToken }));
      await setUserEnabled(srv, user.id, false);
      assertError(await srv.api('GET', `${base}/0`, { token: userToken }), 401, 'APIGW.0301');
      assertError(await signedApi(srv, 'GET', `${base}/0`, { ak: user.accessKey, sk: user.secretKey }), 401, 'APIGW.0301');
      await setUserEnabled(srv, user.id, true);
      ok(await srv.api('GET', `${base}/0`, { token: userToken }));
    });

    test('an inactive access key → 401', async () => {
      const user = await srv.newUser();
      ok(await signedApi(srv, 'GET', `${base}/0`, { ak: user.accessKey, sk: user.secretKey }));
      await setAccessKeyStatus(srv, user.accessKey, 'inactive');
      assertError(await signedApi(srv, 'GET', `${base}/0`, { ak: user.accessKey, sk: user.secretKey }), 401, 'APIGW.0301');
    });
  });

  describe('authentication comes before anything else', () => {
    test('an unauthenticated request with malformed JSON → 401, not 400', async () => {
      const res = await srv.api('POST', base, { rawBody: '{not json', headers: { 'content-type': 'application/json' } });
      assertError(res, 401, 'APIGW.0301');
    });

    test('an unauthenticated request with a non-JSON content type → 401, not 400', async () => {
      const res = await srv.api('PUT', `${base}/${target.id}`, { rawBody: 'description=x', headers: { 'content-type': 'text/plain' } });
      assertError(res, 401, 'APIGW.0301');
    });

    test('an unauthenticated request with an invalid body → 401, not 400', async () => {
      assertError(await srv.api('POST', base, { body: { name: 'x' } }), 401, 'APIGW.0301');
    });

    test('an unauthenticated request for an unknown workspace → 401, not 7005', async () => {
      assertError(await srv.api('GET', `${base}/${randomBytes(16).toString('hex')}`), 401, 'APIGW.0301');
    });
  });

  describe('workspace permissions', () => {
    let alice: TestUser;
    let aliceToken: string;
    let bob: TestUser;
    let bobToken: string;

    before(async () => {
      alice = await srv.newUser();
      aliceToken = await srv.login(alice);
      bob = await srv.newUser();
      bobToken = await srv.login(bob);
    });

    const createAs = async (t: string, body: object) => ok(await srv.api('POST', base, { token: t, body }));
    const as = (t: string, method: string, path: string, body?: unknown) => srv.api(method, `${base}${path}`, { token: t, body });
    const QUOTA_BODY = { quotas: [{ resource: QUOTA, quota: 7 }] };

    test("PRIVATE: another IAM user gets 403 ModelArts.0108 on every workspace operation", async () => {
      const ws = await createAs(aliceToken, { name: uniq('priv'), auth_type: 'private', description: 'secret' });
      const denied: Array<[string, string, unknown]> = [
        ['GET', `/${ws.id}`, undefined],
        ['PUT', `/${ws.id}`, { description: 'bob was here' }],
        ['DELETE', `/${ws.id}`, undefined],
        ['GET', `/${ws.id}/quotas`, undefined],
        ['PUT', `/${ws.id}/quotas`, QUOTA_BODY],
      ];
      for (const [method, path, body] of denied) assertError(await as(bobToken, method, path, body), 403, 'ModelArts.0108');
      const shown = ok(await as(aliceToken, 'GET', `/${ws.id}`));
      assert.equal(shown.description, 'secret');
      assert.equal(shown.status, 'NORMAL');
      assert.notEqual(ok(await as(aliceToken, 'GET', `/${ws.id}/quotas`)).quotas[0].quota, 7);
      // the root of the account may do everything
      ok(await as(token, 'GET', `/${ws.id}`));
      ok(await as(token, 'PUT', `/${ws.id}/quotas`, QUOTA_BODY));
      ok(await as(token, 'PUT', `/${ws.id}`, { description: 'root edit' }));
      ok(await as(token, 'DELETE', `/${ws.id}`));
    });

    test('INTERNAL: a granted user may read but not manage; a non-granted user may do nothing', async () => {
      const carol = await srv.newUser();
      const carolToken = await srv.login(carol);
      const ws = await createAs(aliceToken, { name: uniq('int'), auth_type: 'internal', grants: [{ user_id: bob.id }] });
      assert.equal(ok(await as(bobToken, 'GET', `/${ws.id}`)).id, ws.id);
      assert.ok(ok(await as(bobToken, 'GET', `/${ws.id}/quotas`)).quotas.length >= 1);
      assertError(await as(bobToken, 'PUT', `/${ws.id}`, { description: 'x' }), 403, 'ModelArts.0108');
      // a granted user must not be able to grant itself or others
      assertError(await as(bobToken, 'PUT', `/${ws.id}`, { auth_type: 'internal', grants: [{ user_id: bob.id }, { user_id: carol.id }] }), 403, 'ModelArts.0108');
      assertError(await as(bobToken, 'DELETE', `/${ws.id}`), 403, 'ModelArts.0108');
      assertError(await as(bobToken, 'PUT', `/${ws.id}/quotas`, QUOTA_BODY), 403, 'ModelArts.0108');
      for (const [method, path] of [['GET', `/${ws.id}`], ['GET', `/${ws.id}/quotas`], ['DELETE', `/${ws.id}`]] as const) {
        assertError(await as(carolToken, method, path), 403, 'ModelArts.0108');
      }
      const shown = ok(await as(aliceToken, 'GET', `/${ws.id}`));
      assert.deepEqual(shown.grants.map((g: any) => g.user_id), [bob.id]);
      assert.equal(shown.status, 'NORMAL');
    });

    test('PUBLIC: every IAM user may read, only owner and root may manage', async () => {
      const ws = await createAs(aliceToken, { name: uniq('pub') });
      ok(await as(bobToken, 'GET', `/${ws.id}`));
      ok(await as(bobToken, 'GET', `/${ws.id}/quotas`));
      assertError(await as(bobToken, 'PUT', `/${ws.id}`, { name: uniq('stolen') }), 403, 'ModelArts.0108');
      assertError(await as(bobToken, 'PUT', `/${ws.id}`, { auth_type: 'private' }), 403, 'ModelArts.0108');
      assertError(await as(bobToken, 'DELETE', `/${ws.id}`), 403, 'ModelArts.0108');
      assertError(await as(bobToken, 'PUT', `/${ws.id}/quotas`, QUOTA_BODY), 403, 'ModelArts.0108');
      ok(await as(aliceToken, 'PUT', `/${ws.id}/quotas`, QUOTA_BODY));
      ok(await as(aliceToken, 'DELETE', `/${ws.id}`));
    });

    test('the default workspace: an IAM user may read it but not change it', async () => {
      ok(await as(aliceToken, 'GET', '/0'));
      ok(await as(aliceToken, 'GET', '/0/quotas'));
      assertError(await as(aliceToken, 'PUT', '/0', { description: 'mine now' }), 403, 'ModelArts.0108');
      assertError(await as(aliceToken, 'PUT', '/0/quotas', QUOTA_BODY), 403, 'ModelArts.0108');
      assert.notEqual(ok(await as(token, 'GET', '/0')).description, 'mine now');
    });

    test('the creator of a PRIVATE workspace is recorded from the credential, not the body', async () => {
      const ws = await createAs(aliceToken, { name: uniq('spoof'), auth_type: 'private', owner: srv.root.name, owner_id: bob.id });
      assert.equal(ws.owner, alice.name);
      assertError(await as(bobToken, 'GET', `/${ws.id}`), 403, 'ModelArts.0108');
    });
  });

  describe('isolation between projects and accounts', () => {
    test('a workspace of project A does not exist in project B of the same account', async () => {
      const ws = ok(await srv.api('POST', base, { token, body: { name: uniq('iso') } }));
      const b = `/v1/${projectB.id}/workspaces`;
      assertError(await srv.api('GET', `${b}/${ws.id}`, { token: tokenB }), 400, 'ModelArts.7005');
      assertError(await srv.api('PUT', `${b}/${ws.id}`, { token: tokenB, body: { description: 'x' } }), 400, 'ModelArts.7005');
      assertError(await srv.api('DELETE', `${b}/${ws.id}`, { token: tokenB }), 400, 'ModelArts.7005');
      assertError(await srv.api('GET', `${b}/${ws.id}/quotas`, { token: tokenB }), 400, 'ModelArts.7005');
      assertError(await srv.api('POST', `${b}/${ws.id}/auth`, { token: tokenB, body: { requests: [{ action_id: '1', action: 'a:b:c' }] } }), 400, 'ModelArts.7005');
      const listB = ok(await srv.api('GET', b, { token: tokenB }));
      assert.ok(!listB.workspaces.some((w: any) => w.id === ws.id));
      // the same name is free in project B
      assert.equal(ok(await srv.api('POST', b, { token: tokenB, body: { name: ws.name } })).name, ws.name);
      assert.equal(ok(await srv.api('GET', `${base}/${ws.id}`, { token })).status, 'NORMAL');
    });

    test("another account sees none of this account's workspaces in its own project", async () => {
      const ws = ok(await srv.api('POST', base, { token, body: { name: uniq('acct') } }));
      const theirs = `/v1/${other.projectId}/workspaces`;
      const list = ok(await signedApi(srv, 'GET', theirs, { ak: other.root.accessKey, sk: other.root.secretKey, projectHeader: other.projectId }));
      assert.ok(!list.workspaces.some((w: any) => w.id === ws.id));
      assertError(
        await signedApi(srv, 'GET', `${theirs}/${ws.id}`, { ak: other.root.accessKey, sk: other.root.secretKey }),
        400,
        'ModelArts.7005',
      );
      assertError(
        await signedApi(srv, 'DELETE', `${theirs}/${ws.id}`, { ak: other.root.accessKey, sk: other.root.secretKey }),
        400,
        'ModelArts.7005',
      );
      // and an IAM user of that account cannot reach this project at all
      assertError(
        await signedApi(srv, 'GET', `${base}/${ws.id}`, { ak: other.user.accessKey, sk: other.user.secretKey }),
        403,
        'ModelArts.0210',
      );
    });
  });
});
