// The name search's trigram index (SQLite) is merged into one segment by the server's periodic
// pass: searches answer the same before and after, a merged index has nothing left to merge, and
// the pass stops when asked. On PostgreSQL (pg_trgm) there is nothing to merge.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { mergeWorkspaceNameIndex } from '../src/db/name-index.js';
import { startNameIndexMerging } from '../src/workspaces/name-index-merging.js';
import { createWorkspaceRepository } from '../src/workspaces/workspace.repository.js';
import { TEST_DB } from './helpers/database.js';
import { eventually, startTestServer } from './helpers/server.js';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];

describe('merging the name index', () => {
  it(`leaves one segment and the same search results (${TEST_DB})`, async (t) => {
    const srv = await startTestServer();
    t.after(() => srv.close());
    const db = srv.server.db;
    const project = srv.projectId;
    if (TEST_DB === 'postgres') {
      assert.equal(await mergeWorkspaceNameIndex(db, 64), false);
      return;
    }
    const segments = async () =>
      (await sql<{ n: number }>`select count(distinct segid) as n from workspaces_name_fts_idx`.execute(db)).rows[0]!.n;
    // One transaction per row, as creates commit: each adds a segment that FTS5 merges only partly.
    for (let i = 0; i < 120; i++) {
      await db
        .insertInto('workspaces')
        .values({
          project_id: project,
          id: `merge-${i}`,
          name: `${WORDS[i % WORDS.length]}-merge-${String(i).padStart(3, '0')}`,
          description: '',
          owner_id: 'o',
          owner_name: 'o',
          enterprise_project_id: '0',
          auth_type: 'public',
          status: 'NORMAL',
          status_info: '',
          create_time: i,
          update_time: i,
        })
        .execute();
    }
    await db.deleteFrom('workspaces').where('project_id', '=', project).where('id', 'in', ['merge-7', 'merge-8']).execute();
    assert.ok((await segments()) > 1, 'the inserts left several segments');

    const repo = createWorkspaceRepository(TEST_DB);
    const search = () =>
      Promise.all(
        [...WORDS, 'merge', 'a-merge-0'].map((name) =>
          repo.listPage(db, project, { name }, { sortBy: 'name', order: 'asc', limit: 1000, skip: 0 }),
        ),
      );
    const before = await search();
    assert.equal(before[WORDS.length]!.total, 118);

    // The pass the server starts with merged the index of its start (next to empty); this one
    // starts on the rows above, and merges them without being asked again.
    const failures: unknown[] = [];
    const merging = startNameIndexMerging(db, { error: (obj) => failures.push(obj) });
    t.after(() => merging.stop());
    await eventually(async () => ((await segments()) === 1 ? true : undefined));
    await merging.stop();
    assert.deepEqual(failures, []);
    assert.equal(await mergeWorkspaceNameIndex(db, 64), false, 'a merged index has nothing left to merge');
    assert.deepEqual(await search(), before);
  });
});
