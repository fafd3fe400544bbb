import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { connectDb, useServerPragmas } from '../src/db/connect.js';
import { GroupCommitSqliteDialect } from '../src/db/group-commit.js';
import { newId } from '../src/ids.js';
import { createTestStorage } from './helpers/database.js';
import { cleanupFor, spawnServer } from './helpers/process.js';
import { httpJson, startTestServer } from './helpers/server.js';

interface TestDb {
  items: { id: number; name: string };
  parents: { id: number };
  children: { id: number; parent_id: number };
}

/**
 * A database file of its own with the server's pragmas, the driver under test, a count of its
 * COMMITs, and a second connection that sees only what is committed.
 */
function open(t: { after(fn: () => unknown): void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maws-group-commit-'));
  const file = path.join(dir, 'test.db');
  const raw = new SQLite(file);
  useServerPragmas(raw, 0);
  raw.exec(`create table items (id integer primary key, name text not null unique);
    create table parents (id integer primary key);
    create table children (id integer primary key, parent_id integer not null references parents (id))`);
  const commits: number[] = [];
  const db = new Kysely<TestDb>({
    dialect: new GroupCommitSqliteDialect(raw, raw, { onCommit: (callers) => commits.push(callers) }),
  });
  const reader = new SQLite(file, { readonly: true });
  t.after(async () => {
    reader.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const committed = (table: 'items' | 'children', id: number) =>
    reader.prepare(`select count(*) as n from ${table} where id = ?`).get(id) as { n: number };
  return { db, commits, isCommitted: (id: number, table: 'items' | 'children' = 'items') => committed(table, id).n === 1 };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => 1 + i);
const sum = (numbers: number[]) => numbers.reduce((a, b) => a + b, 0);

describe('group commit (SQLite)', () => {
  test('concurrent transactions are all committed, each before it resolves, in fewer COMMITs', async (t) => {
    const { db, commits, isCommitted } = open(t);
    const seenCommitted = await Promise.all(
      ids(50).map(async (id) => {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('items').values({ id, name: `item-${id}` }).execute();
          await trx.selectFrom('items').select('id').where('id', '=', id).executeTakeFirstOrThrow();
        });
        return isCommitted(id);
      }),
    );
    assert.deepEqual(seenCommitted, ids(50).map(() => true));
    assert.ok(commits.length >= 1 && commits.length < 50, `${commits.length} commits for 50 transactions`);
    assert.equal(sum(commits), 50);
  });

  test('a group admits at most 100 callers before it commits', async (t) => {
    const { db, commits } = open(t);
    await Promise.all(ids(250).map((id) => db.transaction().execute((trx) => trx.insertInto('items').values({ id, name: `item-${id}` }).execute())));
    // Three groups at least (more if one stayed open 20 ms, on a slow machine).
    assert.ok(commits.length >= 3 && commits.every((n) => n <= 100), `groups of ${commits.join(', ')}`);
    assert.equal(sum(commits), 250);
  });

  test('a failing transaction rolls back alone; the others of its group commit', async (t) => {
    const { db, commits, isCommitted } = open(t);
    const results = await Promise.allSettled(
      ids(10).map((id) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto('items').values({ id, name: `item-${id}` }).execute();
          if (id === 5) throw new Error('refused by the caller');
          // A unique violation, caught: the statement fails, the transaction goes on.
          if (id === 7) await assert.rejects(trx.insertInto('items').values({ id: 70, name: 'item-1' }).execute(), /UNIQUE/);
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ids(10).map((id) => (id === 5 ? 'rejected' : 'fulfilled')),
    );
    assert.match(String((results[4] as PromiseRejectedResult).reason), /refused by the caller/);
    assert.deepEqual(
      ids(10).map((id) => isCommitted(id)),
      ids(10).map((id) => id !== 5),
    );
    assert.equal(isCommitted(70), false);
    assert.equal(sum(commits), 10);
  });

  test('a failed COMMIT fails every transaction and plain query of its group, and keeps nothing of it', async (t) => {
    const { db, commits, isCommitted } = open(t);
    const results = await Promise.allSettled([
      ...ids(5).map((id) => db.transaction().execute((trx) => trx.insertInto('items').values({ id, name: `item-${id}` }).execute())),
      // A deferred foreign key is checked at the COMMIT only: the group's COMMIT fails.
      db.transaction().execute(async (trx) => {
        await sql`PRAGMA defer_foreign_keys = ON`.execute(trx);
        await trx.insertInto('children').values({ id: 1, parent_id: 404 }).execute();
      }),
      // A plain read inside the group saw rows that were never committed.
      db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      results.map(() => 'rejected'),
    );
    for (const result of results) {
      const error = (result as PromiseRejectedResult).reason as Error & { cause?: { code?: string } };
      assert.match(error.message, /group commit failed: FOREIGN KEY constraint failed/);
      assert.equal(error.cause?.code, 'SQLITE_CONSTRAINT_FOREIGNKEY');
      // Not a foreign key error of this caller's own writes.
      assert.equal((error as { code?: string }).code, undefined);
    }
    assert.deepEqual(commits, []);
    assert.deepEqual([...ids(5).map((id) => isCommitted(id)), isCommitted(1, 'children')], [false, false, false, false, false, false]);

    // The connection is usable again, with the deferral gone.
    await db.transaction().execute((trx) => trx.insertInto('items').values({ id: 6, name: 'item-6' }).execute());
    assert.equal(isCommitted(6), true);
    await assert.rejects(db.insertInto('children').values({ id: 2, parent_id: 404 }).execute(), /FOREIGN KEY/);
  });

  test('a plain query that ran inside a group is answered after its COMMIT', async (t) => {
    const { db, isCommitted } = open(t);
    const write = db.transaction().execute((trx) => trx.insertInto('items').values({ id: 1, name: 'item-1' }).execute());
    const read = db
      .selectFrom('items')
      .select('name')
      .where('id', '=', 1)
      .executeTakeFirst()
      .then((row) => ({ row, committed: isCommitted(1) }));
    const [, seen] = await Promise.all([write, read]);
    assert.deepEqual(seen, { row: { name: 'item-1' }, committed: true });
  });

  test('savepoints and controlled transactions inside a group', async (t) => {
    const { db, commits, isCommitted } = open(t);
    const controlled = async () => {
      const trx = await db.startTransaction().execute();
      await trx.insertInto('items').values({ id: 1, name: 'item-1' }).execute();
      const afterFirst = await trx.savepoint('after_first').execute();
      await afterFirst.insertInto('items').values({ id: 2, name: 'item-2' }).execute();
      await afterFirst.rollbackToSavepoint('after_first').execute();
      await afterFirst.insertInto('items').values({ id: 3, name: 'item-3' }).execute();
      await afterFirst.releaseSavepoint('after_first').execute();
      await trx.commit().execute();
    };
    const rolledBack = async () => {
      const trx = await db.startTransaction().execute();
      await trx.insertInto('items').values({ id: 4, name: 'item-4' }).execute();
      await trx.rollback().execute();
    };
    const plain = () => db.transaction().execute((trx) => trx.insertInto('items').values({ id: 5, name: 'item-5' }).execute());
    await Promise.all([controlled(), rolledBack(), plain()]);
    assert.deepEqual(
      ids(5).map((id) => isCommitted(id)),
      [true, false, true, false, true],
    );
    assert.equal(sum(commits), 3);
  });
});

describe('group commit in the server', () => {
  test('concurrent creates are all committed and counted', async (t) => {
    const server = await startTestServer();
    t.after(() => server.close());
    const token = await server.rootToken();
    const base = `/v1/${server.projectId}/workspaces`;
    const before = (await server.api('GET', `${base}?limit=1`, { token })).body.total_count as number;
    const names = ids(40).map((i) => `group-${i}-${newId().slice(0, 6)}`);
    // Two of the same name in the same instant: one of them is a conflict, the group goes on.
    const responses = await Promise.all([...names, names[0]!].map((name) => server.api('POST', base, { token, body: { name } })));
    assert.deepEqual(
      responses.map((r) => r.status).sort(),
      [...names.map(() => 200), 400].sort(),
    );
    const listed = await server.api('GET', `${base}?limit=1000`, { token });
    assert.equal(listed.body.total_count, before + 40);
    const found = new Set((listed.body.workspaces as { name: string }[]).map((w) => w.name));
    assert.deepEqual(
      names.filter((n) => !found.has(n)),
      [],
    );
  });

  test('every acknowledged create survives kill -9 of the server', async (t) => {
    const cleanup = cleanupFor(t);
    const storage = await createTestStorage();
    cleanup.defer(() => storage.cleanup());
    const projectId = newId();
    const password = 'Crash-Passw0rd';
    const env = { ...storage.env, MAWS_ROOT_PASSWORD: password, MAWS_PROJECT_ID: projectId };
    const acknowledged: string[] = [];

    /** Creates on 20 connections until `count` more are acknowledged, then kills the server with creates in flight. */
    const crashAfter = async (round: number, count: number) => {
      const server = await spawnServer(cleanup, env);
      const login = await httpJson(`${server.url}/v3/auth/tokens`, 'POST', {
        body: {
          auth: {
            identity: { methods: ['password'], password: { user: { name: 'admin', password, domain: { name: 'admin' } } } },
            scope: { project: { name: 'cn-north-4' } },
          },
        },
      });
      const token = login.headers.get('x-subject-token')!;
      const target = acknowledged.length + count;
      let enough!: () => void;
      const reached = new Promise<void>((resolve) => (enough = resolve));
      let killed = false;
      const lane = async (lane: number) => {
        for (let i = 0; !killed; i++) {
          const name = `crash-${round}-${lane}-${i}`;
          try {
            const res = await httpJson(`${server.url}/v1/${projectId}/workspaces`, 'POST', { token, body: { name } });
            if (res.status === 200 && acknowledged.push(name) === target) enough();
          } catch {
            return; // the server is gone: this one was never acknowledged
          }
        }
      };
      const lanes = ids(20).map(lane);
      await Promise.race([reached, Promise.all(lanes)]);
      killed = true;
      await server.stop('SIGKILL');
      await Promise.all(lanes);
      assert.ok(acknowledged.length >= target, server.output());
    };
    // Each crash may cut a group off at another point; the next start recovers the WAL first.
    for (const round of ids(3)) await crashAfter(round, 100);

    const db = connectDb(loadConfig(env).database);
    cleanup.defer(() => db.destroy());
    const stored = new Set(
      (await db.selectFrom('workspaces').select('name').where('project_id', '=', projectId).execute()).map((r) => r.name),
    );
    assert.deepEqual(
      acknowledged.filter((name) => !stored.has(name)),
      [],
    );
  });
});
