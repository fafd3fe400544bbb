// SQLite keeps workspaces.seq in (project_id, name) order (src/db/name-order.ts), so that a name
// search counts and pages its hits from the trigram index by seq range. These tests write through
// the repository as the server does, force the labels' gaps to run out, write rows out of order
// by other means, and compare every search with the straightforward query.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { matchesInNameOrder, restoreSeqOrder, seqsInOrder } from '../src/db/name-order.js';
import { trigramPhrase } from '../src/db/dialect.js';
import type { Executor } from '../src/db/types.js';
import { seededRandom } from '../src/testing/seeded-random.js';
import { createWorkspaceRepository } from '../src/workspaces/workspace.repository.js';
import { TEST_DB } from './helpers/database.js';
import { addProject, pageNames, workspaceRow } from './helpers/fixtures.js';
import { recordingDb } from './helpers/recording-db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('workspace seqs in name order (SQLite)', { skip: TEST_DB !== 'sqlite' && 'SQLite only: PostgreSQL has no seq' }, () => {
  let srv: TestServer;
  let projects: string[];
  const repo = createWorkspaceRepository('sqlite');
  const rand = seededRandom(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  let count = 0;

  before(async () => {
    srv = await startTestServer();
    projects = [srv.projectId, (await addProject(srv)).id, (await addProject(srv)).id];
    // addProject writes its default workspace straight into the table, out of order.
    await restoreSeqOrder(srv.server.db);
  });
  after(() => srv?.close());

  const row = (projectId: string, name: string) => workspaceRow(projectId, `w${count++}`, name, { owner_id: 'u', owner_name: 'u' });
  const insert = (projectId: string, name: string) => srv.server.db.transaction().execute((trx) => repo.insert(trx, row(projectId, name)));
  const rename = (projectId: string, id: string, name: string) =>
    srv.server.db.transaction().execute(async (trx) => {
      assert.ok(await repo.transition(trx, projectId, id, ['NORMAL'], { name }));
    });

  /** Every row's seq is positive, and rising in (project_id, name) order; the index and the narrow copy follow it. */
  async function assertInOrder(db: Executor): Promise<void> {
    const { rows } = await sql<{ seq: number; project_id: string; name: string }>`select seq, project_id, name from workspaces order by project_id, name`.execute(db);
    for (const [i, r] of rows.entries()) {
      assert.ok(r.seq > 0 && (i === 0 || r.seq > rows[i - 1]!.seq), `seq of ${r.project_id}/${r.name} (${r.seq}) after ${rows[i - 1]?.seq}`);
    }
    assert.equal(await seqsInOrder(db), true);
    const { rows: copies } = await sql<{ n: number }>`select count(*) as n from workspaces w join workspace_sort_keys k on k.seq = w.seq and k.name = w.name`.execute(db);
    assert.deepEqual(copies, [{ n: rows.length }]);
    const { rows: integrity } = await sql`insert into workspaces_name_fts (workspaces_name_fts, rank) values ('integrity-check', 1)`.execute(db);
    assert.deepEqual(integrity, []);
  }

  async function assertSearchesRight(terms: readonly string[]): Promise<void> {
    const db = srv.server.db;
    for (const projectId of projects) {
      const { rows } = await sql<{ name: string }>`select name from workspaces where project_id = ${projectId}`.execute(db);
      for (const term of terms) {
        const matching = rows.map((r) => r.name).filter((n) => n.toLowerCase().includes(term.toLowerCase()));
        for (const order of ['asc', 'desc'] as const) {
          const sorted = [...matching].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          if (order === 'desc') sorted.reverse();
          for (const skip of [0, 3]) {
            const got = await repo.listPage(db, projectId, { name: term }, { sortBy: 'name', order, limit: 5, skip });
            const label = `${projectId} ${term} ${order} ${skip}`;
            assert.equal(got.total, matching.length, label);
            assert.deepEqual(pageNames(got.summaries), sorted.slice(skip, skip + 5), label);
          }
        }
      }
    }
  }

  test('inserts in one place until its gaps run out, random inserts, renames and deletions keep the order', async () => {
    const db = srv.server.db;
    // Each name sorts right after the one before and before "mb": every insert halves the same gap.
    for (let i = 1; i <= 80; i++) await insert(projects[0]!, `m${'a'.repeat(i)}`);
    await insert(projects[0]!, 'mb');
    for (let i = 1; i <= 40; i++) await insert(projects[1]!, `z${String(1000 - i)}`);
    const parts = ['lab', 'Lab', 'data', 'x', 'ma', 'z9', '-', '数据'];
    for (let i = 0; i < 120; i++) {
      const projectId = pick(projects);
      const name = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(parts)).join('');
      const taken = await db.selectFrom('workspaces').select('id').where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
      if (taken) continue;
      const r = rand();
      const { rows: ids } = await sql<{ id: string }>`select id from workspaces where project_id = ${projectId} and id <> '0' order by random() limit 1`.execute(db);
      if (r < 0.25 && ids[0]) await rename(projectId, ids[0].id, name);
      else if (r < 0.35 && ids[0]) await db.deleteFrom('workspaces').where('project_id', '=', projectId).where('id', '=', ids[0].id).execute();
      else await insert(projectId, name);
    }
    await assertInOrder(db);
    // Eighty halvings of one gap need more room than 2^32 gives: windows were spread out.
    await assertSearchesRight(['maa', 'MAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'lab', 'z9', 'ata', '数据', 'mb', 'nothing']);
  });

  test('a row written out of order is noted; searches stay right, and the order is restored', async () => {
    const db = srv.server.db;
    // Written as an older version or a hand-made fix would: SQLite picks the next seq.
    await db.insertInto('workspaces').values(row(projects[0]!, 'aaa-out-of-order-lab')).execute();
    assert.equal(await seqsInOrder(db), false);
    // Meanwhile new rows take the next seq too, and renames keep theirs.
    await insert(projects[1]!, 'another-lab');
    await assertSearchesRight(['lab', 'out-of', 'maaa']);
    assert.equal(await restoreSeqOrder(db), true);
    await assertInOrder(db);
    await assertSearchesRight(['lab', 'out-of', 'maaa']);
    assert.equal(await restoreSeqOrder(db), false, 'nothing to do');
  });

  test('a search in name order reads the trigram index by seq range, no row per hit', async () => {
    const recording = recordingDb('sqlite');
    // Only its SQL is wanted: the recording database answers no rows.
    await matchesInNameOrder(recording.db, projects[0]!, trigramPhrase('lab'), { order: 'desc', limit: 10, skip: 0 });
    const [query] = recording.take();
    const { rows } = await srv.server.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query!.sql}`, [...query!.parameters]));
    const details = rows.map((r) => r.detail).join('\n');
    assert.match(details, /SCAN workspaces_name_fts VIRTUAL TABLE INDEX/, details);
    // the project's bounds are two index lookups; no hit is looked up in workspaces or the copy
    assert.doesNotMatch(details, /SEARCH w\b|workspace_sort_keys|SCAN workspaces\b|TEMP B-TREE/, details);
  });
});
