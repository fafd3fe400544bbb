// IAM's account lockout: refused password sign-ins lock a user for a while, on the server's clock
// (moved by the tests, never waited for); root ends a lock early.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NOT_RECORDED } from '../src/audit/change-trace.js';
import { createQueryId } from 'kysely';
import { createAuthService } from '../src/auth/auth.service.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { connectDb } from '../src/db/connect.js';
import { createIamModule } from '../src/iam/iam.module.js';
import { observePasswordVerifications } from '../src/iam/password.js';
import { apiFailed, cliHome, succeeded } from './helpers/cli.js';
import { TEST_DB } from './helpers/database.js';
import { addAccount, assertError, signedApi } from './helpers/fixtures.js';
import { type ApiResponse, startTestServer, type TestServer, type TestUser } from './helpers/server.js';

const ATTEMPTS = 3;
const WINDOW_MINUTES = 10;
const LOCK_MINUTES = 20;
const MINUTE = 60_000;
const WRONG = 'The username or password is wrong.';
const LOCKED = 'The account is locked.';

describe('login lockout', () => {
  let srv: TestServer;
  let offset = 0;

  before(async () => {
    srv = await startTestServer(
      {
        MAWS_LOCKOUT_ATTEMPTS: String(ATTEMPTS),
        MAWS_LOCKOUT_WINDOW_MINUTES: String(WINDOW_MINUTES),
        MAWS_LOCKOUT_MINUTES: String(LOCK_MINUTES),
        // These tests sign in far more often than the per-address throttle lets anyone: it is tested on its own.
        MAWS_THROTTLE_SIGN_IN_PER_IP: '0',
        MAWS_THROTTLE_FAILED_AUTH_PER_IP: '0',
      },
      () => Date.now() + offset,
    );
  });
  after(() => srv.close());
  // Back to the real time, which AK/SK signatures (the CLI's) are checked against.
  const resetClock = () => {
    offset = 0;
  };

  const byName = (user: Pick<TestUser, 'name'>, password: string) => ({ name: user.name, password, domain: { name: srv.domainName } });
  const signIn = (user: Record<string, unknown>): Promise<ApiResponse> =>
    srv.api('POST', '/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['password'], password: { user } }, scope: { project: { name: srv.projectName } } } },
    });
  const refused = async (user: Record<string, unknown>, message: string) => {
    const res = await signIn(user);
    assertError(res, 401, 'APIGW.0301', message);
    assert.equal(res.headers.get('x-subject-token'), null);
  };
  const admitted = async (user: Record<string, unknown>) => assert.equal((await signIn(user)).status, 201);
  const failTimes = async (user: Record<string, unknown>, times: number) => {
    for (let i = 0; i < times; i++) await refused(user, WRONG);
  };
  const failureRows = () => srv.server.db.selectFrom('login_failures').selectAll().execute();

  test('the last of the allowed failures locks the user: then even the right password gets 401 "The account is locked."', async () => {
    const user = await srv.newUser();
    const other = await srv.newUser();
    const token = await srv.login(user);
    await failTimes(byName(user, 'Wrong-Passw0rd'), ATTEMPTS);
    await refused(byName(user, user.password), LOCKED);
    await refused(byName(user, 'Wrong-Passw0rd'), LOCKED);
    // Only password sign-in is locked: the user's token and access key still work, and other users sign in.
    assert.equal((await srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token })).status, 200);
    await admitted(byName(other, other.password));
  });

  test('the lock holds whichever way the user is named: by id, by name and domain name, by name and domain id', async () => {
    const user = await srv.newUser();
    const domainId = (await signIn(byName(user, user.password))).body.token.user.domain.id;
    await refused({ id: user.id, password: 'Wrong-Passw0rd' }, WRONG);
    await refused({ name: user.name, password: 'Wrong-Passw0rd', domain: { id: domainId } }, WRONG);
    await refused(byName(user, 'Wrong-Passw0rd'), WRONG);
    await refused({ id: user.id, password: user.password }, LOCKED);
    await refused({ name: user.name, password: user.password, domain: { id: domainId } }, LOCKED);
    await refused(byName(user, user.password), LOCKED);
  });

  test('the lock ends after MAWS_LOCKOUT_MINUTES, and the count then starts from nothing', async (t) => {
    t.after(resetClock);
    const user = await srv.newUser();
    await failTimes(byName(user, 'Wrong-Passw0rd'), ATTEMPTS);
    offset += LOCK_MINUTES * MINUTE - 1000;
    await refused(byName(user, user.password), LOCKED);
    offset += 1000;
    await failTimes(byName(user, 'Wrong-Passw0rd'), ATTEMPTS - 1);
    await admitted(byName(user, user.password));
  });

  test('failures count within MAWS_LOCKOUT_WINDOW_MINUTES of the first; later ones start a new count', async (t) => {
    t.after(resetClock);
    const user = await srv.newUser();
    await failTimes(byName(user, 'Wrong-Passw0rd'), ATTEMPTS - 1);
    offset += WINDOW_MINUTES * MINUTE;
    await failTimes(byName(user, 'Wrong-Passw0rd'), ATTEMPTS - 1);
    await admitted(byName(user, user.password));
  });

  test('a successful sign-in forgets the failures before it', async () => {
    const user = await srv.newUser();
    await failTimes(byName(user, 'Wrong-Passw0rd'), ATTEMPTS - 1);
    await admitted(byName(user, user.password));
    assert.equal((await failureRows()).filter((r) => r.user_id === user.id).length, 0);
    await failTimes(byName(user, 'Wrong-Passw0rd'), ATTEMPTS - 1);
    await admitted(byName(user, user.password));
  });

  test('a disabled user\'s sign-ins count too: once enabled again, it is still locked', async () => {
    const user = await srv.newUser();
    const token = await srv.rootToken();
    const setEnabled = async (enabled: boolean) =>
      assert.equal((await srv.api('PATCH', `/v3/users/${user.id}`, { token, body: { user: { enabled } } })).status, 200);
    await setEnabled(false);
    await failTimes(byName(user, user.password), ATTEMPTS);
    await setEnabled(true);
    await refused(byName(user, user.password), LOCKED);
  });

  test('unknown users are never locked, and nothing is stored for them', async () => {
    const before = (await failureRows()).length;
    for (let i = 0; i < ATTEMPTS * 2; i++) {
      await refused({ name: 'nobody-here', password: 'Wrong-Passw0rd', domain: { name: srv.domainName } }, WRONG);
      await refused({ id: 'f'.repeat(32), password: 'Wrong-Passw0rd' }, WRONG);
    }
    assert.equal((await failureRows()).length, before);
  });

  test('a locked user\'s sign-in does the scrypt work of one wrong password, as an unknown user\'s does', async () => {
    const user = await srv.newUser();
    const verificationsOf = async (user: Record<string, unknown>, message: string) => {
      const costs: unknown[] = [];
      const stop = observePasswordVerifications((cost) => costs.push(cost));
      try {
        await refused(user, message);
      } finally {
        stop();
      }
      return costs;
    };
    const wrong = await verificationsOf(byName(user, 'Wrong-Passw0rd'), WRONG);
    assert.equal(wrong.length, 1);
    await failTimes(byName(user, 'Wrong-Passw0rd'), ATTEMPTS - 1);
    assert.deepEqual(
      {
        locked: await verificationsOf(byName(user, user.password), LOCKED),
        lockedWrong: await verificationsOf(byName(user, 'Wrong-Passw0rd'), LOCKED),
        lockedById: await verificationsOf({ id: user.id, password: user.password }, LOCKED),
        unknown: await verificationsOf({ name: 'nobody-here', password: user.password, domain: { name: srv.domainName } }, WRONG),
      },
      { locked: wrong, lockedWrong: wrong, lockedById: wrong, unknown: wrong },
    );
  });

  test('an unknown user\'s (or domain\'s) refused sign-in sends the database the statements of a known user\'s wrong password', async () => {
    const user = await srv.newUser();
    const real = srv.server.db;
    let statements: string[] = [];
    const db = real.withPlugin({
      transformQuery: ({ node }) => {
        statements.push(real.getExecutor().compileQuery(node, createQueryId()).sql);
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const now = () => Date.now() + offset;
    const auth = createAuthService({ config: srv.server.config.auth, iam: createIamModule({ db, now, regions: srv.server.config.regions, secrets: srv.server.secrets }).service, now });
    const statementsOf = async (login: { userName?: string; userId?: string; domainName?: string }) => {
      statements = [];
      await assert.rejects(auth.issueToken({ domainName: srv.domainName, ...login, password: 'Wrong-Passw0rd', scope: undefined }, NOT_RECORDED), /wrong/);
      return statements;
    };
    const known = await statementsOf({ userName: user.name });
    assert.ok(known.some((s) => /^update "login_failures"/.test(s)), known.join('\n'));
    assert.deepEqual(await statementsOf({ userName: 'nobody-here' }), known);
    assert.deepEqual(await statementsOf({ userName: user.name, domainName: 'no-such-domain' }), known);
    assert.deepEqual(await statementsOf({ userId: 'f'.repeat(32) }), await statementsOf({ userId: user.id }));
  });

  test('concurrent failures are each counted once: exactly the allowed number answered "wrong", the rest "locked"', async () => {
    const user = await srv.newUser();
    const answers = await Promise.all(Array.from({ length: ATTEMPTS * 4 }, () => signIn(byName(user, 'Wrong-Passw0rd'))));
    const messages = answers.map((a) => `${a.status} ${a.body.error_msg}`);
    assert.equal(messages.filter((m) => m === `401 ${WRONG}`).length, ATTEMPTS, messages.join('\n'));
    assert.equal(messages.filter((m) => m === `401 ${LOCKED}`).length, ATTEMPTS * 3, messages.join('\n'));
  });

  test('racing failures, also through a second database connection as another replica has (PostgreSQL): one locks the user, each earlier one is counted once', async (t) => {
    const user = await srv.newUser();
    const iams = [srv.server.modules.iam.service];
    if (TEST_DB === 'postgres') {
      const db = connectDb(srv.server.config.database);
      t.after(() => db.destroy());
      iams.push(createIamModule({ db, now: Date.now, regions: srv.server.config.regions, secrets: srv.server.secrets }).service);
    }
    const now = Date.now() + offset;
    const outcomes = await Promise.all(
      Array.from({ length: ATTEMPTS * 10 }, (_, i) => iams[i % iams.length]!.recordLoginFailure(user.id, now, srv.server.config.auth.lockout, async () => {})),
    );
    const count = (outcome: string) => outcomes.filter((o) => o === outcome).length;
    assert.deepEqual(
      { counted: count('counted'), lockedNow: count('locked_now'), locked: count('locked') },
      { counted: ATTEMPTS - 1, lockedNow: 1, locked: ATTEMPTS * 10 - ATTEMPTS },
    );
    await refused(byName(user, user.password), LOCKED);
  });

  test('root unlocks a locked user at once (POST /v3/users/{user_id}/unlock, 204); others may not (403)', async () => {
    const user = await srv.newUser();
    const bystander = await srv.newUser();
    await failTimes(byName(user, 'Wrong-Passw0rd'), ATTEMPTS);
    const unlock = (id: string, token: string) => srv.api('POST', `/v3/users/${id}/unlock`, { token });
    assertError(await unlock(user.id, await srv.login(bystander)), 403, 'IAM.0002');
    await refused(byName(user, user.password), LOCKED);
    const root = await srv.rootToken();
    assert.equal((await unlock(user.id, root)).status, 204);
    await admitted(byName(user, user.password));
    // Unlocking a user who is not locked changes nothing.
    assert.equal((await unlock(bystander.id, root)).status, 204);
    await admitted(byName(bystander, bystander.password));
    assertError(await unlock('f'.repeat(32), root), 404, 'IAM.0003');
    const foreign = await addAccount(srv);
    assertError(await unlock(foreign.user.id, root), 404, 'IAM.0003');
    assertError(await srv.api('POST', `/v3/users/${user.id}/unlock`), 401, 'APIGW.0301');
  });

  test('a deleted user takes its failures with it', async () => {
    const user = await srv.newUser();
    await failTimes(byName(user, 'Wrong-Passw0rd'), ATTEMPTS);
    assert.ok((await failureRows()).some((r) => r.user_id === user.id));
    assert.equal((await srv.api('DELETE', `/v3/users/${user.id}`, { token: await srv.rootToken() })).status, 204);
    assert.ok(!(await failureRows()).some((r) => r.user_id === user.id));
  });

  test('a locked root user unlocks itself, signing with its access key', async () => {
    await failTimes(byName(srv.root, 'Wrong-Passw0rd'), ATTEMPTS);
    await refused(byName(srv.root, srv.root.password), LOCKED);
    const res = await signedApi(srv, 'POST', `/v3/users/${srv.root.id}/unlock`, { ak: srv.root.accessKey, sk: srv.root.secretKey });
    assert.equal(res.status, 204, JSON.stringify(res.body));
    await admitted(byName(srv.root, srv.root.password));
  });

  test('maws admin users unlock USER (by name or id); a user who is not root is refused', async () => {
    const user = await srv.newUser();
    const home = await cliHome();
    after(() => home.cleanup());
    succeeded(await home.run(['login', '--endpoint', srv.url, '--ak', srv.root.accessKey, '--sk', srv.root.secretKey]));
    await failTimes(byName(user, 'Wrong-Passw0rd'), ATTEMPTS);
    assert.match(succeeded(await home.run(['admin', 'users', 'unlock', user.name])), new RegExp(`User ${user.name} \\(${user.id}\\) can sign in again\\.`));
    await admitted(byName(user, user.password));
    await failTimes(byName(user, 'Wrong-Passw0rd'), ATTEMPTS);
    succeeded(await home.run(['admin', 'users', 'unlock', user.id]));
    await admitted(byName(user, user.password));
    const userHome = await cliHome();
    after(() => userHome.cleanup());
    succeeded(await userHome.run(['login', '--endpoint', srv.url, '--ak', user.accessKey, '--sk', user.secretKey]));
    apiFailed(await userHome.run(['admin', 'users', 'unlock', user.id]), 'IAM.0002');
  });
});

describe('lockout configuration', () => {
  test('defaults: 5 failures within 15 minutes lock for 15 minutes; 0 attempts turns it off', () => {
    assert.deepEqual(loadConfig({}).auth.lockout, { attempts: 5, windowMs: 15 * MINUTE, durationMs: 15 * MINUTE });
    assert.deepEqual(
      loadConfig({ MAWS_LOCKOUT_ATTEMPTS: '0', MAWS_LOCKOUT_WINDOW_MINUTES: '60', MAWS_LOCKOUT_MINUTES: '30' }).auth.lockout,
      { attempts: 0, windowMs: 60 * MINUTE, durationMs: 30 * MINUTE },
    );
  });

  test('refuses what is not a count of attempts or minutes', () => {
    for (const env of [
      { MAWS_LOCKOUT_ATTEMPTS: '-1' },
      { MAWS_LOCKOUT_ATTEMPTS: 'five' },
      { MAWS_LOCKOUT_WINDOW_MINUTES: '0' },
      { MAWS_LOCKOUT_MINUTES: '1.5' },
      { MAWS_LOCKOUT_MINUTES: '100000' },
    ]) {
      assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && error.message.includes(Object.keys(env)[0]!), JSON.stringify(env));
    }
  });

  test('with MAWS_LOCKOUT_ATTEMPTS=0 nobody is ever locked', async (t) => {
    const srv = await startTestServer({ MAWS_LOCKOUT_ATTEMPTS: '0' });
    t.after(() => srv.close());
    const user = await srv.newUser();
    const body = (password: string) => ({
      auth: { identity: { methods: ['password'], password: { user: { id: user.id, password } } } },
    });
    for (let i = 0; i < 7; i++) assertError(await srv.api('POST', '/v3/auth/tokens', { body: body('Wrong-Passw0rd') }), 401, 'APIGW.0301', WRONG);
    assert.equal((await srv.api('POST', '/v3/auth/tokens', { body: body(user.password) })).status, 201);
  });
});
