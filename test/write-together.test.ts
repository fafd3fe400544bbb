// writeTogether (src/db/write-together.ts): several writes committed together, on PostgreSQL as
// one statement whose parameters are renumbered; all or none commit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery } from 'kysely';
import { statementFor } from '../src/db/named-statements.js';
import { writeTogether } from '../src/db/write-together.js';
import { TEST_DB } from './helpers/database.js';
import { workspaceRow } from './helpers/fixtures.js';
import { recordingDb } from './helpers/recording-db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('writeTogether on PostgreSQL', () => {
  test('sends one statement: each write a WITH clause, its parameters numbered after the ones before', async () => {
    const { db, take } = recordingDb('postgres');
    const first = db.insertInto('workspace_count_parts').values({ project_id: 'p1', slot: 1, n: 5 }).compile();
    const second = CompiledQuery.raw('update "projects" set "name" = $2 where "id" = $1 and "name" <> $2', ['p1', 'x']);
    await writeTogether(db, [first, second, first]);
    const [sent, ...more] = take();
    assert.equal(more.length, 0);
    assert.equal(
      sent!.sql,
      'with w1 as (insert into "workspace_count_parts" ("project_id", "slot", "n") values ($1, $2, $3)), ' +
        'w2 as (update "projects" set "name" = $5 where "id" = $4 and "name" <> $5), ' +
        'w3 as (insert into "workspace_count_parts" ("project_id", "slot", "n") values ($6, $7, $8)) select 1',
    );
    assert.deepEqual(sent!.parameters, ['p1', 1, 5, 'p1', 'x', 'p1', 1, 5]);
  });

  test('leaves a $ inside a name alone', async () => {
    const { db, take } = recordingDb('postgres');
    const odd = CompiledQuery.raw('insert into "t$1" ("a""$2", b$1) values ($1)', ['v']);
    await writeTogether(db, [odd, odd]);
    assert.equal(
      take()[0]!.sql,
      'with w1 as (insert into "t$1" ("a""$2", b$1) values ($1)), w2 as (insert into "t$1" ("a""$2", b$1) values ($2)) select 1',
    );
  });

  test('plans the first shapes once per connection, and builds rarer ones each time', async () => {
    const { db, take } = recordingDb('postgres');
    const sent: string[] = [];
    // a shape per number of rows, as a create with that many grants
    for (let rows = 1; rows <= 40; rows++) {
      const grants = db
        .insertInto('workspace_grants')
        .values(Array.from({ length: rows }, (_, position) => ({ project_id: 'p', workspace_id: 'w', position, user_id: 'u', user_name: 'n', user_type: 'IAM' })))
        .compile();
      await writeTogether(db, [CompiledQuery.raw('insert into "marker" ("rows") values ($1)', [rows]), grants]);
      sent.push(take()[0]!.sql);
    }
    const named = sent.filter((text) => typeof statementFor(text, []) !== 'string');
    assert.ok(named.length > 0 && named.length <= 32, `${named.length} named`);
    assert.equal(typeof statementFor(sent.at(-1)!, []), 'string', 'the 40th shape is not kept');
  });

  test('refuses what it cannot renumber safely, before sending anything', async () => {
    const { db, take } = recordingDb('postgres');
    const plain = CompiledQuery.raw('insert into t (a) values ($1)', [1]);
    const refused = [
      CompiledQuery.raw("insert into t (a) values ('$1')", []),
      CompiledQuery.raw('insert into t (a) values ($1) -- $2', [1]),
      CompiledQuery.raw('insert into t (a) values ($1); delete from t', [1]),
      CompiledQuery.raw('insert into t (a, b) values ($1, $1)', [1, 2]),
      CompiledQuery.raw('insert into t (a) values ($2)', [1]),
      CompiledQuery.raw('insert into "t (a) values ($1)', [1]),
    ];
    for (const write of refused) {
      await assert.rejects(writeTogether(db, [plain, write]), Error, write.sql);
    }
    assert.deepEqual(take(), []);
  });
});

describe(`writeTogether on ${TEST_DB}`, () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv?.close());

  const insertOf = (name: string, id = name) => srv.server.db.insertInto('workspaces').values(workspaceRow(srv.projectId, id, name)).compile();
  const names = async () =>
    (await srv.server.db.selectFrom('workspaces').select('name').where('project_id', '=', srv.projectId).where('id', '<>', '0').orderBy('name').execute()).map(
      (r) => r.name,
    );

  test('commits every write', async () => {
    await writeTogether(srv.server.db, [insertOf('together-a'), insertOf('together-b'), insertOf('together-c')]);
    assert.deepEqual(await names(), ['together-a', 'together-b', 'together-c']);
  });

  test('commits none when one fails', async () => {
    // the last one takes a name the first one writes: a unique violation
    await assert.rejects(writeTogether(srv.server.db, [insertOf('together-d'), insertOf('together-e'), insertOf('together-a', 'other-id')]));
    assert.deepEqual(await names(), ['together-a', 'together-b', 'together-c']);
  });
});
