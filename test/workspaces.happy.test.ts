import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { HEX32, addEnterpriseProject, assertError, ok, uniq } from './helpers/fixtures.js';
import { type TestServer, type TestUser, eventually, startTestServer } from './helpers/server.js';

const WORKSPACE_KEYS = [
  'auth_type',
  'create_time',
  'description',
  'enterprise_project_id',
  'enterprise_project_name',
  'grants',
  'id',
  'name',
  'owner',
  'status',
  'status_info',
  'update_time',
];
const SUMMARY_KEYS = WORKSPACE_KEYS.filter((k) => k !== 'grants');

describe('workspaces: happy paths', () => {
  let srv: TestServer;
  let token: string;
  let base: string;
  let alice: TestUser;
  let aliceToken: string;

  before(async () => {
    srv = await startTestServer();
    token = await srv.rootToken();
    base = `/v1/${srv.projectId}/workspaces`;
    alice = await srv.newUser();
    aliceToken = await srv.login(alice);
  });
  after(() => srv.close());

  const create = async (body: object, t = token) => ok(await srv.api('POST', base, { token: t, body }));
  const show = async (id: string, t = token) => ok(await srv.api('GET', `${base}/${id}`, { token: t }));
  const list = async (query = '', t = token) => ok(await srv.api('GET', `${base}${query}`, { token: t }));
  const update = async (id: string, body: object, t = token) => ok(await srv.api('PUT', `${base}/${id}`, { token: t, body }));
  /** waits until the server clock has moved past a timestamp, so the next write gets a later time */
  const after1ms = (time: number) => eventually(async () => (Date.now() > time + 1 ? true : undefined));

  describe('create', () => {
    test('minimal body: the full workspace object with documented defaults', async () => {
      const name = uniq('min');
      const t0 = Date.now();
      const ws = await create({ name });
      const t1 = Date.now();
      assert.deepEqual(Object.keys(ws).sort(), WORKSPACE_KEYS);
      assert.match(ws.id, HEX32);
      assert.equal(ws.name, name);
      assert.equal(ws.description, '');
      assert.equal(ws.owner, srv.root.name);
      assert.equal(ws.enterprise_project_id, '0');
      assert.equal(ws.enterprise_project_name, 'default');
      assert.equal(ws.auth_type, 'public');
      assert.equal(ws.status, 'NORMAL');
      assert.equal(ws.status_info, '');
      assert.deepEqual(ws.grants, []);
      assert.ok(Number.isInteger(ws.create_time));
      assert.ok(ws.create_time >= t0 && ws.create_time <= t1, `create_time ${ws.create_time} is epoch ms of now`);
      assert.equal(ws.update_time, ws.create_time);
      // show returns exactly what create returned
      assert.deepEqual(await show(ws.id), ws);
    });

    test('all fields: description kept, auth_type accepted in any case and returned lower-case', async () => {
      const cases: Array<[string, string]> = [
        ['PUBLIC', 'public'],
        ['Private', 'private'],
        ['iNtErNaL', 'internal'],
        ['public', 'public'],
        ['PRIVATE', 'private'],
      ];
      for (const [given, expected] of cases) {
        const description = `描述 with spaces, punctuation!? ${given}`;
        const ws = await create({ name: uniq('case'), description, auth_type: given, enterprise_project_id: '0' });
        assert.equal(ws.auth_type, expected, given);
        assert.equal(ws.description, description);
        assert.equal((await show(ws.id)).auth_type, expected);
      }
    });

    test('name edge values: 4 and 64 characters, Chinese characters, "-" and "_"', async () => {
      const four = randomBytes(2).toString('hex');
      const sixtyFour = `${uniq('n')}${'x'.repeat(64)}`.slice(0, 64);
      const chinese = `工作空间_${randomBytes(2).toString('hex')}`;
      const dashes = `-_${randomBytes(2).toString('hex')}-_`;
      for (const name of [four, sixtyFour, chinese, dashes]) {
        const ws = await create({ name });
        assert.equal(ws.name, name);
        assert.equal((await show(ws.id)).name, name);
      }
    });

    test('description of exactly 256 characters (including multi-byte ones)', async () => {
      const description = '描'.repeat(256);
      const ws = await create({ name: uniq('desc'), description });
      assert.equal(ws.description, description);
    });

    test('INTERNAL with grants by user_name or user_id: both id and name are returned', async () => {
      const bob = await srv.newUser();
      const ws = await create({
        name: uniq('int'),
        auth_type: 'INTERNAL',
        grants: [{ user_name: alice.name }, { user_id: bob.id }],
      });
      assert.equal(ws.auth_type, 'internal');
      assert.deepEqual(ws.grants, [
        { user_id: alice.id, user_name: alice.name, user_type: 'IAM' },
        { user_id: bob.id, user_name: bob.name, user_type: 'IAM' },
      ]);
      assert.deepEqual((await show(ws.id)).grants, ws.grants);
    });

    test('a grant with both user_id and user_name: user_id wins', async () => {
      const bob = await srv.newUser();
      const ws = await create({ name: uniq('both'), auth_type: 'internal', grants: [{ user_id: bob.id, user_name: alice.name }] });
      assert.deepEqual(ws.grants, [{ user_id: bob.id, user_name: bob.name, user_type: 'IAM' }]);
    });

    test('grants are only stored for INTERNAL workspaces', async () => {
      for (const auth_type of ['public', 'private', undefined]) {
        const ws = await create({ name: uniq('nogr'), auth_type, grants: [{ user_name: alice.name }] });
        assert.deepEqual(ws.grants, [], String(auth_type));
        assert.deepEqual((await show(ws.id)).grants, []);
      }
    });

    test('an IAM user creates a workspace: owner is that user name', async () => {
      const ws = await create({ name: uniq('own'), auth_type: 'private' }, aliceToken);
      assert.equal(ws.owner, alice.name);
      assert.equal((await show(ws.id, aliceToken)).owner, alice.name);
      // the root sees the same object
      assert.deepEqual(await show(ws.id), await show(ws.id, aliceToken));
    });

    test('an enabled enterprise project: id and name are returned', async () => {
      const ep = await addEnterpriseProject(srv);
      const ws = await create({ name: uniq('ep'), enterprise_project_id: ep.id });
      assert.equal(ws.enterprise_project_id, ep.id);
      assert.equal(ws.enterprise_project_name, ep.name);
      const shown = await show(ws.id);
      assert.equal(shown.enterprise_project_name, ep.name);
    });

    test('unknown keys in the body are ignored', async () => {
      const ws = await create({ name: uniq('extra'), workspace_id: 'nope', id: 'abc', owner: 'mallory', status: 'DELETING' });
      assert.match(ws.id, HEX32);
      assert.equal(ws.owner, srv.root.name);
      assert.equal(ws.status, 'NORMAL');
    });
  });

  describe('list', () => {
    test('default parameters: every workspace incl. "0", items without grants, sorted by name desc', async () => {
      await create({ name: uniq('lst') });
      const body = await list();
      assert.deepEqual(Object.keys(body).sort(), ['count', 'total_count', 'workspaces']);
      assert.equal(body.count, body.workspaces.length);
      assert.equal(body.total_count, body.workspaces.length);
      for (const item of body.workspaces) assert.deepEqual(Object.keys(item).sort(), SUMMARY_KEYS, item.name);
      const def = body.workspaces.find((w: any) => w.id === '0');
      assert.ok(def, 'default workspace is listed');
      assert.equal(def.name, 'default');
      assert.equal(def.auth_type, 'public');
      assert.equal(def.enterprise_project_id, '0');
      assert.equal(def.enterprise_project_name, 'default');
      assert.equal(def.status, 'NORMAL');
      assert.equal(def.owner, srv.root.name);
      const names = body.workspaces.map((w: any) => w.name);
      assert.deepEqual(names, [...names].sort().reverse());
    });

    test('offset is a page index: skip offset × limit', async () => {
      const tag = uniq('pg');
      const names = ['a', 'b', 'c', 'd', 'e'].map((x) => `${tag}_${x}`);
      for (const name of names) await create({ name });
      const page = async (offset: number) => list(`?name=${tag}&limit=2&offset=${offset}&sort_by=name&order=asc`);
      const pages = [await page(0), await page(1), await page(2), await page(3), await page(50)];
      assert.deepEqual(
        pages.map((p) => p.workspaces.map((w: any) => w.name)),
        [names.slice(0, 2), names.slice(2, 4), names.slice(4), [], []],
      );
      assert.deepEqual(
        pages.map((p) => [p.total_count, p.count]),
        [[5, 2], [5, 2], [5, 1], [5, 0], [5, 0]],
      );
      // offset 2147483647 (the documented maximum) is simply past the end
      const far = await list(`?name=${tag}&limit=1000&offset=2147483647`);
      assert.deepEqual(far, { total_count: 5, count: 0, workspaces: [] });
    });

    test('sort_by name asc/desc, limit boundaries 1 and 1000', async () => {
      const tag = uniq('srt');
      const names = [`${tag}_c`, `${tag}_a`, `${tag}_b`];
      for (const name of names) await create({ name });
      const asc = await list(`?name=${tag}&sort_by=name&order=asc`);
      assert.deepEqual(asc.workspaces.map((w: any) => w.name), [`${tag}_a`, `${tag}_b`, `${tag}_c`]);
      const desc = await list(`?name=${tag}&sort_by=name&order=desc`);
      assert.deepEqual(desc.workspaces.map((w: any) => w.name), [`${tag}_c`, `${tag}_b`, `${tag}_a`]);
      const dflt = await list(`?name=${tag}`);
      assert.deepEqual(dflt.workspaces.map((w: any) => w.name), [`${tag}_c`, `${tag}_b`, `${tag}_a`]);
      const one = await list(`?name=${tag}&limit=1&order=asc`);
      assert.deepEqual([one.total_count, one.count, one.workspaces[0].name], [3, 1, `${tag}_a`]);
      const max = await list(`?name=${tag}&limit=1000`);
      assert.equal(max.count, 3);
    });

    test('sort_by update_time follows the last update', async () => {
      const tag = uniq('upd');
      const first = await create({ name: `${tag}_1` });
      const second = await create({ name: `${tag}_2` });
      await after1ms(Math.max(first.create_time, second.create_time));
      await update(first.id, { description: 'touched' });
      const asc = await list(`?name=${tag}&sort_by=update_time&order=asc`);
      assert.deepEqual(asc.workspaces.map((w: any) => w.id), [second.id, first.id]);
      const desc = await list(`?name=${tag}&sort_by=update_time&order=desc`);
      assert.deepEqual(desc.workspaces.map((w: any) => w.id), [first.id, second.id]);
    });

    test('name filter: substring, case-insensitive, "_" is literal, Chinese works', async () => {
      const tag = randomBytes(3).toString('hex');
      const under = await create({ name: `Ab_Cd${tag}` });
      const plain = await create({ name: `AbXCd${tag}` });
      const zh = await create({ name: `模型${tag}空间` });
      const ids = (body: any) => body.workspaces.map((w: any) => w.id).sort();
      assert.deepEqual(ids(await list(`?name=${tag}`)), [under.id, plain.id, zh.id].sort());
      assert.deepEqual(ids(await list(`?name=b_c`)).filter((id: string) => [under.id, plain.id].includes(id)), [under.id]);
      assert.deepEqual(ids(await list(`?name=ab_cd${tag.toUpperCase()}`)), [under.id]);
      assert.deepEqual(ids(await list(`?name=ABXCD${tag}`)), [plain.id]);
      assert.deepEqual(ids(await list(`?name=${encodeURIComponent(`${tag}空间`)}`)), [zh.id]);
      const none = await list(`?name=${tag}zz`);
      assert.deepEqual(none, { total_count: 0, count: 0, workspaces: [] });
    });

    test('enterprise_project_id filter is exact', async () => {
      const ep = await addEnterpriseProject(srv);
      const inEp = await create({ name: uniq('inep'), enterprise_project_id: ep.id });
      const inDefault = await create({ name: uniq('indf') });
      const byEp = await list(`?enterprise_project_id=${ep.id}`);
      assert.deepEqual(byEp.workspaces.map((w: any) => w.id), [inEp.id]);
      assert.equal(byEp.total_count, 1);
      assert.equal(byEp.workspaces[0].enterprise_project_name, ep.name);
      const byZero = await list('?enterprise_project_id=0');
      assert.ok(byZero.workspaces.length >= 2);
      assert.ok(byZero.workspaces.every((w: any) => w.enterprise_project_id === '0'));
      const zeroIds = byZero.workspaces.map((w: any) => w.id);
      assert.ok(zeroIds.includes('0') && zeroIds.includes(inDefault.id) && !zeroIds.includes(inEp.id));
      assert.equal(byZero.total_count, byZero.workspaces.length);
    });

    test('filter_accessible=true hides what the caller cannot access; without it everything is listed', async () => {
      const tag = uniq('acc');
      const carol = await srv.newUser();
      const pub = await create({ name: `${tag}_pub`, auth_type: 'public' });
      const priv = await create({ name: `${tag}_priv`, auth_type: 'private' });
      const granted = await create({ name: `${tag}_igr`, auth_type: 'internal', grants: [{ user_id: alice.id }] });
      const notGranted = await create({ name: `${tag}_ing`, auth_type: 'internal', grants: [{ user_id: carol.id }] });
      const own = await create({ name: `${tag}_own`, auth_type: 'private' }, aliceToken);
      const ids = (body: any) => body.workspaces.map((w: any) => w.id).sort();
      const all = [pub.id, priv.id, granted.id, notGranted.id, own.id].sort();

      const aliceAll = await list(`?name=${tag}`, aliceToken);
      assert.deepEqual(ids(aliceAll), all);
      assert.equal(aliceAll.total_count, 5);
      const aliceFalse = await list(`?name=${tag}&filter_accessible=false`, aliceToken);
      assert.deepEqual(ids(aliceFalse), all);

      const aliceFiltered = await list(`?name=${tag}&filter_accessible=true`, aliceToken);
      assert.deepEqual(ids(aliceFiltered), [pub.id, granted.id, own.id].sort());
      assert.equal(aliceFiltered.total_count, 3);
      assert.equal(aliceFiltered.count, 3);

      const carolFiltered = await list(`?name=${tag}&filter_accessible=true`, await srv.login(carol));
      assert.deepEqual(ids(carolFiltered), [pub.id, notGranted.id].sort());

      const rootFiltered = await list(`?name=${tag}&filter_accessible=true`);
      assert.deepEqual(ids(rootFiltered), all);

      // unfiltered by name: the default workspace is public, so it stays
      const everything = await list('?filter_accessible=true', aliceToken);
      assert.ok(everything.workspaces.some((w: any) => w.id === '0'));
      assert.ok(!everything.workspaces.some((w: any) => w.id === priv.id));
      assert.equal(everything.total_count, everything.count);
    });

    test('all query parameters together', async () => {
      const tag = uniq('all');
      const a = await create({ name: `${tag}_a` });
      await create({ name: `${tag}_b`, auth_type: 'private' });
      const body = await list(
        `?offset=0&limit=5&sort_by=name&order=asc&enterprise_project_id=0&name=${tag}&filter_accessible=true`,
        aliceToken,
      );
      assert.deepEqual(body.workspaces.map((w: any) => w.id), [a.id]);
      assert.equal(body.total_count, 1);
    });
  });

  describe('show', () => {
    test('the default workspace "0"', async () => {
      const def = await show('0');
      assert.deepEqual(Object.keys(def).sort(), WORKSPACE_KEYS);
      assert.equal(def.id, '0');
      assert.equal(def.name, 'default');
      assert.equal(def.auth_type, 'public');
      assert.equal(def.enterprise_project_id, '0');
      assert.equal(def.enterprise_project_name, 'default');
      assert.equal(def.status, 'NORMAL');
      assert.deepEqual(def.grants, []);
      // public: any IAM user may read it
      assert.equal((await show('0', aliceToken)).id, '0');
    });

    test('PRIVATE: owner and root; INTERNAL: owner, root and granted users', async () => {
      const priv = await create({ name: uniq('sp'), auth_type: 'private' }, aliceToken);
      assert.equal((await show(priv.id, aliceToken)).id, priv.id);
      assert.equal((await show(priv.id)).id, priv.id);
      const internal = await create({ name: uniq('si'), auth_type: 'internal', grants: [{ user_name: alice.name }] });
      const shown = await show(internal.id, aliceToken);
      assert.deepEqual(shown.grants, [{ user_id: alice.id, user_name: alice.name, user_type: 'IAM' }]);
    });

    test('concurrent shows (looked up together) each get their own workspace, grants and verdict', async () => {
      const bob = await srv.newUser();
      const pub = await create({ name: uniq('cp') });
      const toAlice = await create({ name: uniq('ca'), auth_type: 'internal', grants: [{ user_id: alice.id }] });
      const toBob = await create({ name: uniq('cb'), auth_type: 'internal', grants: [{ user_id: bob.id }, { user_id: alice.id }] });
      const bobsOwn = await create({ name: uniq('cv'), auth_type: 'private' }, await srv.login(bob));
      const missing = randomBytes(16).toString('hex');
      const asks = [pub, toAlice, toBob, bobsOwn, { id: missing }, pub, toAlice];
      const answers = await Promise.all(asks.map((w) => srv.api('GET', `${base}/${w.id}`, { token: aliceToken })));
      assert.deepEqual(
        answers.map((r) => r.status),
        [200, 200, 200, 403, 400, 200, 200],
      );
      assert.deepEqual(answers[0]!.body, pub);
      assert.deepEqual(answers[1]!.body.grants, [{ user_id: alice.id, user_name: alice.name, user_type: 'IAM' }]);
      assert.deepEqual(
        answers[2]!.body.grants.map((g: { user_id: string }) => g.user_id),
        [bob.id, alice.id],
      );
      assert.equal(answers[4]!.body.error_code, 'ModelArts.7005');
      assert.deepEqual(answers[5]!.body, pub);
      assert.equal(answers[6]!.body.id, toAlice.id);
    });
  });

  describe('update', () => {
    test('rename and describe: returns {workspace_id}, update_time increases, create_time stays', async () => {
      const ws = await create({ name: uniq('u1'), description: 'before' });
      await after1ms(ws.create_time);
      const name = uniq('u1new');
      const res = await update(ws.id, { name, description: 'after' });
      assert.deepEqual(res, { workspace_id: ws.id });
      const shown = await show(ws.id);
      assert.equal(shown.name, name);
      assert.equal(shown.description, 'after');
      assert.equal(shown.create_time, ws.create_time);
      assert.ok(shown.update_time > ws.update_time, `${shown.update_time} > ${ws.update_time}`);
      assert.equal(shown.auth_type, 'public');
      assert.equal(shown.owner, ws.owner);
    });

    test('omitted name/description/auth_type are unchanged', async () => {
      const ws = await create({ name: uniq('u2'), description: 'keep me', auth_type: 'private' });
      await update(ws.id, { description: 'changed' });
      let shown = await show(ws.id);
      assert.deepEqual([shown.name, shown.description, shown.auth_type], [ws.name, 'changed', 'private']);
      await update(ws.id, { name: `${ws.name}x` });
      shown = await show(ws.id);
      assert.deepEqual([shown.name, shown.description, shown.auth_type], [`${ws.name}x`, 'changed', 'private']);
      await update(ws.id, { auth_type: 'PUBLIC' });
      shown = await show(ws.id);
      assert.deepEqual([shown.name, shown.description, shown.auth_type], [`${ws.name}x`, 'changed', 'public']);
      await update(ws.id, {});
      shown = await show(ws.id);
      assert.deepEqual([shown.name, shown.description, shown.auth_type], [`${ws.name}x`, 'changed', 'public']);
      // an empty description is a value, not an omission
      await update(ws.id, { description: '' });
      assert.equal((await show(ws.id)).description, '');
    });

    test('Terraform flow: PUT without grants clears them, PUT with grants replaces them', async () => {
      const bob = await srv.newUser();
      const ws = await create({ name: uniq('tf'), description: '', auth_type: 'internal', grants: [{ user_id: alice.id }] });
      assert.equal(ws.grants.length, 1);
      await update(ws.id, { name: ws.name, description: 'tf', auth_type: 'internal' });
      let shown = await show(ws.id);
      assert.deepEqual(shown.grants, []);
      assert.equal(shown.auth_type, 'internal');
      await update(ws.id, { name: ws.name, description: 'tf', auth_type: 'internal', grants: [{ user_name: bob.name }] });
      shown = await show(ws.id);
      assert.deepEqual(shown.grants, [{ user_id: bob.id, user_name: bob.name, user_type: 'IAM' }]);
      await update(ws.id, { grants: [{ user_id: alice.id }, { user_name: bob.name }] });
      shown = await show(ws.id);
      assert.deepEqual(
        shown.grants.map((g: any) => g.user_id),
        [alice.id, bob.id],
      );
      await update(ws.id, { description: 'no grants key' });
      assert.deepEqual((await show(ws.id)).grants, []);
    });

    test('switching INTERNAL to PRIVATE drops the grants and the granted user loses access', async () => {
      const ws = await create({ name: uniq('i2p'), auth_type: 'internal', grants: [{ user_id: alice.id }] });
      assert.equal((await show(ws.id, aliceToken)).id, ws.id);
      await update(ws.id, { auth_type: 'private', grants: [{ user_id: alice.id }] });
      const shown = await show(ws.id);
      assert.equal(shown.auth_type, 'private');
      assert.deepEqual(shown.grants, []);
      assertError(await srv.api('GET', `${base}/${ws.id}`, { token: aliceToken }), 403, 'ModelArts.0108');
    });

    test('the owner (an IAM user) may update their workspace', async () => {
      const ws = await create({ name: uniq('ownu'), auth_type: 'private' }, aliceToken);
      assert.deepEqual(await update(ws.id, { description: 'mine' }, aliceToken), { workspace_id: ws.id });
      assert.equal((await show(ws.id, aliceToken)).description, 'mine');
    });

    test('the default workspace: its description may change', async () => {
      const before0 = await show('0');
      await after1ms(before0.update_time);
      assert.deepEqual(await update('0', { description: 'the default one' }), { workspace_id: '0' });
      let def = await show('0');
      assert.equal(def.description, 'the default one');
      assert.equal(def.name, 'default');
      assert.ok(def.update_time > before0.update_time);
      // sending its own name and PUBLIC is not a modification of either
      assert.deepEqual(await update('0', { name: 'default', description: '', auth_type: 'PUBLIC' }), { workspace_id: '0' });
      def = await show('0');
      assert.deepEqual([def.name, def.description, def.auth_type], ['default', '', 'public']);
    });
  });

  describe('delete', () => {
    test('returns {workspace_id}, the workspace disappears from show, list and total_count; the name is reusable', async () => {
      const name = uniq('del');
      const ws = await create({ name, auth_type: 'internal', grants: [{ user_id: alice.id }] });
      const totalBefore = (await list()).total_count;
      assert.deepEqual(ok(await srv.api('DELETE', `${base}/${ws.id}`, { token })), { workspace_id: ws.id });
      await eventually(async () => {
        const res = await srv.api('GET', `${base}/${ws.id}`, { token });
        if (res.status === 200) {
          assert.equal(res.body.status, 'DELETING');
          return undefined;
        }
        return res;
      }).then((res) => assertError(res, 400, 'ModelArts.7005', `workspace:${ws.id} not existed`));
      const after = await list();
      assert.equal(after.total_count, totalBefore - 1);
      assert.ok(!after.workspaces.some((w: any) => w.id === ws.id));
      assert.deepEqual(await list(`?name=${name}`), { total_count: 0, count: 0, workspaces: [] });
      const again = await create({ name });
      assert.notEqual(again.id, ws.id);
      assert.deepEqual(again.grants, []);
      assert.equal((await list(`?name=${name}`)).total_count, 1);
    });

    test('the owner (an IAM user) may delete their workspace', async () => {
      const ws = await create({ name: uniq('odel') }, aliceToken);
      assert.deepEqual(ok(await srv.api('DELETE', `${base}/${ws.id}`, { token: aliceToken })), { workspace_id: ws.id });
      await eventually(async () => ((await srv.api('GET', `${base}/${ws.id}`, { token })).status === 400 ? true : undefined));
    });
  });

  describe('quotas and authorization (smoke; details in their own files)', () => {
    test('a fresh workspace has quotas, the first one limited, with update_time = create_time', async () => {
      const ws = await create({ name: uniq('q') });
      const { quotas } = ok(await srv.api('GET', `${base}/${ws.id}/quotas`, { token }));
      assert.ok(quotas.length >= 1);
      const first = quotas[0];
      assert.deepEqual(Object.keys(first).sort(), [
        'max_quota',
        'min_quota',
        'name_cn',
        'name_en',
        'quota',
        'resource',
        'unit_cn',
        'unit_en',
        'update_time',
        'used_quota',
      ]);
      assert.equal(first.resource, 'exemlProject.gpu_duration');
      assert.notEqual(first.quota, -1);
      assert.equal(first.used_quota, 0);
      for (const q of quotas) {
        assert.equal(q.update_time, ws.create_time, q.resource);
        assert.equal(q.used_quota, q.quota === -1 ? null : 0, q.resource);
      }
    });

    test('the root may do everything in its workspace', async () => {
      const ws = await create({ name: uniq('va'), auth_type: 'private' });
      const res = ok(
        await srv.api('POST', `${base}/${ws.id}/auth`, {
          token,
          body: { requests: [{ action_id: 'x1', action: 'modelarts:workspace:delete' }] },
        }),
      );
      assert.deepEqual(res, { results: [{ action: 'modelarts:workspace:delete', verdict: 'allow', action_id: 'x1', resource: '' }] });
    });
  });

  describe('wire quirks that real clients rely on', () => {
    test('a trailing slash is accepted on every route', async () => {
      const ws = await create({ name: uniq('slash') });
      ok(await srv.api('POST', `${base}/`, { token, body: { name: uniq('slash2') } }));
      assert.ok(ok(await srv.api('GET', `${base}/?name=${ws.name}`, { token })).total_count === 1);
      assert.equal(ok(await srv.api('GET', `${base}/${ws.id}/`, { token })).id, ws.id);
      ok(await srv.api('PUT', `${base}/${ws.id}/`, { token, body: { description: 'slash' } }));
      ok(await srv.api('GET', `${base}/${ws.id}/quotas/`, { token }));
      ok(await srv.api('PUT', `${base}/${ws.id}/quotas/`, { token, body: { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 5 }] } }));
      ok(await srv.api('POST', `${base}/${ws.id}/auth/`, { token, body: { requests: [{ action_id: 'a', action: 'modelarts:notebook:create' }] } }));
      assert.deepEqual(ok(await srv.api('DELETE', `${base}/${ws.id}/`, { token })), { workspace_id: ws.id });
    });

    test('JSON content-type variants used by the SDKs and Terraform are accepted', async () => {
      for (const contentType of [
        'application/json',
        'application/json;charset=UTF-8',
        'application/json;charset=utf8',
        'application/json; charset=utf-8',
        'APPLICATION/JSON',
      ]) {
        const name = uniq('ct');
        const res = await srv.api('POST', base, {
          token,
          rawBody: JSON.stringify({ name }),
          headers: { 'content-type': contentType },
        });
        assert.equal(ok(res).name, name, contentType);
      }
    });

    test('GET and DELETE with content-type: application/json and an empty body', async () => {
      const ws = await create({ name: uniq('empty') });
      const headers = { 'content-type': 'application/json;charset=utf8' };
      assert.equal(ok(await srv.api('GET', `${base}/${ws.id}`, { token, headers })).id, ws.id);
      ok(await srv.api('GET', `${base}?limit=1`, { token, headers }));
      ok(await srv.api('GET', `${base}/${ws.id}/quotas`, { token, headers }));
      assert.deepEqual(
        ok(await srv.api('DELETE', `${base}/${ws.id}`, { token, headers: { 'content-type': 'application/json' } })),
        { workspace_id: ws.id },
      );
    });

    test('query strings are coerced (numbers and booleans arrive as text)', async () => {
      const body = await list('?limit=00001&offset=0&filter_accessible=true&order=asc');
      assert.equal(body.count, 1);
    });

    test('success responses are JSON with an X-Request-Id', async () => {
      const res = await srv.api('GET', `${base}/0`, { token });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.ok((res.headers.get('x-request-id') ?? '').length > 0);
      const other = await srv.api('GET', `${base}/0`, { token });
      assert.notEqual(other.headers.get('x-request-id'), res.headers.get('x-request-id'));
      const health = await srv.api('GET', '/healthz');
      assert.equal(health.status, 200);
      assert.match(health.headers.get('x-request-id') ?? '', /^[0-9a-f]{32}$/);
      const unmatched = await srv.api('GET', '/v1/no/such/route', { token });
      assert.equal(unmatched.status, 404);
      assert.equal(unmatched.headers.get('x-request-id'), unmatched.body.request_id);
      // No such API comes first, whatever the body.
      const badBody = await srv.api('POST', '/v1/no/such/route', { token, rawBody: '{bad', headers: { 'content-type': 'application/json' } });
      assert.equal(badBody.status, 404);
      assert.equal(badBody.body.error_code, 'APIGW.0101');
    });
  });

  test('grants as shown (with "" for unknown parts) can be sent back unchanged', async () => {
    const member = await srv.newUser();
    const ws = ok(
      await srv.api('POST', base, {
        token,
        body: { name: uniq('roundtrip'), auth_type: 'INTERNAL', grants: [{ user_name: member.name }, { user_name: 'fed-user', user_type: 'FEDERATE' }] },
      }),
    );
    const shown = ok(await srv.api('GET', `${base}/${ws.id}`, { token }));
    assert.deepEqual(shown.grants, [
      { user_id: member.id, user_name: member.name, user_type: 'IAM' },
      { user_id: '', user_name: 'fed-user', user_type: 'FEDERATE' },
    ]);
    ok(await srv.api('PUT', `${base}/${ws.id}`, { token, body: { description: 'same grants', grants: shown.grants } }));
    assert.deepEqual(ok(await srv.api('GET', `${base}/${ws.id}`, { token })).grants, shown.grants);
    assertError(await srv.api('PUT', `${base}/${ws.id}`, { token, body: { grants: [{ user_id: '', user_name: '' }] } }), 400, 'ModelArts.0104');
  });
});
