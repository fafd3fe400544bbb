import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { inProject, nameContains } from '../src/db/dialect.js';
import { TEST_DB } from './helpers/database.js';
import { eventually, startTestServer, type TestServer } from './helpers/server.js';

describe(`fuzzy name filter on ${TEST_DB}`, () => {
  let srv: TestServer;
  let token: string;
  let base: string;
  const names = ['Alpha-Sales_01', 'alpha-research', 'beta_sales', '数据分析-团队', 'gamma%lit', 'delta_x'];
  const ids = new Map<string, string>();

  const search = async (term: string) => {
    const res = await srv.api('GET', `${base}?name=${encodeURIComponent(term)}&sort_by=name&order=asc`, { token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.total_count, res.body.count);
    return res.body.workspaces.map((w: { name: string }) => w.name);
  };

  before(async () => {
    srv = await startTestServer();
    token = await srv.rootToken();
    base = `/v1/${srv.projectId}/workspaces`;
    for (const name of names.filter((n) => !n.includes('%'))) {
      const res = await srv.api('POST', base, { token, body: { name } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      ids.set(name, res.body.id);
    }
  });
  after(() => srv.close());

  test('substring, any letter case, through the trigram index and the short-term fallback', async () => {
    assert.deepEqual(await search('alpha'), ['Alpha-Sales_01', 'alpha-research']);
    assert.deepEqual(await search('SALES'), ['Alpha-Sales_01', 'beta_sales']);
    assert.deepEqual(await search('es'), ['Alpha-Sales_01', 'alpha-research', 'beta_sales']);
    assert.deepEqual(await search('a_s'), ['beta_sales']);
    assert.deepEqual(await search('_'), ['Alpha-Sales_01', 'beta_sales', 'delta_x']);
    assert.deepEqual(await search('分析'), ['数据分析-团队']);
    assert.deepEqual(await search('数据分析'), ['数据分析-团队']);
    assert.deepEqual(await search('zzz'), []);
    assert.deepEqual(await search('default'), ['default']);
  });

  test('renames and deletions keep the index in step', async () => {
    const id = ids.get('delta_x')!;
    assert.equal((await srv.api('PUT', `${base}/${id}`, { token, body: { name: 'omega_renamed' } })).status, 200);
    assert.deepEqual(await search('delta'), []);
    assert.deepEqual(await search('omega_ren'), ['omega_renamed']);
    assert.equal((await srv.api('DELETE', `${base}/${id}`, { token })).status, 200);
    // the workspace goes with its deletion job
    await eventually(async () => ((await search('omega')).length === 0 ? true : undefined), 60_000);
    assert.deepEqual(await search('omega'), []);
  });

  test('the query plan uses the trigram index for terms of three characters or more', async () => {
    const db = srv.server.db;
    const query = db
      .selectFrom('workspaces as w')
      .select('w.id')
      // PostgreSQL picks the project index on a handful of rows whatever the filter: leave it out there.
      .where(TEST_DB === 'sqlite' ? inProject(TEST_DB, srv.projectId, 'sales') : sql<boolean>`true`)
      .where(nameContains(TEST_DB, 'sales'))
      // As the list does: ORDER BY name tempts SQLite into walking the project's (project_id, name) index.
      .orderBy('w.name')
      .limit(10)
      .compile();
    const plan = await db.transaction().execute(async (trx) => {
      if (TEST_DB === 'postgres') {
        // On a handful of rows PostgreSQL rightly prefers a scan; forbid it to see the index is usable.
        await sql`set local enable_seqscan = off`.execute(trx);
        await sql`set local enable_indexscan = off`.execute(trx);
        const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...query, sql: `explain ${query.sql}` });
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      }
      const rows = await trx.executeQuery<{ detail: string }>({ ...query, sql: `explain query plan ${query.sql}` });
      return rows.rows.map((r) => r.detail).join('\n');
    });
    if (TEST_DB === 'postgres') {
      assert.match(plan, /workspaces_name_trgm/, plan);
      return;
    }
    // The hits come from the trigram table, and each is one rowid (seq) lookup: neither a scan of
    // the project's rows nor a walk of one of its indexes.
    assert.match(plan, /SCAN workspaces_name_fts VIRTUAL TABLE INDEX \d+:M/, plan);
    assert.match(plan, /SEARCH w USING INTEGER PRIMARY KEY \(rowid=\?\)/, plan);
    assert.doesNotMatch(plan, /SCAN w\b|sqlite_autoindex_workspaces|workspaces_project/, plan);
  });

  test('PostgreSQL: new names go into the trigram index at once, not into a pending list every search scans', { skip: TEST_DB !== 'postgres' && 'a PostgreSQL index' }, async () => {
    const { rows } = await sql<{ options: string[] | null }>`select reloptions as options from pg_class where relname = 'workspaces_name_trgm'`.execute(srv.server.db);
    assert.deepEqual(rows[0]?.options, ['fastupdate=off']);
  });
});
