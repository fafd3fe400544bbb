import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { withCompiledRows } from '../src/db/sqlite-rows.js';

function database(): SQLite.Database {
  const db = new SQLite(':memory:');
  db.exec(`create table t (id text primary key, n integer, r real, b blob, z text);
           insert into t values ('a', 1, 1.5, x'00ff', null), ('b', 9007199254740991, -0.1, null, 'zz');`);
  return db;
}

describe('SQLite rows built by compiled literals', () => {
  test('rows equal what better-sqlite3 builds itself: every type, order, null and blob', () => {
    const db = database();
    const sql = 'select id, n, r, b, z from t order by id';
    const expected = db.prepare(sql).all();
    const rows = withCompiledRows(db.prepare(sql)).all([]);
    assert.deepEqual(rows, expected);
    assert.deepEqual(Object.keys(rows[0] as object), ['id', 'n', 'r', 'b', 'z']);
  });

  test('bound parameters, iterate, and a duplicate column name (the last one wins, as in better-sqlite3)', () => {
    const db = database();
    const sql = "select id, n as v, z as v from t where id = ?";
    const statement = withCompiledRows(db.prepare(sql));
    assert.deepEqual(statement.all(['b']), db.prepare(sql).all('b'));
    assert.deepEqual([...statement.iterate(['a'])], db.prepare(sql).all('a'));
  });

  test('a column named __proto__ is an own column and cannot replace the prototype', () => {
    const db = database();
    const [row] = withCompiledRows(db.prepare('select b as "__proto__", n from t where id = ?')).all(['a']) as Record<string, unknown>[];
    assert.equal(Object.getPrototypeOf(row), Object.prototype);
    assert.ok(Object.hasOwn(row!, '__proto__'));
    assert.deepEqual(row!['__proto__'], Buffer.from([0x00, 0xff]));
    assert.equal(row!.n, 1);
  });

  test('statements without rows still run and report their changes', () => {
    const db = database();
    const statement = withCompiledRows(db.prepare('update t set n = n + 1 where id = ?'));
    assert.equal(statement.reader, false);
    assert.equal(Number(statement.run(['a']).changes), 1);
    assert.equal(db.prepare('select n from t where id = ?').pluck().get('a'), 2);
  });
});
