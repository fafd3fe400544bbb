// An export's snapshot lasts however long its reader pauses. On PostgreSQL the snapshot is a
// transaction on the handle's one connection: a pool that closed the connection while it was
// idle (a slow reader, a stalled pipe) would go on reading on a new one, outside the snapshot.
import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import { sql } from 'kysely';
import { connectDb } from '../src/db/connect.js';
import { newId } from '../src/ids.js';
import { exportLines } from '../src/transfer/export.js';
import { TEST_DB } from './helpers/database.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const SKIP = TEST_DB === 'postgres' ? false : 'PostgreSQL only: a SQLite handle is one connection that nothing closes';

describe('export snapshot while its reader pauses', { skip: SKIP }, () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv?.close());

  test('rows written during a long pause are not in the export', async (t) => {
    // The pool's idle timers run on this clock, moved by the test instead of waited for.
    mock.timers.enable({ apis: ['setTimeout'] });
    t.after(() => mock.timers.reset());
    const db = connectDb(srv.server.config.database, { connections: 1 });
    t.after(() => db.destroy());
    const lines = exportLines(db);
    const first = await lines.next();
    assert.equal(first.value?.kind, 'header');
    const late = `late-${newId().slice(0, 8)}`;
    await srv.server.db.insertInto('domains').values({ id: newId(), name: late, description: '', enabled: 1, created_at: Date.now() }).execute();
    // a reader that stalls for a minute
    mock.timers.tick(60_000);
    const domains: string[] = [];
    let table = '';
    for await (const line of lines) {
      if (line.kind === 'table') table = line.start.table;
      if (line.kind === 'row' && table === 'domains') domains.push(String(line.values[1]));
    }
    assert.ok(!domains.includes(late), `the export holds ${late}, written after it began: ${domains.join(', ')}`);
  });

  test('an export whose connection was lost and replaced ends without its trailer', async (t) => {
    const db = connectDb(srv.server.config.database, { connections: 1 });
    t.after(() => db.destroy());
    const lines = exportLines(db, { pageRows: 1 });
    assert.equal((await lines.next()).value?.kind, 'header');
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
    // The export's session dies between two pages (a restart, a network cut, an administrator).
    await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(srv.server.db);
    // The pool notices the dead session when a statement fails on it, then opens a new one: wait for
    // that (each try is a round trip, not a timer), so the export goes on as after a silent reconnect.
    for (let tries = 0; ; tries++) {
      const pid = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db).then((r) => r.rows[0]?.pid, () => undefined);
      if (pid !== undefined && pid !== rows[0]!.pid) break;
      assert.ok(tries < 100, 'the pool never opened a new session');
    }
    const kinds: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const line of lines) kinds.push(line.kind);
      })(),
      /connection to the database was lost during the export/,
    );
    assert.ok(!kinds.includes('trailer'), 'a trailer would make the file importable');
  });
});
