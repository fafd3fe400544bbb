import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kysely, SqliteDialect, sql } from 'kysely';
import SQLite from 'better-sqlite3';
import { connectDb } from '../src/db/connect.js';
import { inTextList } from '../src/db/dialect.js';
import { preparedQuery } from '../src/db/prepared-query.js';
import type { DB } from '../src/db/types.js';
import { createTestStorage, TEST_DB } from './helpers/database.js';
import { recordingDb } from './helpers/recording-db.js';

function memoryDb(): Kysely<DB> {
  const database = new SQLite(':memory:');
  database.exec(`create table projects (id text primary key, domain_id text, name text, workspace_count integer, created_at integer)`);
  database.exec(`insert into projects values ('a', 'd1', 'one', 1, 10), ('b', 'd1', 'two', 2, 20), ('c', 'd2', 'one', 3, 30)`);
  return new Kysely<DB>({ dialect: new SqliteDialect({ database }) });
}

describe('preparedQuery', () => {
  it('binds values by name, whatever order the query uses them in', async (t) => {
    const db = memoryDb();
    t.after(() => db.destroy());
    const query = preparedQuery('sqlite', { name: 'text', domain: 'text' }, (qb, p) =>
      qb.selectFrom('projects').select('id').where('domain_id', '=', p.domain).where('name', '=', p.name).orderBy('id'),
    );
    assert.deepEqual(await query(db, { name: 'one', domain: 'd2' }), [{ id: 'c' }]);
    // A second run reuses the compiled statement with new values.
    assert.deepEqual(await query(db, { domain: 'd1', name: 'two' }), [{ id: 'b' }]);
  });

  it('binds a list as one value on SQLite and on PostgreSQL', async (t) => {
    const db = memoryDb();
    t.after(() => db.destroy());
    const byIds = (dialect: 'sqlite' | 'postgres') =>
      preparedQuery(dialect, { ids: 'list', domain: 'text' }, (qb, p) =>
        qb.selectFrom('projects').select('id').where(inTextList(dialect, 'id', p.ids)).where('domain_id', '=', p.domain).orderBy('id'),
      );
    assert.deepEqual(await byIds('sqlite')(db, { ids: ['a', 'c', 'x'], domain: 'd1' }), [{ id: 'a' }]);
    const pg = recordingDb('postgres');
    await byIds('postgres')(pg.db, { ids: ['a', 'c'], domain: 'd1' });
    assert.deepEqual(pg.take()[0]!.parameters, [['a', 'c'], 'd1']);
  });

  it('refuses a query that binds a value that is no named parameter', async (t) => {
    const db = memoryDb();
    t.after(() => db.destroy());
    // The constant 'd1' would take a position that a rebinding by position could fill wrongly.
    const query = preparedQuery('sqlite', { name: 'text' }, (qb, p) =>
      qb.selectFrom('projects').select('id').where('domain_id', '=', 'd1').where('name', '=', p.name),
    );
    await assert.rejects(query(db, { name: 'one' }), /binds a value that is no named parameter at position 1/);
  });
});

describe('preparedQuery refuses what rebinding would get wrong', () => {
  const transforms: Array<[string, (s: string) => string]> = [
    ['toLowerCase', (s) => s.toLowerCase()],
    ['toUpperCase', (s) => s.toUpperCase()],
    ['trim', (s) => s.trim()],
    ['slice', (s) => s.slice(0, 64)],
    ['a LIKE pattern', (s) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
  ];
  for (const [what, transform] of transforms) {
    it(`a parameter the builder transforms (${what})`, async (t) => {
      const db = memoryDb();
      t.after(() => db.destroy());
      const query = preparedQuery('sqlite', { name: 'text' }, (qb, p) =>
        qb.selectFrom('projects').select('id').where('name', '=', transform(p.name)),
      );
      await assert.rejects(query(db, { name: 'ONE' }), /binds a value that is no named parameter/);
    });
  }

  it('SQL whose shape follows a value', async (t) => {
    const db = memoryDb();
    t.after(() => db.destroy());
    const query = preparedQuery('sqlite', { name: 'text' }, (qb, p) =>
      qb.selectFrom('projects').select('id').where(p.name.length > 100 ? 'domain_id' : 'name', '=', p.name),
    );
    await assert.rejects(query(db, { name: 'one' }), /changes with its parameters' values/);
  });
});

describe('on PostgreSQL, a prepared query is a named statement', { skip: TEST_DB !== 'postgres' && 'PostgreSQL only' }, () => {
  it('is parsed once per connection and answers as the plain query does; other SQL stays unnamed', async (t) => {
    const storage = await createTestStorage();
    // One connection: the session whose prepared statements are read is the one that ran the queries.
    const db = connectDb({ kind: 'postgres', url: storage.env.DATABASE_URL! }, { connections: 1 });
    t.after(async () => {
      await db.destroy();
      await storage.cleanup();
    });
    await sql`create table projects (id text primary key, domain_id text, name text, workspace_count integer, created_at bigint)`.execute(db);
    await sql`insert into projects values ('a', 'd1', 'one', 1, 10), ('b', 'd1', 'two', 2, 20), ('c', 'd2', 'one', 3, 30)`.execute(db);
    const byIds = preparedQuery('postgres', { ids: 'list', domain: 'text' }, (qb, p) =>
      qb.selectFrom('projects').select(['id', 'name']).where(inTextList('postgres', 'id', p.ids)).where('domain_id', '=', p.domain).orderBy('id'),
    );
    const plain = (ids: string[], domain: string) =>
      db.selectFrom('projects').select(['id', 'name']).where('id', '=', sql<string>`any(${ids}::text[])`).where('domain_id', '=', domain).orderBy('id').execute();

    for (const [ids, domain] of [[['a', 'c', 'x'], 'd1'], [['b'], 'd1'], [['a', 'c'], 'd2'], [[], 'd1']] as const) {
      assert.deepEqual(await byIds(db, { ids, domain }), await plain([...ids], domain));
    }
    // Named statements are listed here; the plain query's unnamed ones are not.
    const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db);
    assert.equal(prepared.rows.length, 1);
    assert.match(prepared.rows[0]!.statement, /^select "id", "name" from "projects" where "id" = any\(\$1/);
  });
});
