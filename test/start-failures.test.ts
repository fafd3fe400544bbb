import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { ADMIN_URL, createTestStorage } from './helpers/database.js';
import { type Cleanup, cleanupFor, runProcess, spawnServer } from './helpers/process.js';

// What an operator sees when the server cannot start is the point here, so these are real processes.

async function listeningServer(cleanup: Cleanup): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  cleanup.defer(() => (server.listening ? close() : undefined));
  return { port: (server.address() as net.AddressInfo).port, close };
}

async function failedStart(cleanup: Cleanup, env: Record<string, string>) {
  const result = await runProcess(cleanup, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MAWS_LOG_LEVEL: 'info', MAWS_PORT: '0', ...env },
  });
  assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
  const output = `${result.stdout}${result.stderr}`;
  // one line, no stack
  assert.equal(output.trim().split('\n').length, 1, output);
  assert.doesNotMatch(output, /^\s+at /m);
  return output.trim();
}

test('a busy port stops the start before the root account exists; a later start creates it', async (t) => {
  const cleanup = cleanupFor(t);
  const storage = await createTestStorage();
  cleanup.defer(() => storage.cleanup());
  const busy = await listeningServer(cleanup);

  const line = await failedStart(cleanup, { ...storage.env, MAWS_PORT: String(busy.port) });
  assert.equal(line, `cannot listen on 127.0.0.1:${busy.port}: address in use (set MAWS_PORT)`);

  // Only an empty database gets the root account with its one-time secrets: none was created above.
  const later = await spawnServer(cleanup, storage.env);
  assert.match(later.output(), /created the root account on this empty database/);
  assert.match(later.output(), /root password:\s+\S+/);
  assert.equal(await later.stop(), 0);
});

test('a database that does not exist, or a port where no database listens, is named with its cause and without the password', async (t) => {
  const cleanup = cleanupFor(t);
  const storage = await createTestStorage(); // for the data directory only
  cleanup.defer(() => storage.cleanup());
  const missing = new URL(ADMIN_URL);
  missing.pathname = '/maws_never_created';
  missing.password = 'not-to-be-printed';
  const missingLine = await failedStart(cleanup, { MAWS_DATA_DIR: storage.dataDir, DATABASE_URL: missing.toString() });
  missing.password = '';
  assert.equal(missingLine, `cannot use the database ${missing}: database "maws_never_created" does not exist`);

  const closed = await listeningServer(cleanup);
  await closed.close(); // a port that was free a moment ago, and nothing listens on it now
  const unreachable = new URL(ADMIN_URL);
  unreachable.port = String(closed.port);
  const unreachableLine = await failedStart(cleanup, { MAWS_DATA_DIR: storage.dataDir, DATABASE_URL: unreachable.toString() });
  assert.match(unreachableLine, new RegExp(`^cannot use the database ${unreachable.toString().replace(/[.?*+^$[\]\\(){}|-]/g, '\\$&')}: connect ECONNREFUSED `));
});
