import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertError, ok, uniq } from './helpers/fixtures.js';
import { type TestServer, type TestUser, eventually, startTestServer } from './helpers/server.js';

// The server runs with its own catalog (MAWS_QUOTA_CATALOG) so that every bound rule can be
// exercised: items whose min_quota is -1 (unlimited allowed), >0, and 0.
const GPU = 'exemlProject.gpu_duration';
const TRAIN = 'trainJob.gpu_duration';
const BOUNDED = 'test.bounded_count';
const FLOOR = 'test.zero_floor';
const CATALOG = [
  {
    resource: GPU,
    name_en: 'ExeML training duration (image classification, object detection, and sound classification)',
    name_cn: '自动学习（图像分类、物体检测、声音分类）训练时长',
    unit_en: 'minute',
    unit_cn: '分钟',
    min_quota: -1,
    max_quota: 60000,
    default_quota: 600,
  },
  { resource: TRAIN, name_en: 'Training job GPU duration', name_cn: '训练作业GPU时长', unit_en: 'minute', unit_cn: '分钟', min_quota: -1, max_quota: 6000000, default_quota: -1 },
  { resource: BOUNDED, name_en: 'Bounded things', name_cn: '有界资源', unit_en: 'item', unit_cn: '个', min_quota: 10, max_quota: 100, default_quota: 50 },
  { resource: FLOOR, name_en: 'Zero floor', name_cn: '零下限', unit_en: 'item', unit_cn: '个', min_quota: 0, max_quota: 5, default_quota: 0 },
];
type CatalogItem = (typeof CATALOG)[number];

const QUOTA_KEYS = ['max_quota', 'min_quota', 'name_cn', 'name_en', 'quota', 'resource', 'unit_cn', 'unit_en', 'update_time', 'used_quota'];
const UPDATED_KEYS = QUOTA_KEYS.filter((k) => k !== 'used_quota');

function expectedItem(def: CatalogItem, quota: number, updateTime: number) {
  const { default_quota: _d, ...rest } = def;
  return { ...rest, quota, update_time: updateTime, used_quota: quota === -1 ? null : 0 };
}

function updatedItem(def: CatalogItem, quota: number, updateTime: number) {
  const { used_quota: _u, ...rest } = expectedItem(def, quota, updateTime);
  return rest;
}

const byResource = (resource: string) => CATALOG.find((c) => c.resource === resource)!;

describe('workspace quotas', () => {
  let srv: TestServer;
  let token: string;
  let base: string;
  let catalogDir: string;
  let alice: TestUser;
  let aliceToken: string;

  before(async () => {
    catalogDir = await fs.mkdtemp(path.join(os.tmpdir(), 'maws-quota-catalog-'));
    const file = path.join(catalogDir, 'catalog.json');
    await fs.writeFile(file, JSON.stringify(CATALOG));
    srv = await startTestServer({ MAWS_QUOTA_CATALOG: file });
    token = await srv.rootToken();
    base = `/v1/${srv.projectId}/workspaces`;
    alice = await srv.newUser();
    aliceToken = await srv.login(alice);
  });
  after(async () => {
    await srv.close();
    await fs.rm(catalogDir, { recursive: true, force: true });
  });

  const create = async (body: object = {}, t = token) => ok(await srv.api('POST', base, { token: t, body: { name: uniq('q'), ...body } }));
  const getQuotas = async (id: string, t = token) => ok(await srv.api('GET', `${base}/${id}/quotas`, { token: t })).quotas;
  const putQuotas = (id: string, quotas: unknown, t = token) => srv.api('PUT', `${base}/${id}/quotas`, { token: t, body: { quotas } });

  describe('GET', () => {
    test('a fresh workspace: every catalog item, in catalog order, with all ten fields', async () => {
      const ws = await create();
      const quotas: any = await getQuotas(ws.id);
      for (const q of quotas) assert.deepEqual(Object.keys(q).sort(), QUOTA_KEYS, q.resource);
      assert.equal(quotas[0].resource, GPU);
      assert.equal(quotas[0].used_quota, 0);
      assert.equal(quotas[1].used_quota, null);
      assert.deepEqual(
        quotas,
        CATALOG.map((def) => expectedItem(def, def.default_quota, ws.create_time)),
      );
    });

    test('the default workspace "0" has quotas too (update_time = its create_time)', async () => {
      const def = ok(await srv.api('GET', `${base}/0`, { token }));
      const quotas = await getQuotas('0');
      assert.deepEqual(
        quotas,
        CATALOG.map((c) => expectedItem(c, c.default_quota, def.create_time)),
      );
      assert.equal((await getQuotas('0', aliceToken)).length, CATALOG.length);
    });

    test('readable by whoever can access the workspace', async () => {
      const bob = await srv.newUser();
      const ws = await create({ auth_type: 'internal', grants: [{ user_id: alice.id }] });
      assert.equal((await getQuotas(ws.id, aliceToken)).length, CATALOG.length);
      assertError(await srv.api('GET', `${base}/${ws.id}/quotas`, { token: await srv.login(bob) }), 403, 'ModelArts.0108');
      const priv = await create({ auth_type: 'private' }, aliceToken);
      assert.equal((await getQuotas(priv.id, aliceToken)).length, CATALOG.length);
      assert.equal((await getQuotas(priv.id)).length, CATALOG.length);
    });
  });

  describe('PUT', () => {
    test('one item: only that item comes back, without used_quota; GET shows the new value and time', async () => {
      const ws = await create();
      await eventually(async () => (Date.now() > ws.create_time + 1 ? true : undefined));
      const t0 = Date.now();
      const body = ok(await putQuotas(ws.id, [{ resource: GPU, quota: 10 }]));
      const t1 = Date.now();
      assert.deepEqual(Object.keys(body), ['quotas']);
      assert.equal(body.quotas.length, 1);
      const item = body.quotas[0];
      assert.deepEqual(Object.keys(item).sort(), UPDATED_KEYS);
      assert.ok(item.update_time >= t0 && item.update_time <= t1, 'update_time is now (epoch ms)');
      assert.ok(item.update_time > ws.create_time);
      assert.deepEqual(item, updatedItem(byResource(GPU), 10, item.update_time));

      const quotas = await getQuotas(ws.id);
      assert.deepEqual(quotas, [
        expectedItem(byResource(GPU), 10, item.update_time),
        ...CATALOG.slice(1).map((c) => expectedItem(c, c.default_quota, ws.create_time)),
      ]);
    });

    test('several items at once, returned in request order; unlimited (-1) gives used_quota null', async () => {
      const ws = await create();
      const body = ok(
        await putQuotas(ws.id, [
          { resource: BOUNDED, quota: 77 },
          { resource: GPU, quota: -1 },
          { resource: TRAIN, quota: 120 },
        ]),
      );
      assert.deepEqual(body.quotas.map((q: any) => [q.resource, q.quota]), [[BOUNDED, 77], [GPU, -1], [TRAIN, 120]]);
      const t = body.quotas[0].update_time;
      assert.ok(body.quotas.every((q: any) => q.update_time === t));
      const quotas = await getQuotas(ws.id);
      assert.deepEqual(
        quotas.map((q: any) => [q.resource, q.quota, q.used_quota]),
        [[GPU, -1, null], [TRAIN, 120, 0], [BOUNDED, 77, 0], [FLOOR, 0, 0]],
      );
      // back from unlimited
      ok(await putQuotas(ws.id, [{ resource: GPU, quota: 5 }]));
      const [gpu] = await getQuotas(ws.id);
      assert.deepEqual([gpu.quota, gpu.used_quota], [5, 0]);
    });

    test('a second update changes update_time again', async () => {
      const ws = await create();
      const first = ok(await putQuotas(ws.id, [{ resource: GPU, quota: 1 }])).quotas[0];
      await eventually(async () => (Date.now() > first.update_time + 1 ? true : undefined));
      const second = ok(await putQuotas(ws.id, [{ resource: GPU, quota: 2 }])).quotas[0];
      assert.ok(second.update_time > first.update_time);
      assert.equal((await getQuotas(ws.id))[0].update_time, second.update_time);
    });

    test('bounds: values inside [max(min_quota,0), max_quota] and -1 only where min_quota is -1', async () => {
      const ws = await create();
      const accepted: Array<[string, number]> = [
        [GPU, 0],
        [GPU, 60000],
        [GPU, -1],
        [TRAIN, 6000000],
        [BOUNDED, 10],
        [BOUNDED, 100],
        [FLOOR, 0],
        [FLOOR, 5],
      ];
      for (const [resource, quota] of accepted) {
        const body = ok(await putQuotas(ws.id, [{ resource, quota }]));
        assert.equal(body.quotas[0].quota, quota, `${resource}=${quota}`);
      }
      const rejected: Array<[string, number]> = [
        [GPU, 60001],
        [GPU, -2],
        [TRAIN, 6000001],
        [BOUNDED, 9],
        [BOUNDED, 0],
        [BOUNDED, -1],
        [BOUNDED, 101],
        [FLOOR, -1],
        [FLOOR, 6],
      ];
      for (const [resource, quota] of rejected) {
        assertError(await putQuotas(ws.id, [{ resource, quota }]), 400, 'ModelArts.0104');
      }
      const quotas = await getQuotas(ws.id);
      assert.deepEqual(quotas.map((q: any) => q.quota), [-1, 6000000, 100, 5]);
    });

    test('items carrying an extra workspace_id (as in the 2021 doc example) are accepted', async () => {
      const ws = await create();
      const body = ok(await putQuotas(ws.id, [{ resource: GPU, quota: 33, workspace_id: ws.id }]));
      assert.deepEqual(Object.keys(body.quotas[0]).sort(), UPDATED_KEYS);
      assert.equal((await getQuotas(ws.id))[0].quota, 33);
    });

    test('the SDK content type application/json;charset=UTF-8', async () => {
      const ws = await create();
      const res = await srv.api('PUT', `${base}/${ws.id}/quotas`, {
        token,
        rawBody: JSON.stringify({ quotas: [{ resource: GPU, quota: 12 }] }),
        headers: { 'content-type': 'application/json;charset=UTF-8' },
      });
      assert.equal(ok(res).quotas[0].quota, 12);
    });

    test('the default workspace "0" may have its quotas changed by the root', async () => {
      const body = ok(await putQuotas('0', [{ resource: FLOOR, quota: 3 }]));
      assert.equal(body.quotas[0].quota, 3);
      assert.equal((await getQuotas('0')).find((q: any) => q.resource === FLOOR).quota, 3);
      ok(await putQuotas('0', [{ resource: FLOOR, quota: 0 }]));
    });
  });

  describe('PUT: invalid bodies → 400 ModelArts.0104, nothing applied', () => {
    const invalid: Array<[string, unknown]> = [
      ['unknown resource', { quotas: [{ resource: 'notebook.gpu_everything', quota: 1 }] }],
      ['resource in another case', { quotas: [{ resource: GPU.toUpperCase(), quota: 1 }] }],
      ['duplicate resource', { quotas: [{ resource: GPU, quota: 1 }, { resource: GPU, quota: 2 }] }],
      ['a valid item next to an invalid one', { quotas: [{ resource: GPU, quota: 1 }, { resource: BOUNDED, quota: 1000 }] }],
      ['a valid item next to an unknown one', { quotas: [{ resource: GPU, quota: 1 }, { resource: 'nope', quota: 1 }] }],
      ['non-integer quota', { quotas: [{ resource: GPU, quota: 1.5 }] }],
      ['quota as a string', { quotas: [{ resource: GPU, quota: '10' }] }],
      ['quota as null', { quotas: [{ resource: GPU, quota: null }] }],
      ['quota missing', { quotas: [{ resource: GPU }] }],
      ['resource missing', { quotas: [{ quota: 1 }] }],
      ['resource as a number', { quotas: [{ resource: 1, quota: 1 }] }],
      ['empty quotas array', { quotas: [] }],
      ['quotas missing', {}],
      ['quotas not an array', { quotas: { resource: GPU, quota: 1 } }],
      ['a JSON array body', [{ resource: GPU, quota: 1 }]],
      ['a huge quota', { quotas: [{ resource: GPU, quota: 1e20 }] }],
    ];
    let ws: any;
    before(async () => {
      ws = await create();
    });
    for (const [label, body] of invalid) {
      test(label, async () => {
        const res = await srv.api('PUT', `${base}/${ws.id}/quotas`, { token, rawBody: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        assertError(res, 400, 'ModelArts.0104');
        assert.deepEqual(
          await getQuotas(ws.id),
          CATALOG.map((c) => expectedItem(c, c.default_quota, ws.create_time)),
        );
      });
    }

    test('malformed JSON', async () => {
      assertError(
        await srv.api('PUT', `${base}/${ws.id}/quotas`, { token, rawBody: '{"quotas":[', headers: { 'content-type': 'application/json' } }),
        400,
        'ModelArts.0104',
      );
    });
  });

  describe('PUT: permissions', () => {
    test('the owner (an IAM user) and the root may change quotas; granted and other users get 403', async () => {
      const bob = await srv.newUser();
      const bobToken = await srv.login(bob);
      const carolToken = await srv.login(await srv.newUser());
      const ws = await create({ auth_type: 'internal', grants: [{ user_id: bob.id }] }, aliceToken);
      assert.equal(ok(await putQuotas(ws.id, [{ resource: GPU, quota: 100 }], aliceToken)).quotas[0].quota, 100);
      assertError(await putQuotas(ws.id, [{ resource: GPU, quota: 200 }], bobToken), 403, 'ModelArts.0108');
      assertError(await putQuotas(ws.id, [{ resource: GPU, quota: 300 }], carolToken), 403, 'ModelArts.0108');
      assert.equal((await getQuotas(ws.id, bobToken))[0].quota, 100);
      assert.equal(ok(await putQuotas(ws.id, [{ resource: GPU, quota: 400 }])).quotas[0].quota, 400);
      assert.equal((await getQuotas(ws.id, aliceToken))[0].quota, 400);
    });

    test('quotas are per workspace', async () => {
      const a = await create();
      const b = await create();
      ok(await putQuotas(a.id, [{ resource: BOUNDED, quota: 11 }]));
      assert.equal((await getQuotas(b.id)).find((q: any) => q.resource === BOUNDED).quota, 50);
    });
  });
});
