import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery, type Expression, type SqlBool, sql } from 'kysely';
import { compareText } from '../src/db/matches-page.js';
import { orderAllSeqs, seqsInOrder } from '../src/db/name-order.js';
import type { Executor } from '../src/db/types.js';
import { seededRandom } from '../src/testing/seeded-random.js';
import { createWorkspaceRepository, type ListPage, type WorkspaceFilter } from '../src/workspaces/workspace.repository.js';
import { TEST_DB } from './helpers/database.js';
import { addProject, pageNames } from './helpers/fixtures.js';
import { recordingDb } from './helpers/recording-db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// Few letters, so that terms match often and names share long prefixes; CJK as the API allows, and
// two characters it does not (one above U+FFFF), whose UTF-16 order is not SQLite's.
const PARTS = ['ab', 'AB', 'ba', 'ab_', 'a-b', 'x', '数据', '分析', '7', '07', 'Ab', '\u{1f600}', '\u{e000}'];
const STATUSES = ['NORMAL', 'DELETING', 'DELETE_FAILED'];
const USERS = ['u1', 'u2', 'u3'];

describe(`a page of a filtered workspace list on ${TEST_DB}`, () => {
  let srv: TestServer;
  let projects: string[];
  const repo = createWorkspaceRepository(TEST_DB);
  const rand = seededRandom(13);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

  before(async () => {
    srv = await startTestServer();
    projects = [srv.projectId, (await addProject(srv)).id];
    const db = srv.server.db;
    for (const [p, projectId] of projects.entries()) {
      const names = new Set<string>();
      while (names.size < 400) names.add(Array.from({ length: 2 + Math.floor(rand() * 5) }, () => pick(PARTS)).join(''));
      let i = 0;
      for (const name of names) {
        const id = `${p}w${i++}`;
        const authType = pick(['public', 'private', 'internal']);
        await db
          .insertInto('workspaces')
          .values({
            project_id: projectId,
            id,
            name,
            description: '',
            owner_id: pick(USERS),
            owner_name: 'owner',
            enterprise_project_id: pick(['0', 'ep1']),
            auth_type: authType,
            status: pick(STATUSES),
            status_info: '',
            create_time: 1,
            // few distinct times: ties that the name must break
            update_time: 1_700_000_000_000 + Math.floor(rand() * 20),
          })
          .execute();
        if (authType === 'internal' && rand() < 0.5) {
          await db
            .insertInto('workspace_grants')
            .values({ project_id: projectId, workspace_id: id, position: 0, user_id: pick(USERS), user_name: 'u', user_type: 'IAM' })
            .execute();
        }
      }
      // what creating them through the API would have counted (an unfiltered list reads the count, see workspace-count.ts)
      await sql`update projects set workspace_count = (select count(*) from workspaces where project_id = ${projectId})
        - coalesce((select sum(n) from workspace_count_parts where project_id = ${projectId}), 0) where id = ${projectId}`.execute(db);
    }
  });
  after(() => srv?.close());

  /** The straightforward query: every condition spelled out, COUNT(*) and ORDER BY … LIMIT … OFFSET. */
  async function reference(db: Executor, projectId: string, filter: WorkspaceFilter, page: ListPage) {
    const where = (): Expression<SqlBool> => {
      const conditions = [sql<SqlBool>`w.project_id = ${projectId}`];
      // Names hold no letters outside ASCII that have a case, so lower() is the index's case folding.
      if (filter.name !== undefined) conditions.push(sql<SqlBool>`${TEST_DB === 'postgres' ? sql`strpos` : sql`instr`}(lower(w.name), lower(${filter.name})) > 0`);
      if (filter.enterpriseProjectId !== undefined) conditions.push(sql<SqlBool>`w.enterprise_project_id = ${filter.enterpriseProjectId}`);
      if (filter.accessibleTo !== undefined) {
        conditions.push(sql<SqlBool>`(w.auth_type = 'public' or w.owner_id = ${filter.accessibleTo} or (w.auth_type = 'internal' and exists
          (select 1 from workspace_grants g where g.project_id = w.project_id and g.workspace_id = w.id and g.user_id = ${filter.accessibleTo})))`);
      }
      return sql.join(conditions, sql` and `) as Expression<SqlBool>;
    };
    const [{ n }] = (await sql<{ n: number | string }>`select count(*) as n from workspaces w where ${where()}`.execute(db)).rows as [{ n: number | string }];
    const direction = sql.raw(page.order);
    const rows = await sql<{ name: string }>`select w.name from workspaces w where ${where()}
      order by ${sql.ref(`w.${page.sortBy}`)} ${direction}, w.name ${direction} limit ${page.limit} offset ${page.skip}`.execute(db);
    return { total: Number(n), names: rows.rows.map((r) => r.name) };
  }

  async function assertRandomPagesRight(): Promise<void> {
    const db = srv.server.db;
    let nonEmpty = 0;
    for (let i = 0; i < 300; i++) {
      const term = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(PARTS)).join('').slice(0, 2 + Math.floor(rand() * 6));
      const filter: WorkspaceFilter = {
        name: rand() < 0.95 ? (rand() < 0.5 ? term.toUpperCase() : term) : undefined,
        enterpriseProjectId: rand() < 0.2 ? 'ep1' : undefined,
        accessibleTo: rand() < 0.2 ? pick(USERS) : undefined,
      };
      const limit = pick([1, 3, 10, 50, 200]);
      const page: ListPage = { sortBy: pick(['name', 'update_time', 'status'] as const), order: pick(['asc', 'desc'] as const), limit, skip: limit * pick([0, 0, 1, 2, 7]) };
      const projectId = pick(projects);
      const got = await repo.listPage(db, projectId, filter, page);
      const expected = await reference(db, projectId, filter, page);
      const label = JSON.stringify({ projectId, filter, page });
      assert.equal(got.total, expected.total, label);
      assert.deepEqual(pageNames(got.summaries), expected.names, label);
      if (expected.names.length > 0) nonEmpty++;
    }
    // the random cases do reach pages with rows, not only empty ones
    assert.ok(nonEmpty > 150, `${nonEmpty} of 300 pages had rows`);
  }

  // The rows were written straight into the table: on SQLite their seqs are not in name order,
  // so name searches take the way that needs no order (name-order.ts).
  test('gives the rows and the total of the straightforward query, for random filters, orders and pages', async () => {
    if (TEST_DB === 'sqlite') assert.equal(await seqsInOrder(srv.server.db), false);
    await assertRandomPagesRight();
  });

  test('the same once the seqs are in name order (SQLite: pages of a name search read by seq range)', async () => {
    await srv.server.db.transaction().execute((trx) => orderAllSeqs(trx));
    if (TEST_DB === 'sqlite') assert.equal(await seqsInOrder(srv.server.db), true);
    await assertRandomPagesRight();
  });

  test('on SQLite, a name filter sorted otherwise reads the trigram hits once, each one rowid lookup', { skip: TEST_DB !== 'sqlite' }, async () => {
    const recording = recordingDb('sqlite');
    await repo.listPage(recording.db, projects[0]!, { name: 'abx' }, { sortBy: 'update_time', order: 'desc', limit: 10, skip: 0 });
    const [query, ...more] = recording.take();
    assert.equal(more.length, 0);
    const plan = await srv.server.db.executeQuery(CompiledQuery.raw(`explain query plan ${query!.sql}`, [...query!.parameters]));
    const details = (plan.rows as Array<{ detail: string }>).map((r) => r.detail).join('\n');
    assert.match(details, /^SCAN workspaces_name_fts VIRTUAL TABLE INDEX \d+:M/, details);
    assert.match(details, /SEARCH w USING INTEGER PRIMARY KEY \(rowid=\?\)/, details);
    // neither a walk of the project's rows nor a sort nor the IN list built from the hits
    assert.doesNotMatch(details, /SCAN w\b|workspaces_project|autoindex|TEMP B-TREE|LIST SUBQUERY/, details);
  });
});

test('compareText orders texts as their UTF-8 bytes do, above U+FFFF too', () => {
  const rand = seededRandom(7);
  const alphabet = ['a', 'B', '数', '\u{e000}', '\u{ff5a}', '\u{1f600}', '\u{10ffff}', '\u{20000}', '-'];
  const texts = Array.from({ length: 300 }, () => Array.from({ length: Math.floor(rand() * 4) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(''));
  const byBytes = [...texts].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  assert.deepEqual([...texts].sort(compareText), byBytes);
  // JavaScript's own order differs there, which is why compareText exists
  assert.notDeepEqual([...texts].sort(), byBytes);
});
