import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertError, ok, signedApi, uniq } from './helpers/fixtures.js';
import { type TestServer, type TestUser, startTestServer } from './helpers/server.js';

const NOTEBOOK = 'modelarts:notebook:create';
const GET = 'modelarts:workspace:get';
const GET_QUOTAS = 'modelarts:workspace:getQuotas';
const UPDATE = 'modelarts:workspace:update';
const DELETE = 'modelarts:workspace:delete';
const UPDATE_QUOTAS = 'modelarts:workspace:updateQuotas';
const ACTIONS = [NOTEBOOK, GET, GET_QUOTAS, UPDATE, DELETE, UPDATE_QUOTAS];
const MANAGEMENT = new Set([UPDATE, DELETE, UPDATE_QUOTAS]);

function assertCause(result: any) {
  assert.ok(Array.isArray(result.cause) && result.cause.length > 0, `deny carries a cause: ${JSON.stringify(result)}`);
  for (const cause of result.cause) {
    assert.equal(typeof cause.policy_name, 'string');
    assert.ok(cause.policy_name.length > 0);
    assert.ok(Array.isArray(cause.condition));
    for (const c of cause.condition) {
      assert.equal(typeof c.key, 'string');
      assert.equal(typeof c.operator, 'string');
      assert.ok(Array.isArray(c.value) && c.value.every((v: unknown) => typeof v === 'string'));
    }
  }
}

describe('ValidateAuthorization: POST /v1/{project_id}/workspaces/{workspace_id}/auth', () => {
  let srv: TestServer;
  let rootToken: string;
  let base: string;
  let owner: TestUser;
  let granted: TestUser;
  let outsider: TestUser;
  const tokens: Record<string, string> = {};
  const ws: Record<string, any> = {};

  before(async () => {
    srv = await startTestServer();
    rootToken = await srv.rootToken();
    base = `/v1/${srv.projectId}/workspaces`;
    owner = await srv.newUser();
    granted = await srv.newUser();
    outsider = await srv.newUser();
    tokens.root = rootToken;
    tokens.owner = await srv.login(owner);
    tokens.granted = await srv.login(granted);
    tokens.outsider = await srv.login(outsider);
    for (const auth_type of ['public', 'private', 'internal']) {
      ws[auth_type] = ok(
        await srv.api('POST', base, {
          token: tokens.owner,
          body: { name: uniq(auth_type), auth_type, grants: [{ user_id: granted.id }] },
        }),
      );
    }
  });
  after(() => srv.close());

  const validate = (id: string, requests: unknown, token = rootToken) =>
    srv.api('POST', `${base}/${id}/auth`, { token, body: { requests } });
  const verdicts = async (id: string, who: string) => {
    const requests = ACTIONS.map((action, i) => ({ action_id: `id-${i}`, action }));
    const { results } = ok(await validate(id, requests, tokens[who]));
    assert.equal(results.length, ACTIONS.length);
    results.forEach((r: any, i: number) => {
      assert.equal(r.action, ACTIONS[i]);
      assert.equal(r.action_id, `id-${i}`);
      assert.equal(r.resource, '');
      assert.ok(r.verdict === 'allow' || r.verdict === 'deny', r.verdict);
      if (r.verdict === 'allow') assert.equal('cause' in r, false, `no cause on allow: ${JSON.stringify(r)}`);
      else assertCause(r);
    });
    return results.map((r: any) => r.verdict);
  };

  const ALL_ALLOW = ACTIONS.map(() => 'allow');
  const ALL_DENY = ACTIONS.map(() => 'deny');
  const READ_ONLY = ACTIONS.map((a) => (MANAGEMENT.has(a) ? 'deny' : 'allow'));

  const MATRIX: Array<[string, string, string[]]> = [
    ['public', 'owner', ALL_ALLOW],
    ['public', 'root', ALL_ALLOW],
    ['public', 'granted', READ_ONLY],
    ['public', 'outsider', READ_ONLY],
    ['private', 'owner', ALL_ALLOW],
    ['private', 'root', ALL_ALLOW],
    ['private', 'granted', ALL_DENY],
    ['private', 'outsider', ALL_DENY],
    ['internal', 'owner', ALL_ALLOW],
    ['internal', 'root', ALL_ALLOW],
    ['internal', 'granted', READ_ONLY],
    ['internal', 'outsider', ALL_DENY],
  ];
  for (const [authType, who, expected] of MATRIX) {
    test(`${authType.toUpperCase()} workspace, caller ${who}`, async () => {
      assert.deepEqual(await verdicts(ws[authType].id, who), expected);
    });
  }

  test('the default workspace "0": IAM users may use it but not manage it; the root may do everything', async () => {
    assert.deepEqual(await verdicts('0', 'outsider'), READ_ONLY);
    assert.deepEqual(await verdicts('0', 'root'), ALL_ALLOW);
  });

  test('the verdict matches what the API then actually allows', async () => {
    const target = ws.internal.id;
    const [update] = ok(await validate(target, [{ action_id: 'u', action: UPDATE }], tokens.granted)).results;
    assert.equal(update.verdict, 'deny');
    assertError(await srv.api('PUT', `${base}/${target}`, { token: tokens.granted, body: { description: 'x' } }), 403, 'ModelArts.0108');
    const [get] = ok(await validate(target, [{ action_id: 'g', action: GET }], tokens.granted)).results;
    assert.equal(get.verdict, 'allow');
    ok(await srv.api('GET', `${base}/${target}`, { token: tokens.granted }));
  });

  test('resource, action_id and service_attributes: echoed / accepted; results keep the request order', async () => {
    const requests = [
      { action_id: 'b-2', action: NOTEBOOK, resource: 'modelarts:*:*:notebook/abc', service_attributes: { flavor: 'gpu', region: 'cn' } },
      { action_id: 'a-1', action: UPDATE, resource: 'workspace/x' },
      { action_id: 'c-3', action: 'modelarts:trainJob:create' },
    ];
    const body = ok(await validate(ws.public.id, requests, tokens.outsider));
    assert.deepEqual(Object.keys(body), ['results']);
    assert.deepEqual(body.results[0], { action: NOTEBOOK, verdict: 'allow', action_id: 'b-2', resource: 'modelarts:*:*:notebook/abc' });
    assert.equal(body.results[1].action, UPDATE);
    assert.equal(body.results[1].verdict, 'deny');
    assert.equal(body.results[1].action_id, 'a-1');
    assert.equal(body.results[1].resource, 'workspace/x');
    assertCause(body.results[1]);
    assert.deepEqual(body.results[2], { action: 'modelarts:trainJob:create', verdict: 'allow', action_id: 'c-3', resource: '' });
  });

  test('no permission is needed to ask (contract: none required): an outsider on a PRIVATE workspace gets 200 with deny, not 403', async () => {
    const res = await validate(ws.private.id, [{ action_id: '1', action: NOTEBOOK }], tokens.outsider);
    const [result] = ok(res).results;
    assert.equal(result.verdict, 'deny');
    assertCause(result);
  });

  test('a caller who may not open the workspace learns nothing ShowWorkspace refuses: no owner, grantees or type', async () => {
    const requests = ACTIONS.map((action, i) => ({ action_id: `id-${i}`, action }));
    const refusedOpeners: Array<[string, string]> = [
      ['private', 'outsider'],
      ['private', 'granted'],
      ['internal', 'outsider'],
    ];
    const answers = [];
    for (const [authType, who] of refusedOpeners) {
      const id = ws[authType].id;
      assertError(await srv.api('GET', `${base}/${id}`, { token: tokens[who] }), 403, 'ModelArts.0108');
      const { results } = ok(await validate(id, requests, tokens[who]));
      const text = JSON.stringify(results);
      for (const secret of [owner.id, owner.name, granted.id, granted.name]) {
        assert.ok(!text.includes(secret), `${authType}/${who} reveals ${secret}: ${text}`);
      }
      assert.doesNotMatch(text, /private|internal/i, `${authType}/${who} reveals the workspace type`);
      answers.push(results);
    }
    assert.deepEqual(answers[1], answers[0], 'a grantee of a PRIVATE workspace is told what an outsider is');
    assert.deepEqual(answers[2], answers[0], 'INTERNAL and PRIVATE answer outsiders alike');
  });

  test('a caller who may open but not manage the workspace is told its owner as ShowWorkspace names it', async () => {
    const shown = ok(await srv.api('GET', `${base}/${ws.internal.id}`, { token: tokens.granted }));
    const [update] = ok(await validate(ws.internal.id, [{ action_id: 'u', action: UPDATE }], tokens.granted)).results;
    assert.equal(update.verdict, 'deny');
    assert.deepEqual(update.cause, [
      { policy_name: 'WorkspaceOwner', condition: [{ key: 'g:UserName', operator: 'StringEquals', value: [shown.owner] }] },
    ]);
    assert.ok(!JSON.stringify(shown).includes(owner.id) && !JSON.stringify(update).includes(owner.id), 'the owner\'s id is shown by neither');
  });

  test('grants follow updates: after the grant is removed the verdict turns to deny', async () => {
    const w = ok(
      await srv.api('POST', base, { token: tokens.owner, body: { name: uniq('regrant'), auth_type: 'internal', grants: [{ user_id: granted.id }] } }),
    );
    assert.equal(ok(await validate(w.id, [{ action_id: '1', action: NOTEBOOK }], tokens.granted)).results[0].verdict, 'allow');
    ok(await srv.api('PUT', `${base}/${w.id}`, { token: tokens.owner, body: { auth_type: 'internal', grants: [] } }));
    assert.equal(ok(await validate(w.id, [{ action_id: '1', action: NOTEBOOK }], tokens.granted)).results[0].verdict, 'deny');
  });

  test('works with AK/SK signatures too', async () => {
    const res = await signedApi(srv, 'POST', `${base}/${ws.private.id}/auth`, {
      ak: outsider.accessKey,
      sk: outsider.secretKey,
      projectHeader: srv.projectId,
      body: { requests: [{ action_id: 'x', action: NOTEBOOK }] },
    });
    assert.equal(ok(res).results[0].verdict, 'deny');
  });

  describe('errors', () => {
    test('unknown workspace → 400 ModelArts.7005', async () => {
      const id = randomBytes(16).toString('hex');
      assertError(await validate(id, [{ action_id: '1', action: NOTEBOOK }]), 400, 'ModelArts.7005', `workspace:${id} not existed`);
    });

    const invalid: Array<[string, unknown]> = [
      ['requests missing', {}],
      ['requests not an array', { requests: { action_id: '1', action: NOTEBOOK } }],
      ['action missing', { requests: [{ action_id: '1' }] }],
      ['action_id missing', { requests: [{ action: NOTEBOOK }] }],
      ['action as a number', { requests: [{ action_id: '1', action: 5 }] }],
      ['action_id as a number', { requests: [{ action_id: 1, action: NOTEBOOK }] }],
      ['service_attributes with a non-string value', { requests: [{ action_id: '1', action: NOTEBOOK, service_attributes: { n: 1 } }] }],
      ['resource as an object', { requests: [{ action_id: '1', action: NOTEBOOK, resource: {} }] }],
      ['a JSON array body', [{ action_id: '1', action: NOTEBOOK }]],
    ];
    for (const [label, body] of invalid) {
      test(`${label} → 400 ModelArts.0104`, async () => {
        const res = await srv.api('POST', `${base}/${ws.public.id}/auth`, {
          token: rootToken,
          rawBody: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        assertError(res, 400, 'ModelArts.0104');
      });
    }

    test('no credential → 401, another project → 403 0210', async () => {
      assertError(await srv.api('POST', `${base}/0/auth`, { body: { requests: [{ action_id: '1', action: NOTEBOOK }] } }), 401, 'APIGW.0301');
      const other = randomBytes(16).toString('hex');
      assertError(
        await srv.api('POST', `/v1/${other}/workspaces/0/auth`, { token: rootToken, body: { requests: [{ action_id: '1', action: NOTEBOOK }] } }),
        403,
        'ModelArts.0210',
      );
    });
  });
});
