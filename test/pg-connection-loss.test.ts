import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { isConnectionLoss } from '../src/db/connection-loss.js';
import { TEST_DB } from './helpers/database.js';
import { assertError, ok, uniq } from './helpers/fixtures.js';
import { eventually, startTestServer, type TestServer } from './helpers/server.js';

test('connection losses are told apart from errors of the statement itself', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  for (const lost of [
    withCode('57P01', 'terminating connection due to administrator command'),
    withCode('57P03', 'the database system is starting up'),
    withCode('08006'),
    withCode('ECONNREFUSED'),
    new Error('Connection terminated unexpectedly'),
    new Error('Client has encountered a connection error and is not queryable'),
  ]) {
    assert.equal(isConnectionLoss(lost), true, lost.message);
  }
  for (const other of [withCode('23505', 'duplicate key'), withCode('57014', 'canceling statement due to statement timeout'), withCode('SQLITE_BUSY'), new Error('Connection terminated by the caller'), 'Connection terminated']) {
    assert.equal(isConnectionLoss(other), false, String(other));
  }
});

// The server's own PostgreSQL connections are killed from an admin connection to the same test
// database, as an operator's pg_terminate_backend or a database restart would.
describe('PostgreSQL connection lost while in use', { skip: TEST_DB !== 'postgres' && 'PostgreSQL only' }, () => {
  let srv: TestServer;
  let admin: pg.Client;
  let token: string;
  let database: string;
  let url: string;

  before(async () => {
    srv = await startTestServer();
    const config = srv.server.config.database;
    assert.equal(config.kind, 'postgres');
    url = config.url;
    database = new URL(url).pathname.slice(1);
    admin = new pg.Client({ connectionString: config.url });
    await admin.connect();
    token = await srv.rootToken();
  });
  after(async () => {
    await admin.end();
    await srv.close();
  });

  const createWorkspace = () => srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name: uniq('conn') } });

  /** pids of the server's backends matching condition, whose parameters start at $2 */
  async function serverBackends(condition: string, ...params: unknown[]): Promise<number[]> {
    const { rows } = await admin.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and ${condition}`,
      [database, ...params],
    );
    return rows.map((r) => r.pid);
  }

  async function terminate(pids: number[]): Promise<void> {
    await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [pids]);
    await eventually(async () => ((await serverBackends('pid = any($2)', pids)).length === 0 ? true : undefined));
  }

  test('a request whose connection is killed mid-transaction answers 503 ModelArts.7008, and the server goes on', async () => {
    // Holding the project row makes the create transaction wait inside its reserveSlot UPDATE,
    // after its BEGIN: the connection is checked out and busy when it is killed.
    await admin.query('begin');
    await admin.query('select 1 from projects where id = $1 for update', [srv.projectId]);
    const pending = createWorkspace();
    const [waiting] = await eventually(async () => {
      const pids = await serverBackends("wait_event_type = 'Lock'");
      return pids.length > 0 ? pids : undefined;
    });
    await admin.query('select pg_terminate_backend($1)', [waiting]);
    await admin.query('rollback');

    assertError(await pending, 503, 'ModelArts.7008');
    ok(await createWorkspace());
    assert.equal((await srv.api('GET', '/readyz')).status, 200);
  });

  /**
   * Kills the server's backends while this process's event loop is blocked, so that none of the
   * server's idle connections has read its loss when the caller goes on in the same tick.
   */
  function terminateUnnoticed(pids: number[]): void {
    const psql = (query: string) => {
      const run = spawnSync('psql', ['-XtAq', '-d', url, '-c', query], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      return run.stdout.trim();
    };
    const list = `array[${pids.join(',')}]::int[]`;
    psql(`select pg_terminate_backend(pid) from unnest(${list}) as pid`);
    // pg_terminate_backend only signals: wait until the backends are gone (bounded, not timed).
    for (let check = 0; psql(`select count(*) from pg_stat_activity where pid = any(${list})`) !== '0'; check++) {
      assert.ok(check < 1000, 'the killed backends did not go away');
    }
  }

  test('a pooled connection whose loss is not yet read is replaced for a read or a BEGIN, never for a write', async () => {
    const db = srv.server.db;
    // Every connection of the pool is opened and idle.
    await Promise.all(Array.from({ length: 10 }, () => sql`select pg_sleep(0.01)`.execute(db)));
    const pids = await serverBackends('true');
    assert.equal(pids.length, 10);

    terminateUnnoticed(pids);
    const read = db.selectFrom('projects').select('id').where('id', '=', srv.projectId).execute();
    const transaction = db.transaction().execute((trx) => trx.selectFrom('projects').select('id').execute());
    const write = db.updateTable('projects').set({ name: srv.projectName }).where('id', '=', srv.projectId).execute();
    const writeError = write.then(() => undefined, (error: unknown) => error);

    assert.deepEqual(await read, [{ id: srv.projectId }]);
    assert.ok((await transaction).length > 0);
    // The write is sent on a lost connection too, and is not repeated: had it reached the
    // database before the loss, it would have been done twice.
    assert.ok(isConnectionLoss(await writeError), String(await writeError));
    ok(await createWorkspace());
  });

  test('after every connection of the server is killed (a database restart), the next requests succeed', async () => {
    ok(await srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token }));
    const pids = await serverBackends('true');
    assert.ok(pids.length > 0);
    await terminate(pids);
    ok(await createWorkspace());
    ok(await srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token }));
  });
});
