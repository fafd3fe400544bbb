import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCredentialCache } from '../src/auth/credential-cache.js';
import { assertError } from './helpers/fixtures.js';
import { startTestServer } from './helpers/server.js';

// The auth service's cache size: a flood one larger than it would push out every earlier entry.
const CACHE_ENTRIES = 10_000;

describe('credential cache under a flood of unknown credentials', () => {
  test('entries that were not found do not push out those that were', () => {
    const clock = 0;
    const cache = createCredentialCache<{ user: string }>(1000, 4, () => clock);
    cache.set('valid', { user: 'u1' });
    for (let i = 0; i < 10; i++) cache.set(`unknown-${i}`, null);
    assert.deepEqual(cache.get('valid'), { user: 'u1' });
    assert.equal(cache.get('unknown-9'), null, 'recent misses are remembered too');
    assert.equal(cache.get('unknown-0'), undefined, 'in fewer entries');
  });

  test('a valid token stays cached after more unknown tokens than the cache holds', async () => {
    let clock = Date.now();
    const srv = await startTestServer({ MAWS_AUTH_CACHE_MS: '60000' }, () => clock);
    try {
      const token = await srv.rootToken();
      const path = `/v1/${srv.projectId}/workspaces/0`;
      assert.equal((await srv.api('GET', path, { token })).status, 200);
      const auth = srv.server.modules.auth.service;
      for (let i = 0; i <= CACHE_ENTRIES; i++) {
        await assert.rejects(async () => auth.authenticate({ method: 'GET', url: path, headers: { 'x-auth-token': `MAWSunknown-${i}` } }));
      }
      // Removed behind the server's back, as another replica would: only the cache still knows it.
      await srv.server.db.deleteFrom('tokens').execute();
      clock += 59_000;
      assert.equal((await srv.api('GET', path, { token })).status, 200, 'served from the cache');
      clock += 2_000;
      assertError(await srv.api('GET', path, { token }), 401, 'APIGW.0301');
    } finally {
      await srv.close();
    }
  });
});
