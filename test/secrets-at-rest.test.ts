// Secret keys at rest: what a copy of the database reveals, the master key's refusals at start,
// the encryption of secrets stored in clear by an older version, and the key's rotation.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { connectDb } from '../src/db/connect.js';
import { keyFilePath, NEXT_KEY_FILE, PREVIOUS_KEY_FILE, readKeyFile, readKeyring, writeKeyFile } from '../src/secrets/key-file.js';
import { encodeKey, generateKey } from '../src/secrets/master-key.js';
import { resealSecrets } from '../src/secrets/stored-secrets.js';
import { assertNoStack, type CliClock, type CliResult, cliHome, failed } from './helpers/cli.js';
import { createTestStorage, type TestStorage } from './helpers/database.js';
import { ok, signedApi } from './helpers/fixtures.js';
import { cleanupFor, runProcess } from './helpers/process.js';
import { type ApiResponse, OPERATOR_TOKEN, startTestServer, type TestServer, type TestUser } from './helpers/server.js';

function created(res: ApiResponse): any {
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function storageFor(t: { after(fn: () => Promise<void>): void }): Promise<TestStorage> {
  const storage = await createTestStorage();
  t.after(() => storage.cleanup());
  return storage;
}

/** A key made through the API, whose secret only the answer held. */
async function createKeyThroughApi(srv: TestServer, user: TestUser = srv.root): Promise<{ accessKey: string; secretKey: string }> {
  const body = created(await srv.api('POST', '/v3.0/OS-CREDENTIAL/credentials', { token: await srv.rootToken(), body: { credential: { user_id: user.id } } }));
  return { accessKey: body.credential.access, secretKey: body.credential.secret };
}

async function verifies(srv: TestServer, key: { accessKey: string; secretKey: string }): Promise<number> {
  return (await signedApi(srv, 'GET', '/v3.0/OS-CREDENTIAL/credentials', { ak: key.accessKey, sk: key.secretKey })).status;
}

/** Everything the database holds: the SQLite files' bytes (main, -wal, -shm), or every row of every PostgreSQL table as text. */
async function databaseDump(srv: TestServer): Promise<Buffer> {
  const database = srv.server.config.database;
  if (database.kind === 'sqlite') {
    const dir = path.dirname(database.file);
    const files = (await fs.readdir(dir)).filter((f) => f.startsWith(path.basename(database.file)));
    assert.ok(files.some((f) => f.endsWith('-wal')), `a -wal file among ${files}`);
    return Buffer.concat(await Promise.all(files.map((f) => fs.readFile(path.join(dir, f)))));
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`,
    );
    assert.ok(tables.some((t) => t.table_name === 'access_keys'));
    const texts: string[] = [];
    for (const { table_name } of tables) {
      const { rows } = await client.query<{ row: string }>(`select t::text as row from "${table_name}" t`);
      texts.push(...rows.map((r) => r.row));
    }
    return Buffer.from(texts.join('\n'));
  }
  finally {
    await client.end();
  }
}

test('a dump of the database alone reveals no secret key; the keys still verify', async (t) => {
  const srv = await startTestServer();
  t.after(() => srv.close());
  const alice = await srv.newUser();
  const made = [await createKeyThroughApi(srv), await createKeyThroughApi(srv, alice), alice];
  const account = ok(await srv.operator('POST', '/maws/v1/accounts', { body: { name: `acct${Date.now() % 1_000_000}` } }));
  const keys = [srv.root, ...made, { accessKey: account.access_key, secretKey: account.secret_key }];
  for (const key of keys) assert.equal(await verifies(srv, key), 200, key.accessKey);

  const dump = await databaseDump(srv);
  assert.ok(dump.includes(srv.root.accessKey), 'the dump holds the access keys');
  for (const key of keys) assert.equal(dump.includes(key.secretKey), false, `secret of ${key.accessKey} in the dump`);
  const file = await fs.stat(keyFilePath(srv.dataDir));
  assert.equal(file.mode & 0o777, 0o600);
});

test('secret keys stored in clear text (by a version before encryption) are encrypted at the next start and still verify', async (t) => {
  const storage = await storageFor(t);
  const first = await startTestServer(storage.env);
  let firstOpen = true;
  t.after(() => (firstOpen ? first.close() : undefined));
  const clear = await createKeyThroughApi(first);
  await first.server.db.updateTable('access_keys').set({ secret_key: clear.secretKey }).where('access_key', '=', clear.accessKey).execute();
  await first.server.db.updateTable('access_keys').set({ secret_key: first.root.secretKey }).where('access_key', '=', first.root.accessKey).execute();
  const root = first.root;
  firstOpen = false;
  await first.close();

  const second = await startTestServer(storage.env);
  t.after(() => second.close());
  const stored = await second.server.db.selectFrom('access_keys').select(['access_key', 'secret_key']).execute();
  const fingerprint = second.server.secrets.fingerprint();
  for (const row of stored) assert.match(row.secret_key, new RegExp(`^maws-sk:v1:${fingerprint}:`), row.access_key);
  const dump = await databaseDump(second);
  assert.ok(dump.includes(clear.accessKey));
  for (const key of [clear, root]) assert.equal(dump.includes(key.secretKey), false, `secret of ${key.accessKey} left in the database`);
  assert.equal(await verifies(second, clear), 200);
  assert.equal(await verifies(second, root), 200);
  assert.equal(await verifies(second, { ...clear, secretKey: root.secretKey }), 401);
});

/** The server as a process: it must refuse to start with one clear message, no stack. */
async function refusedStart(t: { after(fn: () => unknown): void }, env: Record<string, string>): Promise<string> {
  const result = await runProcess(cleanupFor(t), ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MAWS_LOG_LEVEL: 'info', MAWS_PORT: '0', MAWS_OPERATOR_TOKEN: OPERATOR_TOKEN, ...env },
  });
  const output = `${result.stdout}${result.stderr}`;
  assert.equal(result.code, 1, output);
  assert.doesNotMatch(output, /^\s+at |\.ts:\d+/m, output);
  return output.trim();
}

test('a missing, malformed, exposed or wrong master key stops the start with a clear message', async (t) => {
  const storage = await storageFor(t);
  const srv = await startTestServer(storage.env);
  const fingerprint = srv.server.secrets.fingerprint();
  await srv.close();
  const keyFile = keyFilePath(storage.dataDir);
  const original = await fs.readFile(keyFile);

  assert.equal(
    await refusedStart(t, { ...storage.env, MAWS_MASTER_KEY: 'c2hvcnQ=' }),
    'invalid configuration:\n  MAWS_MASTER_KEY: key 1 is not the base64 of 32 random bytes (44 characters, e.g. from `openssl rand -base64 32`)',
  );
  const wrong = generateKey();
  assert.equal(
    await refusedStart(t, { ...storage.env, MAWS_MASTER_KEY: encodeKey(wrong.key) }),
    `cannot use the master key: the database holds a secret key encrypted under master key ${fingerprint}, this server has ${wrong.fingerprint} (from MAWS_MASTER_KEY)`,
  );
  await fs.chmod(keyFile, 0o644);
  assert.equal(
    await refusedStart(t, storage.env),
    `cannot use the master key: the master key file ${keyFile} is accessible to others (mode 644): run chmod 600 ${keyFile}`,
  );
  await fs.chmod(keyFile, 0o600);
  await fs.writeFile(keyFile, 'not a key\n');
  assert.match(await refusedStart(t, storage.env), new RegExp(`^cannot use the master key: the master key file ${keyFile} is malformed: it must hold the base64 of 32 random bytes`));
  await fs.rm(keyFile);
  assert.equal(
    await refusedStart(t, storage.env),
    `cannot use the master key: the database holds secret keys encrypted under master key ${fingerprint}, but there is no master key: set MAWS_MASTER_KEY or restore ${storage.dataDir}/master.key`,
  );
  // The refusals created no key: the original one still opens the database.
  await fs.writeFile(keyFile, original, { mode: 0o600 });
  const again = await startTestServer(storage.env);
  t.after(() => again.close());
  assert.equal(again.server.secrets.fingerprint(), fingerprint);
});

/** A CLI clock that moves 3 s whenever it is read: every progress report is printed. */
function hastyClock(): CliClock {
  let time = Date.now();
  return { now: () => (time += 3000), advance: (ms) => void (time += ms), sleep: async (ms) => void (time += ms) };
}

/** Exit 0; its progress and key notices are on stderr, the outcome on stdout. */
function completed(res: CliResult): string {
  assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
  assertNoStack(res);
  return res.stdout;
}

function cliEnv(storage: TestStorage, extra: Record<string, string> = {}): Record<string, string> {
  return { ...storage.env, ...extra };
}

test('maws admin rotate-master-key (key file): re-encrypts every secret, installs the new key, the running server and a restart go on verifying', async (t) => {
  const storage = await storageFor(t);
  const srv = await startTestServer(storage.env);
  t.after(() => srv.close());
  const made = await createKeyThroughApi(srv);
  const before = srv.server.secrets.fingerprint();
  const home = await cliHome(hastyClock());
  t.after(() => home.cleanup());

  const res = await home.run(['admin', 'rotate-master-key'], { env: cliEnv(storage) });
  const out = completed(res);
  const after = readKeyFile(keyFilePath(storage.dataDir))!.fingerprint;
  assert.notEqual(after, before);
  assert.match(out, new RegExp(`^Re-encrypted 2 secret keys from master key ${before} to ${after}\\.$`, 'm'));
  assert.match(res.stderr, new RegExp(`wrote the new master key ${after} to .*master\\.key\\.next`));
  assert.match(res.stderr, /^re-encrypting access_keys: 2 rows$/m);
  assert.equal(readKeyFile(keyFilePath(storage.dataDir, PREVIOUS_KEY_FILE))!.fingerprint, before);
  await assert.rejects(fs.stat(keyFilePath(storage.dataDir, NEXT_KEY_FILE)), { code: 'ENOENT' });
  for (const name of ['master.key', PREVIOUS_KEY_FILE]) assert.equal((await fs.stat(path.join(storage.dataDir, name))).mode & 0o777, 0o600);
  const rows = await srv.server.db.selectFrom('access_keys').select('secret_key').execute();
  assert.ok(rows.every((r) => r.secret_key.startsWith(`maws-sk:v1:${after}:`)));

  // The running server reads the new key file when it meets a secret under it.
  srv.server.modules.auth.service.forgetCredentials();
  assert.equal(await verifies(srv, made), 200);
  assert.equal(await verifies(srv, srv.root), 200);
  // Made before this server was restarted, under the key it started with: master.key.previous keeps it readable.
  const alice = await srv.newUser();
  const meanwhile = await createKeyThroughApi(srv, alice);
  await srv.close();
  const restarted = await startTestServer(storage.env);
  t.after(() => restarted.close());
  assert.equal(restarted.server.secrets.fingerprint(), after);
  for (const key of [made, alice, meanwhile]) assert.equal(await verifies(restarted, key), 200, key.accessKey);
});

test('an interrupted rotation (committed, key not installed) loses nothing: the server reads master.key.next, a second run finishes it', async (t) => {
  const storage = await storageFor(t);
  const srv = await startTestServer(storage.env);
  const made = await createKeyThroughApi(srv);
  await srv.close();
  // What the command has done when it dies between its commit and the key's installation.
  const pending = generateKey();
  writeKeyFile(keyFilePath(storage.dataDir, NEXT_KEY_FILE), pending);
  const db = connectDb(srv.server.config.database);
  await resealSecrets(db, readKeyring(storage.dataDir)!, pending);
  await db.destroy();

  const during = await startTestServer(storage.env);
  assert.equal(await verifies(during, made), 200);
  await during.close();

  const home = await cliHome();
  t.after(() => home.cleanup());
  const otherKeyFile = path.join(home.dir, 'other.key');
  await fs.writeFile(otherKeyFile, `${encodeKey(generateKey().key)}\n`);
  failed(
    await home.run(['admin', 'rotate-master-key', '--new-key-file', otherKeyFile], { env: cliEnv(storage) }),
    new RegExp(`an interrupted rotation left .*master\\.key\\.next \\(key ${pending.fingerprint}\\): run the command without a new key to finish it first`),
  );
  const res = await home.run(['admin', 'rotate-master-key'], { env: cliEnv(storage) });
  assert.match(completed(res), new RegExp(`to ${pending.fingerprint}\\.$`, 'm'));
  assert.match(res.stderr, new RegExp(`finishing the interrupted rotation to master key ${pending.fingerprint}`));
  assert.equal(readKeyFile(keyFilePath(storage.dataDir))!.fingerprint, pending.fingerprint);
  const after = await startTestServer(storage.env);
  t.after(() => after.close());
  assert.equal(await verifies(after, made), 200);
});

test('maws admin rotate-master-key (MAWS_MASTER_KEY): prints the new key once; servers then need it; a wrong current key changes nothing', async (t) => {
  const storage = await storageFor(t);
  const current = generateKey();
  const srv = await startTestServer({ ...storage.env, MAWS_MASTER_KEY: encodeKey(current.key) });
  let srvOpen = true;
  t.after(() => (srvOpen ? srv.close() : undefined));
  const made = await createKeyThroughApi(srv);
  const home = await cliHome();
  t.after(() => home.cleanup());

  const wrong = generateKey();
  failed(
    await home.run(['admin', 'rotate-master-key'], { env: cliEnv(storage, { MAWS_MASTER_KEY: encodeKey(wrong.key) }) }),
    new RegExp(`secret key encrypted under master key ${current.fingerprint}, this server has ${wrong.fingerprint}`),
  );

  const sameKeyFile = path.join(home.dir, 'same.key');
  await fs.writeFile(sameKeyFile, encodeKey(current.key));
  failed(
    await home.run(['admin', 'rotate-master-key', '--new-key-file', sameKeyFile], { env: cliEnv(storage, { MAWS_MASTER_KEY: encodeKey(current.key) }) }),
    new RegExp(`the new key is the current one \\(${current.fingerprint}\\)`),
  );
  const res = await home.run(['admin', 'rotate-master-key'], { env: cliEnv(storage, { MAWS_MASTER_KEY: encodeKey(current.key) }) });
  assert.match(completed(res), /^Now set MAWS_MASTER_KEY to the new key printed above and restart every server\.$/m);
  const printed = /new master key (\w+) \(shown only this once, store it now\): (\S+)/.exec(res.stderr);
  assert.ok(printed, res.stderr);
  await assert.rejects(fs.stat(keyFilePath(storage.dataDir)), { code: 'ENOENT' });

  // A server still running with the old key cannot decrypt: a 500 (logged with both fingerprints), never a verdict on garbage.
  srv.server.modules.auth.service.forgetCredentials();
  const stale = await signedApi(srv, 'GET', '/v3.0/OS-CREDENTIAL/credentials', { ak: made.accessKey, sk: made.secretKey });
  assert.equal(stale.status, 500);
  srvOpen = false;
  await srv.close();

  await assert.rejects(startTestServer({ ...storage.env, MAWS_MASTER_KEY: encodeKey(current.key) }), /encrypted under master key/);
  const rotated = await startTestServer({ ...storage.env, MAWS_MASTER_KEY: printed[2]! });
  t.after(() => rotated.close());
  assert.equal(rotated.server.secrets.fingerprint(), printed[1]);
  assert.equal(await verifies(rotated, made), 200);
});
