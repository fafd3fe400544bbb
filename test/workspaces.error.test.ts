import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { WORKSPACE_ROUTES, addAccount, addEnterpriseProject, assertError, ok, uniq } from './helpers/fixtures.js';
import { type ApiResponse, type TestServer, type TestUser, eventually, startTestServer } from './helpers/server.js';

describe('workspaces: errors', () => {
  let srv: TestServer;
  let token: string;
  let base: string;
  let alice: TestUser;

  before(async () => {
    srv = await startTestServer();
    token = await srv.rootToken();
    base = `/v1/${srv.projectId}/workspaces`;
    alice = await srv.newUser();
  });
  after(() => srv.close());

  const create = async (body: object) => ok(await srv.api('POST', base, { token, body }));
  const post = (body: unknown) => srv.api('POST', base, { token, body });

  describe('not found → 400 ModelArts.7005 on every workspace route', () => {
    const missing = randomBytes(16).toString('hex');
    for (const [method, suffix, body] of WORKSPACE_ROUTES) {
      test(`${method} /workspaces/{unknown}${suffix}`, async () => {
        const res = await srv.api(method, `${base}/${missing}${suffix}`, { token, body });
        assertError(res, 400, 'ModelArts.7005', `workspace:${missing} not existed`);
      });
    }

    test('ids that are not 32-hex are just unknown, never a 500', async () => {
      for (const id of ['1', 'abc', '%E4%B8%AD%E6%96%87', 'a.b', 'DEFAULT', '00']) {
        const res = await srv.api('GET', `${base}/${id}`, { token });
        assertError(res, 400, 'ModelArts.7005');
        assert.equal(res.body.error_msg, `workspace:${decodeURIComponent(id)} not existed`);
      }
    });
  });

  describe('create: invalid input → 400 ModelArts.0104', () => {
    const longName = 'a'.repeat(65);
    const cases: Array<[string, unknown]> = [
      ['no name', {}],
      ['name of 3 characters', { name: 'abc' }],
      ['name of 65 characters', { name: longName }],
      ['empty name', { name: '' }],
      ['name with a space', { name: 'my workspace' }],
      ['name with a dot', { name: 'my.workspace' }],
      ['name with a slash', { name: 'my/workspace' }],
      ['name with an emoji', { name: 'work😀space' }],
      ['name with a Japanese kana', { name: 'ワークスペース' }],
      ['name as a number', { name: 12345678 }],
      ['name as null', { name: null }],
      ['reserved name "default"', { name: 'default' }],
      ['description of 257 characters', { name: 'valid-name', description: 'd'.repeat(257) }],
      ['description as a number', { name: 'valid-name', description: 1 }],
      ['unknown auth_type', { name: 'valid-name', auth_type: 'SECRET' }],
      ['empty auth_type', { name: 'valid-name', auth_type: '' }],
      ['auth_type as a boolean', { name: 'valid-name', auth_type: true }],
      ['enterprise_project_id as a number', { name: 'valid-name', enterprise_project_id: 0 }],
      ['enterprise_project_id with bad characters', { name: 'valid-name', enterprise_project_id: 'ep_1!' }],
      ['unknown enterprise project', { name: 'valid-name', enterprise_project_id: '11111111-2222-3333-4444-555555555555' }],
      ['grants not an array', { name: 'valid-name', auth_type: 'internal', grants: { user_name: 'x' } }],
      ['a grant without user_id and user_name', { name: 'valid-name', auth_type: 'internal', grants: [{}] }],
      ['a grant naming an unknown IAM user', { name: 'valid-name', auth_type: 'internal', grants: [{ user_name: 'nobody-here' }] }],
      ['a grant with an unknown user_id', { name: 'valid-name', auth_type: 'internal', grants: [{ user_id: randomBytes(16).toString('hex') }] }],
      ['a grant with a numeric user_name', { name: 'valid-name', auth_type: 'internal', grants: [{ user_name: 5 }] }],
      ['a JSON array body', []],
      ['a JSON string body', 'name'],
      ['a JSON null body', null],
    ];
    for (const [label, body] of cases) {
      test(label, async () => {
        const res = await srv.api('POST', base, {
          token,
          rawBody: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        assertError(res, 400, 'ModelArts.0104');
      });
    }

    test('nothing was created by any of the invalid requests', async () => {
      const list = ok(await srv.api('GET', `${base}?name=valid-name`, { token }));
      assert.equal(list.total_count, 0);
    });

    test('a disabled enterprise project', async () => {
      const ep = await addEnterpriseProject(srv, { enabled: false });
      assertError(await post({ name: uniq('dis'), enterprise_project_id: ep.id }), 400, 'ModelArts.0104');
    });

    test('501 grants (all naming an existing user) → 0104', async () => {
      const grants = Array.from({ length: 501 }, () => ({ user_id: alice.id }));
      assertError(await post({ name: uniq('g501'), auth_type: 'internal', grants }), 400, 'ModelArts.0104');
    });

    test('exactly 500 grants are accepted (duplicates collapse to one)', async () => {
      const ws = await create({ name: uniq('g500'), auth_type: 'internal', grants: Array.from({ length: 500 }, () => ({ user_id: alice.id })) });
      assert.deepEqual(ws.grants, [{ user_id: alice.id, user_name: alice.name, user_type: 'IAM' }]);
    });

    test('an IAM user of another account cannot be granted (by id or by name)', async () => {
      const other = await addAccount(srv);
      assertError(
        await post({ name: uniq('xacct'), auth_type: 'internal', grants: [{ user_id: other.user.id }] }),
        400,
        'ModelArts.0104',
      );
      assertError(
        await post({ name: uniq('xacct'), auth_type: 'internal', grants: [{ user_name: other.user.name }] }),
        400,
        'ModelArts.0104',
      );
    });
  });

  describe('create: duplicates', () => {
    test('a name already used in the project → 400 ModelArts.0103', async () => {
      const name = uniq('dup');
      await create({ name });
      assertError(await post({ name }), 400, 'ModelArts.0103');
      assertError(await post({ name, auth_type: 'private', description: 'other' }), 400, 'ModelArts.0103');
      assert.equal(ok(await srv.api('GET', `${base}?name=${name}`, { token })).total_count, 1);
    });

    test('concurrent creates of one name: exactly one wins, the others get 0103', async () => {
      const name = uniq('race');
      const results = await Promise.all(Array.from({ length: 8 }, () => post({ name })));
      assert.equal(results.filter((r) => r.status === 200).length, 1, JSON.stringify(results.map((r) => r.body)));
      for (const r of results.filter((x) => x.status !== 200)) assertError(r, 400, 'ModelArts.0103');
      assert.equal(ok(await srv.api('GET', `${base}?name=${name}`, { token })).total_count, 1);
    });

    test('the same name in another case is a different name', async () => {
      const name = `case${randomBytes(3).toString('hex')}`;
      await create({ name });
      assert.equal((await create({ name: name.toUpperCase() })).name, name.toUpperCase());
    });
  });

  describe('update: errors', () => {
    test('rename to an existing name → 0103, to "default" → 0104; nothing changes', async () => {
      const a = await create({ name: uniq('ua') });
      const b = await create({ name: uniq('ub'), description: 'b' });
      assertError(await srv.api('PUT', `${base}/${b.id}`, { token, body: { name: a.name } }), 400, 'ModelArts.0103');
      assertError(await srv.api('PUT', `${base}/${b.id}`, { token, body: { name: 'default', description: 'zz' } }), 400, 'ModelArts.0104');
      const shown = ok(await srv.api('GET', `${base}/${b.id}`, { token }));
      assert.equal(shown.name, b.name);
      assert.equal(shown.description, 'b');
      assert.equal(shown.update_time, b.update_time);
    });

    test('concurrent renames of two workspaces to one new name: exactly one wins', async () => {
      const a = await create({ name: uniq('ra') });
      const b = await create({ name: uniq('rb') });
      const target = uniq('rt');
      const results = await Promise.all([a, b].map((w) => srv.api('PUT', `${base}/${w.id}`, { token, body: { name: target } })));
      assert.equal(results.filter((r) => r.status === 200).length, 1, JSON.stringify(results.map((r) => r.body)));
      for (const r of results.filter((x) => x.status !== 200)) assertError(r, 400, 'ModelArts.0103');
    });

    const invalid: Array<[string, unknown]> = [
      ['name of 3 characters', { name: 'abc' }],
      ['name with a space', { name: 'a b c d' }],
      ['name as a number', { name: 12345 }],
      ['description of 257 characters', { description: 'x'.repeat(257) }],
      ['description as a number', { description: 7 }],
      ['unknown auth_type', { auth_type: 'everyone' }],
      ['grants not an array', { auth_type: 'internal', grants: 'alice' }],
      ['a grant for an unknown user', { auth_type: 'internal', grants: [{ user_name: 'ghost-user' }] }],
      ['a grant without user_id and user_name', { auth_type: 'internal', grants: [{ user_type: 'IAM' }] }],
      ['a JSON array body', []],
    ];
    for (const [label, body] of invalid) {
      test(`invalid update: ${label} → 0104`, async () => {
        const ws = await create({ name: uniq('inv'), description: 'orig' });
        const res = await srv.api('PUT', `${base}/${ws.id}`, { token, rawBody: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        assertError(res, 400, 'ModelArts.0104');
        const shown = ok(await srv.api('GET', `${base}/${ws.id}`, { token }));
        assert.deepEqual([shown.name, shown.description, shown.auth_type], [ws.name, 'orig', 'public']);
      });
    }
  });

  describe('the default workspace "0" is immutable → 400 ModelArts.3566', () => {
    const cases: Array<[string, string, unknown]> = [
      ['delete', 'DELETE', undefined],
      ['rename', 'PUT', { name: 'renamed-default' }],
      ['rename with a description', 'PUT', { name: 'other-name', description: 'x' }],
      ['make it private', 'PUT', { auth_type: 'private' }],
      ['make it internal', 'PUT', { auth_type: 'INTERNAL' }],
      ['make it internal with grants', 'PUT', { auth_type: 'internal', grants: [{ user_name: 'root' }] }],
      ['grant users', 'PUT', { grants: [{ user_name: 'root' }] }],
    ];
    for (const [label, method, body] of cases) {
      test(label, async () => {
        const before0 = ok(await srv.api('GET', `${base}/0`, { token }));
        assertError(await srv.api(method, `${base}/0`, { token, body }), 400, 'ModelArts.3566');
        assert.deepEqual(ok(await srv.api('GET', `${base}/0`, { token })), before0);
      });
    }

    test('delete with a trailing slash is refused too', async () => {
      assertError(await srv.api('DELETE', `${base}/0/`, { token }), 400, 'ModelArts.3566');
    });
  });

  describe('list: invalid query values → 400 ModelArts.0104', () => {
    const queries = [
      'limit=0',
      'limit=1001',
      'limit=-1',
      'limit=abc',
      'limit=1.5',
      'offset=-1',
      'offset=x',
      'offset=0.5',
      'offset=2147483648',
      'sort_by=x',
      'sort_by=create_time',
      'order=up',
      'order=',
      `name=${encodeURIComponent('a b')}`,
      `name=${'a'.repeat(65)}`,
      'name=',
      `name=${encodeURIComponent("x'--")}`,
      'enterprise_project_id=ep_1!',
      'filter_accessible=maybe',
    ];
    for (const query of queries) {
      test(`?${query}`, async () => {
        assertError(await srv.api('GET', `${base}?${query}`, { token }), 400, 'ModelArts.0104');
      });
    }
  });

  test('list: a name filter that is refused gets a message saying what is allowed', async () => {
    for (const value of ['a b', 'a'.repeat(65), '', 'x\'--']) {
      const res = await srv.api('GET', `${base}?name=${encodeURIComponent(value)}`, { token });
      assertError(res, 400, 'ModelArts.0104');
      assert.match((res.body as { error_msg: string }).error_msg, /name: 1–64 characters: Chinese characters, letters, digits, "-" and "_"/, value);
    }
  });

  test('list: "%" in the name filter is never a wildcard (rejected by the documented charset, or matches literally)', async () => {
    await create({ name: uniq('pct') });
    for (const value of ['%', '%25', 'a%', '%_%']) {
      const res = await srv.api('GET', `${base}?name=${encodeURIComponent(value)}`, { token });
      if (res.status === 200) assert.deepEqual(res.body, { total_count: 0, count: 0, workspaces: [] }, value);
      else assertError(res, 400, 'ModelArts.0104');
    }
  });

  describe('request body plumbing', () => {
    test('malformed JSON → 0104', async () => {
      for (const raw of ['{', '{"name":', "{'name':'abcd'}", '{"name":"abcd"}}', 'nul']) {
        const res = await srv.api('POST', base, { token, rawBody: raw, headers: { 'content-type': 'application/json' } });
        assertError(res, 400, 'ModelArts.0104');
      }
    });

    test('a body with a non-JSON content type → 0104', async () => {
      const name = uniq('ct');
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x']) {
        const res = await srv.api('POST', base, { token, rawBody: JSON.stringify({ name }), headers: { 'content-type': contentType } });
        assertError(res, 400, 'ModelArts.0104');
      }
      assertError(
        await srv.api('PUT', `${base}/0`, { token, rawBody: '{"description":"x"}', headers: { 'content-type': 'text/plain' } }),
        400,
        'ModelArts.0104',
      );
      assert.equal(ok(await srv.api('GET', `${base}?name=${name}`, { token })).total_count, 0);
    });

    test('a body without any content type → 0104', async () => {
      const res = await fetch(`${srv.url}${base}`, {
        method: 'POST',
        headers: { 'x-auth-token': token },
        body: new Uint8Array(Buffer.from(JSON.stringify({ name: uniq('noct') }))),
      });
      const body = (await res.json()) as any;
      assert.equal(res.status, 400);
      assert.equal(body.error_code, 'ModelArts.0104');
      assert.equal(res.headers.get('x-request-id'), body.request_id);
    });

    test('POST create with an empty body → 0104', async () => {
      const res = await srv.api('POST', base, { token, headers: { 'content-type': 'application/json' } });
      assertError(res, 400, 'ModelArts.0104');
    });

    test('deeply nested and oversized-looking JSON is a 400, not a 500', async () => {
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const res = await srv.api('POST', base, { token, rawBody: `{"name":"deepname","grants":${deep}}`, headers: { 'content-type': 'application/json' } });
      assertError(res, 400, 'ModelArts.0104');
    });
  });

  describe('odd URLs still get the documented error shape', () => {
    /** status 400 + {error_code, error_msg, request_id} + X-Request-Id; a malformed request may be 0104 or APIGW.0201 */
    const assertMalformed = (res: ApiResponse) => {
      assert.ok(['ModelArts.0104', 'APIGW.0201'].includes(res.body?.error_code), JSON.stringify(res.body));
      assertError(res, 400, res.body.error_code);
    };

    test('malformed percent-encoding in the project segment → 400 in the ModelArts error shape', async () => {
      assertMalformed(await srv.api('GET', '/v1/%zz/workspaces', { token }));
    });

    test('malformed percent-encoding in the workspace segment → 400 in the ModelArts error shape', async () => {
      assertMalformed(await srv.api('GET', `${base}/%E0%A4%A`, { token }));
    });

    test('a workspace id of 101–128 characters is valid input (schema maxLength 128): unknown → 400 7005', async () => {
      for (const length of [101, 128]) {
        const id = 'a'.repeat(length);
        assertError(await srv.api('GET', `${base}/${id}`, { token }), 400, 'ModelArts.7005', `workspace:${id} not existed`);
      }
    });

    test('a workspace id longer than 128 characters → 400 ModelArts.0104', async () => {
      assertError(await srv.api('GET', `${base}/${'a'.repeat(300)}`, { token }), 400, 'ModelArts.0104');
      assertError(await srv.api('DELETE', `${base}/${'a'.repeat(129)}`, { token }), 400, 'ModelArts.0104');
    });
  });

  describe('unknown routes → 404 APIGW.0101', () => {
    // GET / is the web console's redirect (test/console-serving.test.ts).
    const routes: Array<[string, string]> = [
      ['GET', '/v1'],
      ['GET', '/v2/PROJECT/workspaces'],
      ['GET', '/v1/PROJECT/workspace'],
      ['GET', '/v1/PROJECT/workspaces/0/quota'],
      ['GET', '/v1/PROJECT/workspaces/0/auth'],
      ['GET', '/v1/PROJECT/workspaces/0/unknown/deeper'],
      ['PATCH', '/v1/PROJECT/workspaces/0'],
      ['POST', '/v1/PROJECT/workspaces/0'],
      ['DELETE', '/v1/PROJECT/workspaces'],
      ['PUT', '/v1/PROJECT/workspaces'],
      ['POST', '/v1/PROJECT/workspaces/0/quotas'],
    ];
    for (const [method, path] of routes) {
      test(`${method} ${path}`, async () => {
        const res = await srv.api(method, path.replace('PROJECT', srv.projectId), { token });
        assertError(res, 404, 'APIGW.0101');
      });
    }
  });
});

describe('workspaces: per-project limit (MAWS_MAX_WORKSPACES=3) → 400 ModelArts.7006', () => {
  let srv: TestServer;
  let token: string;
  let base: string;

  before(async () => {
    srv = await startTestServer({ MAWS_MAX_WORKSPACES: '3' });
    token = await srv.rootToken();
    base = `/v1/${srv.projectId}/workspaces`;
  });
  after(() => srv.close());

  test('the default workspace counts towards the limit; a deletion frees a slot once the workspace is gone', async () => {
    const a = ok(await srv.api('POST', base, { token, body: { name: uniq('lim') } }));
    ok(await srv.api('POST', base, { token, body: { name: uniq('lim') } }));
    const third = uniq('lim');
    assertError(await srv.api('POST', base, { token, body: { name: third } }), 400, 'ModelArts.7006', 'workspace number over limit, limit: 3');
    const list = ok(await srv.api('GET', base, { token }));
    assert.equal(list.total_count, 3);
    assert.ok(list.workspaces.some((w: any) => w.id === '0'));
    // a failed create must not consume a slot or leave a row
    assert.equal(ok(await srv.api('GET', `${base}?name=${third}`, { token })).total_count, 0);

    ok(await srv.api('DELETE', `${base}/${a.id}`, { token }));
    await eventually(async () => ((await srv.api('GET', `${base}/${a.id}`, { token })).status === 400 ? true : undefined));
    assert.equal(ok(await srv.api('POST', base, { token, body: { name: third } })).name, third);
    assertError(await srv.api('POST', base, { token, body: { name: uniq('lim') } }), 400, 'ModelArts.7006');
  });

  test('concurrent creates never exceed the limit', async () => {
    const list = ok(await srv.api('GET', base, { token }));
    for (const w of list.workspaces.filter((x: any) => x.id !== '0')) ok(await srv.api('DELETE', `${base}/${w.id}`, { token }));
    await eventually(async () => (ok(await srv.api('GET', base, { token })).total_count === 1 ? true : undefined));
    const results = await Promise.all(Array.from({ length: 6 }, () => srv.api('POST', base, { token, body: { name: uniq('conc') } })));
    assert.equal(results.filter((r) => r.status === 200).length, 2);
    for (const r of results.filter((x) => x.status !== 200)) assertError(r, 400, 'ModelArts.7006');
    assert.equal(ok(await srv.api('GET', base, { token })).total_count, 3);
  });
});
