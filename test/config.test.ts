import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  test('defaults: 127.0.0.1:8080, SQLite in ./data, 24 h tokens, 15 min skew', () => {
    const config = loadConfig({});
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8080);
    assert.deepEqual(config.database, { kind: 'sqlite', file: path.resolve('data', 'maws.db'), mmapBytes: 256 * 1024 * 1024 });
    assert.equal(config.auth.tokenTtlMs, 24 * 3600 * 1000);
    assert.equal(config.auth.signatureSkewMs, 15 * 60 * 1000);
    assert.equal(config.jobs.worker, true);
    assert.deepEqual(config.regions, ['cn-north-4']);
    assert.equal(config.testControls, false);
    assert.equal(config.operatorToken, undefined);
    assert.equal(config.deleteHook, undefined);
    assert.ok(Object.isFrozen(config));
  });

  test('converts numbers and booleans from the environment', () => {
    const config = loadConfig({ MAWS_PORT: '9090', MAWS_WORKER: 'false', MAWS_MAX_WORKSPACES: '0', MAWS_DELETE_HOOK_URL: 'http://127.0.0.1:1/x' });
    assert.equal(config.port, 9090);
    assert.equal(config.jobs.worker, false);
    assert.equal(config.workspaces.maxPerProject, 0);
    assert.deepEqual(config.deleteHook, { url: 'http://127.0.0.1:1/x', timeoutMs: 10000 });
  });

  test('DATABASE_URL picks the database', () => {
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db' }).database, {
      kind: 'postgres',
      url: 'postgres://u@127.0.0.1/db',
    });
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:x/y.db', MAWS_SQLITE_MMAP_MB: '0' }).database, {
      kind: 'sqlite',
      file: path.resolve('x/y.db'),
      mmapBytes: 0,
    });
  });

  test('rejects bad values naming the variable', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ MAWS_PORT: 'eighty' }, /MAWS_PORT/],
      [{ MAWS_PORT: '70000' }, /MAWS_PORT/],
      [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
      [{ MAWS_SQLITE_MMAP_MB: '-1' }, /MAWS_SQLITE_MMAP_MB/],
      [{ MAWS_ROOT_ACCESS_KEY: 'ABCDEFGHIJ' }, /set together/],
      [{ MAWS_LOG_LEVEL: 'loud' }, /MAWS_LOG_LEVEL/],
      [{ MAWS_DELETE_HOOK_URL: 'ftp://x' }, /MAWS_DELETE_HOOK_URL/],
      [{ MAWS_JOB_RETENTION_HOURS: '0' }, /MAWS_JOB_RETENTION_HOURS/],
    ];
    for (const [env, message] of cases) {
      assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(env));
    }
  });

  test('jobs: finished ones are kept 7 days unless MAWS_JOB_RETENTION_HOURS says otherwise', () => {
    assert.equal(loadConfig({}).jobs.retentionMs, 7 * 24 * 3600 * 1000);
    assert.equal(loadConfig({ MAWS_JOB_RETENTION_HOURS: '1' }).jobs.retentionMs, 3600 * 1000);
  });

  test('HTTP timeouts: 10 s for headers, 30 s for the whole request, 72 s keep-alive, each configurable', () => {
    assert.deepEqual(loadConfig({}).timeouts, { headersMs: 10000, requestMs: 30000, keepAliveMs: 72000 });
    assert.deepEqual(
      loadConfig({ MAWS_HEADERS_TIMEOUT_MS: '500', MAWS_REQUEST_TIMEOUT_MS: '2000', MAWS_KEEP_ALIVE_TIMEOUT_MS: '1000' }).timeouts,
      { headersMs: 500, requestMs: 2000, keepAliveMs: 1000 },
    );
    assert.throws(
      () => loadConfig({ MAWS_HEADERS_TIMEOUT_MS: '40000' }),
      (e: unknown) => e instanceof ConfigError && /MAWS_HEADERS_TIMEOUT_MS \(40000\) must not exceed MAWS_REQUEST_TIMEOUT_MS \(30000\)/.test(e.message),
    );
    assert.throws(() => loadConfig({ MAWS_REQUEST_TIMEOUT_MS: '0' }), (e: unknown) => e instanceof ConfigError && /MAWS_REQUEST_TIMEOUT_MS/.test(e.message));
  });

  test('refuses a cleanup hook timeout at or above the job lease', () => {
    const hook = { MAWS_DELETE_HOOK_URL: 'http://127.0.0.1:1/x' };
    for (const timeout of ['60000', '90000']) {
      assert.throws(
        () => loadConfig({ ...hook, MAWS_JOB_LEASE_MS: '60000', MAWS_DELETE_HOOK_TIMEOUT_MS: timeout }),
        (e: unknown) => e instanceof ConfigError && /MAWS_DELETE_HOOK_TIMEOUT_MS \(\d+\) must be below MAWS_JOB_LEASE_MS \(60000\)/.test(e.message),
        timeout,
      );
    }
    assert.throws(() => loadConfig({ ...hook, MAWS_JOB_LEASE_MS: '5000' }), ConfigError, 'the default 10 s timeout against a 5 s lease');
    assert.equal(loadConfig({ ...hook, MAWS_JOB_LEASE_MS: '60000', MAWS_DELETE_HOOK_TIMEOUT_MS: '59999' }).deleteHook?.timeoutMs, 59999);
    // without a hook the timeout is unused
    assert.equal(loadConfig({ MAWS_JOB_LEASE_MS: '5000' }).jobs.leaseMs, 5000);
  });

  test('regions: MAWS_REGIONS lists them; MAWS_PROJECT_NAME is the older name of a single one', () => {
    assert.deepEqual(loadConfig({ MAWS_REGIONS: 'cn-north-4,cn-east-3' }).regions, ['cn-north-4', 'cn-east-3']);
    assert.deepEqual(loadConfig({ MAWS_PROJECT_NAME: 'cn-south-1' }).regions, ['cn-south-1']);
    const refused: Array<[Record<string, string>, RegExp]> = [
      [{ MAWS_REGIONS: 'cn-north-4,cn-north-4' }, /MAWS_REGIONS: cn-north-4 is listed twice/],
      [{ MAWS_REGIONS: 'cn-north-4,' }, /MAWS_REGIONS/],
      [{ MAWS_REGIONS: 'CN North' }, /MAWS_REGIONS/],
      [{ MAWS_REGIONS: 'cn-north-4', MAWS_PROJECT_NAME: 'cn-north-4' }, /MAWS_PROJECT_NAME and MAWS_REGIONS cannot both be set/],
    ];
    for (const [env, message] of refused) {
      assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(env));
    }
  });

  test('the operator token must be long enough to guess at; test controls are off unless asked for', () => {
    assert.throws(() => loadConfig({ MAWS_OPERATOR_TOKEN: 'short' }), (e: unknown) => e instanceof ConfigError && /MAWS_OPERATOR_TOKEN/.test(e.message));
    assert.equal(loadConfig({ MAWS_OPERATOR_TOKEN: 'x'.repeat(24) }).operatorToken, 'x'.repeat(24));
    assert.equal(loadConfig({ MAWS_TEST_CONTROLS: 'true' }).testControls, true);
  });
});
