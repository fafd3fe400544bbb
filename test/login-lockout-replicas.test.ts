// The lockout across replicas: server processes on one database (PostgreSQL, or one SQLite file
// through separate connections) count a user's concurrent failures once each and lock it once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestStorage } from './helpers/database.js';
import { assertError } from './helpers/fixtures.js';
import { cleanupFor, spawnServer, spawnServers } from './helpers/process.js';
import { httpJson } from './helpers/server.js';

const ROOT_PASSWORD = 'Replica-Passw0rd';
const USER_PASSWORD = 'Locked-Passw0rd';
const ATTEMPTS = 5;

test('concurrent failures on three replicas: exactly MAWS_LOCKOUT_ATTEMPTS are answered "wrong", then the user is locked on every replica until root unlocks it', async (t) => {
  const cleanup = cleanupFor(t);
  const storage = await createTestStorage();
  cleanup.defer(() => storage.cleanup());
  const env = { ...storage.env, MAWS_ROOT_PASSWORD: ROOT_PASSWORD, MAWS_LOCKOUT_ATTEMPTS: String(ATTEMPTS) };
  // The first creates the account; the others join the database it made.
  const first = await spawnServer(cleanup, env);
  const replicas = [first, ...(await spawnServers(cleanup, [env, env]))];
  const on = (i: number) => replicas[i % replicas.length]!.url;

  const signIn = (i: number, user: Record<string, unknown>) =>
    httpJson(`${on(i)}/v3/auth/tokens`, 'POST', { body: { auth: { identity: { methods: ['password'], password: { user } } } } });
  const rootLogin = await signIn(0, { name: 'admin', password: ROOT_PASSWORD, domain: { name: 'admin' } });
  assert.equal(rootLogin.status, 201, JSON.stringify(rootLogin.body));
  const root = rootLogin.headers.get('x-subject-token')!;
  const created = await httpJson(`${on(1)}/v3/users`, 'POST', { token: root, body: { user: { name: 'target', password: USER_PASSWORD } } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const user = { name: 'target', domain: { name: 'admin' } };

  const answers = await Promise.all(Array.from({ length: ATTEMPTS * 3 }, (_, i) => signIn(i, { ...user, password: 'Wrong-Passw0rd' })));
  const messages = answers.map((a) => `${a.status} ${a.body.error_code} ${a.body.error_msg}`);
  const wrong = messages.filter((m) => m === '401 APIGW.0301 The username or password is wrong.').length;
  const locked = messages.filter((m) => m === '401 APIGW.0301 The account is locked.').length;
  assert.deepEqual({ wrong, locked }, { wrong: ATTEMPTS, locked: ATTEMPTS * 2 }, messages.join('\n'));

  for (let i = 0; i < replicas.length; i++) {
    assertError(await signIn(i, { ...user, password: USER_PASSWORD }), 401, 'APIGW.0301', 'The account is locked.');
  }
  assert.equal((await httpJson(`${on(2)}/v3/users/${created.body.user.id}/unlock`, 'POST', { token: root })).status, 204);
  for (let i = 0; i < replicas.length; i++) {
    assert.equal((await signIn(i, { ...user, password: USER_PASSWORD })).status, 201);
  }
});
