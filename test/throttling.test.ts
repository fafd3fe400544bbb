import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from '../src/config.js';
import { assertError, ok, signedApi } from './helpers/fixtures.js';
import { createTestStorage } from './helpers/database.js';
import { cleanupFor, spawnServers, spawnServer } from './helpers/process.js';
import { type ApiResponse, httpJson, startTestServer, type TestServer } from './helpers/server.js';

const REDIS_URL = process.env.MAWS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PASSWORD = 'Throttle-Passw0rd';

function signInBody(password: string, user = 'root', domain = 'root') {
  return { auth: { identity: { methods: ['password'], password: { user: { name: user, password, domain: { name: domain } } } } } };
}

function assertThrottled(res: ApiResponse, message: string): void {
  assertError(res, 429, 'APIG.0308', message);
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${res.headers.get('retry-after')}`);
}

/** A key prefix of this test's own in the shared Redis, whose keys are deleted after it. */
function redisPrefixFor(t: { after(fn: () => unknown): void }): { prefix: string; keys(): Promise<string[]> } {
  const prefix = `maws-test:${randomBytes(6).toString('hex')}:`;
  const client = new Redis(REDIS_URL, { lazyConnect: true });
  const keys = () => client.keys(`${prefix}*`);
  t.after(async () => {
    const left = await keys();
    if (left.length > 0) await client.del(...left);
    await client.quit();
  });
  return { prefix, keys };
}

async function server(t: { after(fn: () => unknown): void }, env: Record<string, string> = {}): Promise<TestServer> {
  const srv = await startTestServer(env);
  t.after(() => srv.close());
  return srv;
}

describe('throttling', () => {
  test('sign-ins per source address: the one over the limit gets 429 APIG.0308 with Retry-After, before its body is read', async (t) => {
    const srv = await server(t, { MAWS_THROTTLE_SIGN_IN_PER_IP: '3', MAWS_THROTTLE_IP_WINDOW_SECONDS: '60' });
    assert.equal((await srv.api('POST', '/v3/auth/tokens', { body: signInBody('wrong-password') })).status, 401);
    assert.equal((await srv.api('POST', '/v3/auth/tokens', { body: signInBody(srv.root.password) })).status, 201);
    assert.equal((await srv.api('POST', '/v3/auth/tokens', { body: {} })).status, 400);
    // The right password too: the limit is checked before the body is.
    const res = await srv.api('POST', '/v3/auth/tokens', { body: signInBody(srv.root.password) });
    assertThrottled(res, 'The throttling threshold has been reached: policy ip over ratelimit,limit:3,time:1 minute');
    assert.equal(res.headers.get('x-subject-token'), null);
    // The unread body is not waited for.
    assert.equal(res.headers.get('connection'), 'close');
  });

  test('refused credentials per source address: once over, a refused one gets 429; valid credentials still pass', async (t) => {
    const srv = await server(t, { MAWS_THROTTLE_FAILED_AUTH_PER_IP: '3', MAWS_THROTTLE_IP_WINDOW_SECONDS: '10' });
    const base = `/v1/${srv.projectId}/workspaces`;
    const token = await srv.rootToken();
    const wrongSignature = () => signedApi(srv, 'GET', base, { ak: srv.root.accessKey, sk: 'wrong-secret-key-0000' });
    for (let i = 0; i < 3; i++) assertError(await wrongSignature(), 401, 'APIGW.0301');
    const message = 'The throttling threshold has been reached: policy ip over ratelimit,limit:3,time:10 second';
    assertThrottled(await wrongSignature(), message);
    assertThrottled(await srv.api('GET', base, { token: 'garbage-token' }), message);
    assertThrottled(await srv.api('GET', base), message);
    assertThrottled(await srv.operator('GET', '/maws/v1/accounts', { headers: { authorization: 'Bearer wrong-operator-token-0123456789' } }), message);
    // Counted when refused: a credential that is valid is let in from the same address.
    ok(await srv.api('GET', base, { token }));
    ok(await signedApi(srv, 'GET', base, { ak: srv.root.accessKey, sk: srv.root.secretKey }));
  });

  test('a locked user\'s refused sign-ins count as refused credentials too (every answer 401)', async (t) => {
    const srv = await server(t, { MAWS_LOCKOUT_ATTEMPTS: '1', MAWS_THROTTLE_FAILED_AUTH_PER_IP: '2', MAWS_THROTTLE_IP_WINDOW_SECONDS: '60' });
    const user = await srv.newUser();
    const signIn = () => srv.api('POST', '/v3/auth/tokens', { body: signInBody('Wrong-Passw0rd', user.name, srv.domainName) });
    assertError(await signIn(), 401, 'APIGW.0301', 'The username or password is wrong.');
    assertError(await signIn(), 401, 'APIGW.0301', 'The account is locked.');
    assertThrottled(await signIn(), 'The throttling threshold has been reached: policy ip over ratelimit,limit:2,time:1 minute');
  });

  test('per user: off by default, no hook on the authenticated routes; on, each user is limited across routes and credentials', async (t) => {
    const off = await server(t);
    assert.equal(off.server.config.throttle.perUser, 0);
    const hooksOff = off.server.app.printRoutes({ includeHooks: true, commonPrefix: false });
    assert.doesNotMatch(hooksOff, /throttle(Token|Signed)User/);
    assert.match(hooksOff, /throttleSignIn/);

    const srv = await server(t, { MAWS_THROTTLE_PER_USER: '3', MAWS_THROTTLE_USER_WINDOW_SECONDS: '60' });
    assert.match(srv.server.app.printRoutes({ includeHooks: true, commonPrefix: false }), /throttleTokenUser/);
    const base = `/v1/${srv.projectId}/workspaces`;
    const token = await srv.rootToken(); // a sign-in is not the user's: it is public
    ok(await srv.api('GET', base, { token }));
    ok(await srv.api('GET', `${base}/0`, { token }));
    ok(await signedApi(srv, 'GET', base, { ak: srv.root.accessKey, sk: srv.root.secretKey }));
    const message = 'The throttling threshold has been reached: policy user over ratelimit,limit:3,time:1 minute';
    assertThrottled(await srv.api('GET', base, { token }), message);
    assertThrottled(await signedApi(srv, 'POST', base, { ak: srv.root.accessKey, sk: srv.root.secretKey, body: { name: 'over' } }), message);
    // Another user of the same address has a count of its own.
    const user = await srv.newUser();
    ok(await signedApi(srv, 'GET', base, { ak: user.accessKey, sk: user.secretKey }));
  });

  test('behind a trusted proxy, each client address the proxy names has its own count', async (t) => {
    const srv = await server(t, { MAWS_TRUST_PROXY: '127.0.0.1,::1', MAWS_THROTTLE_SIGN_IN_PER_IP: '1', MAWS_THROTTLE_IP_WINDOW_SECONDS: '60' });
    const from = (client: string) =>
      srv.api('POST', '/v3/auth/tokens', { body: signInBody(srv.root.password), headers: { 'x-forwarded-for': client } });
    assert.equal((await from('203.0.113.7')).status, 201);
    assertThrottled(await from('203.0.113.7'), 'The throttling threshold has been reached: policy ip over ratelimit,limit:1,time:1 minute');
    assert.equal((await from('203.0.113.8')).status, 201);
    assert.throws(() => loadConfig({ MAWS_TRUST_PROXY: '10.0.0.0/33' }), /MAWS_TRUST_PROXY: 10\.0\.0\.0\/33 is not an IP address or CIDR/);
    assert.equal(loadConfig({ MAWS_TRUST_PROXY: '10.0.0.0/8,fd00::/8' }).trustProxy, '10.0.0.0/8,fd00::/8');
  });

  test('with MAWS_REDIS_URL two server processes share the count, and an authenticated request leaves no counter', async (t) => {
    const cleanup = cleanupFor(t);
    const redis = redisPrefixFor(t);
    const envs = [];
    for (let i = 0; i < 2; i++) {
      const storage = await createTestStorage();
      cleanup.defer(() => storage.cleanup());
      envs.push({
        ...storage.env,
        MAWS_ROOT_PASSWORD: PASSWORD,
        MAWS_REDIS_URL: REDIS_URL,
        MAWS_REDIS_KEY_PREFIX: redis.prefix,
        MAWS_THROTTLE_SIGN_IN_PER_IP: '4',
        MAWS_THROTTLE_IP_WINDOW_SECONDS: '60',
      });
    }
    const [a, b] = await spawnServers(cleanup, envs);
    const signIn = (url: string) => httpJson(`${url}/v3/auth/tokens`, 'POST', { body: signInBody(PASSWORD, 'admin', 'admin') });
    // Limit 4: three to each, alternating. Each replica alone would count 3 and let all through.
    const statuses: number[] = [];
    let token = '';
    for (let i = 0; i < 3; i++) {
      for (const replica of [a!, b!]) {
        const res = await signIn(replica.url);
        statuses.push(res.status);
        if (res.status === 201) token = res.headers.get('x-subject-token')!;
        else assertThrottled(res, 'The throttling threshold has been reached: policy ip over ratelimit,limit:4,time:1 minute');
      }
    }
    assert.deepEqual(statuses, [201, 201, 201, 201, 429, 429]);
    assert.match(a!.output(), /throttling: counters shared through Redis at redis:\/\/127\.0\.0\.1:6379/);

    // With the per-user limit off, an authenticated request touches no counter.
    const before = (await redis.keys()).sort();
    ok(await httpJson(`${b!.url}/v3/auth/projects`, 'GET', { token }));
    assert.deepEqual((await redis.keys()).sort(), before);
    assert.ok(before.every((k) => k.includes('sign-in:')), before.join());
  });

  test('a Redis that is down lets requests through and says so in the log', async (t) => {
    const cleanup = cleanupFor(t);
    const storage = await createTestStorage();
    cleanup.defer(() => storage.cleanup());
    const srv = await spawnServer(cleanup, {
      ...storage.env,
      MAWS_ROOT_PASSWORD: PASSWORD,
      // Nothing listens on port 1.
      MAWS_REDIS_URL: 'redis://127.0.0.1:1',
      MAWS_THROTTLE_SIGN_IN_PER_IP: '1',
    });
    for (let i = 0; i < 3; i++) {
      const res = await httpJson(`${srv.url}/v3/auth/tokens`, 'POST', { body: signInBody(PASSWORD, 'admin', 'admin') });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    await srv.waitForOutput(/throttling: Redis at redis:\/\/127\.0\.0\.1:1 unreachable/);
  });

  test('defaults: per-address limits on, per-user off, counters in memory; a malformed MAWS_REDIS_URL stops the start without repeating it', () => {
    const defaults = loadConfig({});
    assert.deepEqual(defaults.throttle, { signInPerIp: 50, failedAuthPerIp: 200, ipWindowSeconds: 10, perUser: 0, userWindowSeconds: 1, redis: undefined });
    assert.equal(defaults.trustProxy, false);
    for (const url of ['redis://', 'redis://:s3cret@', 'redis://:s3cret@host/not-a-db', 'http://127.0.0.1:6379']) {
      assert.throws(
        () => loadConfig({ MAWS_REDIS_URL: url }),
        (error: Error) => error instanceof ConfigError && /MAWS_REDIS_URL/.test(error.message) && !error.message.includes('s3cret'),
        url,
      );
    }
    assert.deepEqual(loadConfig({ MAWS_REDIS_URL: 'redis://:pw@127.0.0.1:6379/2' }).throttle.redis, {
      url: 'redis://:pw@127.0.0.1:6379/2',
      keyPrefix: 'maws:throttle:',
    });
    assert.throws(() => loadConfig({ MAWS_THROTTLE_PER_USER: '-1' }), ConfigError);
  });
});
