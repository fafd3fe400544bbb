// A list's summaries are JSON text the database writes (jsonObject, src/db/json-object.ts): on
// random rows, inserted and then changed, they parse to exactly what the straightforward query
// and the WorkspaceSummary schema give, keys in the schema's order (on SQLite, from the summaries
// stored in the rows, see stored-summary.ts); and the HTTP answer is that JSON. On the suite's database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { DEFAULT_ENTERPRISE_PROJECT_NAME } from '../src/eps/enterprise-project.constants.js';
import { createWorkspaceRepository, type GrantRow } from '../src/workspaces/workspace.repository.js';
import { WorkspaceSummary, WorkspaceView } from '../src/workspaces/workspace.schemas.js';
import { TEST_DB } from './helpers/database.js';
import { parsedItems } from './helpers/fixtures.js';
import { startTestServer } from './helpers/server.js';

const SUMMARY_KEYS = Object.keys(WorkspaceSummary.properties);

// Any text PostgreSQL stores: every code point but NUL (refused at the API) and lone surrogates.
const text = fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replaceAll('\u0000', ''));
const awkward = fc.constantFrom('"', '\\', '\u2028', '\u001f', '\u007f', '😀', '工作空间', '</script>', '\r\n\t', '');
const anyText = fc.oneof(text, awkward, fc.tuple(awkward, text, awkward).map((parts) => parts.join('')));
const ms = fc.integer({ min: 0, max: 2 ** 47 });

const row = fc.record({
  name: anyText,
  description: anyText,
  owner_name: anyText,
  auth_type: anyText,
  status: anyText,
  status_info: anyText,
  create_time: ms,
  update_time: ms,
  ep: fc.constantFrom('0', 'ep-a', 'ep-b'),
});

describe('workspace summaries written as JSON by the database', () => {
  it(`parse to what the straightforward query gives, on random rows (${TEST_DB})`, async (t) => {
    const srv = await startTestServer();
    t.after(() => srv.close());
    const db = srv.server.db;
    const repo = createWorkspaceRepository(TEST_DB);
    const project = srv.projectId;
    const [domain] = await db.selectFrom('enterprise_projects').select('domain_id').limit(1).execute();
    const domainId = domain?.domain_id ?? (await db.selectFrom('users').select('domain_id').limit(1).executeTakeFirstOrThrow()).domain_id;
    const projects: Array<[string, string]> = [['ep-a', 'A "quoted" \\ project 😀'], ['ep-b', '企业项目\u2028b']];
    for (const [id, name] of projects) {
      await db
        .insertInto('enterprise_projects')
        .values({ id, domain_id: domainId, name, description: '', status: 1, created_at: 0, updated_at: 0 })
        .execute();
    }
    const rows = fc.sample(row, 150).map((r, i) => ({ ...r, name: `${String(i).padStart(4, '0')}${r.name}` }));
    await db.deleteFrom('workspaces').where('project_id', '=', project).execute();
    for (const [i, r] of rows.entries()) {
      const { ep, ...columns } = r;
      await db
        .insertInto('workspaces')
        .values({ ...columns, project_id: project, id: `id-${i}`, owner_id: `owner-${i}`, enterprise_project_id: ep })
        .execute();
    }

    // Every third workspace internal; grants (inserted out of order) on some of them, and on a few
    // others, which a show must not report: only an internal workspace's grants count.
    const grant = fc.record({ user_id: anyText, user_name: anyText, user_type: fc.constantFrom('IAM', 'SAML', 'AGENCY') });
    for (let i = 0; i < rows.length; i++) {
      if (i % 3 === 0) await db.updateTable('workspaces').set({ auth_type: 'internal' }).where('id', '=', `id-${i}`).execute();
      const grants = i % 3 === 0 || i % 10 === 1 ? fc.sample(grant, i % 4) : [];
      for (const [position, g] of [...grants.entries()].reverse()) {
        await db.insertInto('workspace_grants').values({ ...g, project_id: project, workspace_id: `id-${i}`, position }).execute();
      }
    }

    async function assertListMatches(when: string) {
      const straightforward = await db
        .selectFrom('workspaces as w')
        .leftJoin('enterprise_projects as ep', 'ep.id', 'w.enterprise_project_id')
        .select(['w.id', 'w.name', 'w.description', 'w.owner_name', 'w.create_time', 'w.update_time', 'w.enterprise_project_id'])
        .select(['ep.name as ep_name', 'w.auth_type', 'w.status', 'w.status_info'])
        .where('w.project_id', '=', project)
        .execute();
      const expected = straightforward.map((w) => ({
        id: w.id,
        name: w.name,
        description: w.description,
        owner: w.owner_name,
        create_time: Number(w.create_time),
        update_time: Number(w.update_time),
        enterprise_project_id: w.enterprise_project_id,
        enterprise_project_name: w.ep_name ?? DEFAULT_ENTERPRISE_PROJECT_NAME,
        auth_type: w.auth_type,
        status: w.status,
        status_info: w.status_info,
      }));
      for (const sortBy of ['name', 'update_time'] as const) {
        const page = await repo.list(db, project, {}, { sortBy, order: 'desc', limit: 1000, skip: 0 });
        const parsed = parsedItems(page);
        assert.deepEqual(
          [...parsed].sort((a, b) => String(a.id).localeCompare(String(b.id))),
          [...expected].sort((a, b) => a.id.localeCompare(b.id)),
          `${when}, by ${sortBy}`,
        );
        for (const summary of parsed) assert.deepEqual(Object.keys(summary), SUMMARY_KEYS);
      }
      // ShowWorkspace's rows carry the same summary (one id, and several at once).
      const ids = expected.map((w) => w.id);
      const shown = [...(await repo.findShownByIds(db, project, ids)), ...(await repo.findShownByIds(db, project, [ids[0]!]))];
      const byId = new Map(expected.map((w) => [w.id, w]));
      const grantsOf = new Map<string, GrantRow[]>();
      for (const { workspace_id, ...g } of await repo.listGrantsOf(db, project, ids)) grantsOf.set(workspace_id, [...(grantsOf.get(workspace_id) ?? []), g]);
      assert.equal(shown.length, ids.length + 1, when);
      for (const row of shown) {
        const summary = JSON.parse(row.summary) as Record<string, unknown>;
        assert.deepEqual(summary, byId.get(row.id), `${when}, shown`);
        assert.deepEqual(Object.keys(summary), SUMMARY_KEYS);
        const grants = byId.get(row.id)!.auth_type === 'internal' ? (grantsOf.get(row.id) ?? []) : [];
        assert.deepEqual(row.grants, grants, `${when}, grants of ${row.id}`);
      }
      assert.ok(shown.some((row) => row.grants.length > 1), 'some workspace has several grants');
    }
    await assertListMatches('as inserted');

    // Each column of the summary changed alone on some rows (SQLite's stored summaries follow
    // every one), and an enterprise project renamed.
    const changes = fc.sample(row, 40);
    const columns = ['name', 'description', 'owner_name', 'auth_type', 'status', 'status_info', 'create_time', 'update_time', 'ep'] as const;
    for (const [i, r] of changes.entries()) {
      const column = columns[i % columns.length]!;
      const set =
        column === 'ep' ? { enterprise_project_id: r.ep } : column === 'name' ? { name: `${String(i * 2).padStart(4, '0')}~${r.name}` } : { [column]: r[column] };
      await db.updateTable('workspaces').set(set).where('project_id', '=', project).where('id', '=', `id-${i * 2}`).execute();
    }
    await db.updateTable('enterprise_projects').set({ name: 'renamed \u2029 "ep"' }).where('id', '=', 'ep-a').execute();
    await assertListMatches('after updates');

    if (TEST_DB === 'sqlite') {
      // A row without its stored summary (none should exist) is still listed right.
      await sql`update workspaces set summary = null where id in ('id-1', 'id-2')`.execute(db);
      await assertListMatches('without stored summaries');
    }
  });

  it('answer ListWorkspace with that JSON, as the schema shapes it', async (t) => {
    const srv = await startTestServer();
    t.after(() => srv.close());
    const token = await srv.rootToken();
    const created = await srv.api('POST', `/v1/${srv.projectId}/workspaces`, {
      token,
      body: { name: 'json-list-one', description: 'say "hi" \\ 😀 \u2028', auth_type: 'INTERNAL' },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const res = await srv.api('GET', `/v1/${srv.projectId}/workspaces?limit=1000`, { token });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(Object.keys(res.body), ['total_count', 'count', 'workspaces']);
    assert.equal(res.body.total_count, 2);
    assert.equal(res.body.count, 2);
    const mine = res.body.workspaces.find((w: { id: string }) => w.id === created.body.id);
    const { grants: _grants, ...summary } = created.body;
    assert.deepEqual(mine, summary);
    for (const w of res.body.workspaces) assert.deepEqual(Object.keys(w), SUMMARY_KEYS);
  });

  it('answer ShowWorkspace with the stored summary and the grants, as the schema shapes it', async (t) => {
    const srv = await startTestServer();
    t.after(() => srv.close());
    const token = await srv.rootToken();
    const user = await srv.newUser('json-show-user');
    for (const body of [
      { name: 'json-show-internal', description: 'say "hi" \\ 😀 \u2028', auth_type: 'INTERNAL', grants: [{ user_id: user.id }] },
      { name: 'json-show-public', description: '', auth_type: 'PUBLIC' },
    ]) {
      const created = await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const res = await srv.api('GET', `/v1/${srv.projectId}/workspaces/${created.body.id}`, { token });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.deepEqual(res.body, created.body);
      assert.deepEqual(Object.keys(res.body), Object.keys(WorkspaceView.properties));
      assert.equal(res.body.grants.length, body.grants?.length ?? 0);
    }
  });
});
