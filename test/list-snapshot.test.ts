import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { connectDb } from '../src/db/connect.js';
import type { Db } from '../src/db/types.js';
import { createWorkspaceRepository, type ListPage, type WorkspaceFilter } from '../src/workspaces/workspace.repository.js';
import { TEST_DB } from './helpers/database.js';
import { pageNames, workspaceRow } from './helpers/fixtures.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const PAGE: ListPage = { sortBy: 'name', order: 'asc', limit: 10, skip: 0 };

describe(`a list page and its total on ${TEST_DB}`, () => {
  let srv: TestServer;
  let other: Db;
  const repo = createWorkspaceRepository(TEST_DB);

  before(async () => {
    srv = await startTestServer();
    other = connectDb(srv.server.config.database);
    for (let i = 0; i < 6; i++) {
      const row = workspaceRow(srv.projectId, `snap${i}`, `snapshot-case-${i}`, { enterprise_project_id: i % 2 === 0 ? 'ep-even' : '0' });
      await srv.server.db.insertInto('workspaces').values(row).execute();
    }
  });
  after(async () => {
    await other.destroy();
    await srv.close();
  });

  /**
   * A handle that counts the repository's statements, and deletes `victim` right after the first
   * of them through a connection of its own, as another replica would (the repository's still
   * holds its own while Kysely hands the result to the plugin).
   */
  function deletingAfterFirstStatement(victim?: string) {
    let statements = 0;
    const plugin: KyselyPlugin = {
      transformQuery: (args) => args.node,
      async transformResult(args) {
        if (++statements === 1 && victim !== undefined) {
          await other.deleteFrom('workspaces').where('project_id', '=', srv.projectId).where('id', '=', victim).execute();
        }
        return args.result;
      },
    };
    return { db: srv.server.db.withPlugin(plugin), statements: () => statements };
  }

  const cases: Array<[what: string, filter: WorkspaceFilter, victim: string, expected: string[]]> = [
    ['an enterprise project filter', { enterpriseProjectId: 'ep-even' }, 'snap2', ['snapshot-case-0', 'snapshot-case-4']],
    ['a name filter', { name: 'shot-case' }, 'snap3', ['snapshot-case-1', 'snapshot-case-5']],
  ];
  for (const [what, filter, victim, expected] of cases) {
    test(`with ${what}, a workspace deleted between the count and the page is read again in one snapshot`, async () => {
      const { db, statements } = deletingAfterFirstStatement(victim);
      const { total, summaries } = await repo.listPage(db, srv.projectId, filter, PAGE);
      const names = pageNames(summaries);
      assert.equal(total, names.length, `total ${total}, page ${names.join(', ')}`);
      assert.ok(names.includes(expected[0]!) && !names.includes(victim.replace('snap', 'snapshot-case-')), names.join(', '));
      for (const name of expected) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
      assert.ok(statements() > 2, 'read twice');
    });
  }

  test('a page that agrees with its total is read once: the count and the page', async () => {
    const { db, statements } = deletingAfterFirstStatement();
    const { total, summaries } = await repo.listPage(db, srv.projectId, { enterpriseProjectId: '0' }, { ...PAGE, limit: 1, skip: 1 });
    assert.equal(summaries.count, 1);
    assert.ok(total >= 2);
    assert.equal(statements(), 2);
  });
});
