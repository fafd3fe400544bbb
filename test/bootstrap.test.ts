import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestStorage } from './helpers/database.js';
import { createModelArtsSdkClient } from './helpers/modelarts-sdk-client.js';
import { type Cleanup, cleanupFor, spawnServer } from './helpers/process.js';
import { httpJson } from './helpers/server.js';

// The first start's output is the point here, so these servers are real processes.
describe('first start', () => {
  const storage = async (cleanup: Cleanup) => {
    const created = await createTestStorage();
    cleanup.defer(() => created.cleanup());
    return created.env;
  };

  test('generates the root secrets once, prints them, and they work; a restart keeps them', async (t) => {
    const cleanup = cleanupFor(t);
    const env = await storage(cleanup);
    const first = await spawnServer(cleanup, env);
    const out = first.output();
    const password = /root password:\s+(\S+)/.exec(out)?.[1];
    const ak = /root access key:\s+(\S+)/.exec(out)?.[1];
    const sk = /root secret key:\s+(\S+)/.exec(out)?.[1];
    const projectId = /project: cn-north-4 \(id (\w+)\)/.exec(out)?.[1];
    assert.ok(password && ak && sk && projectId, out);
    assert.match(projectId, /^[0-9a-f]{32}$/);
    // Then where to use them: the web console (printed once the server is ready).
    await first.waitForOutput(new RegExp(`the web console is at ${first.url.replace(/[.]/g, '\\.')}/console/ \\(sign in as the root user above\\)`));

    const login = await httpJson(`${first.url}/v3/auth/tokens`, 'POST', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', password, domain: { name: 'admin' } } } },
          scope: { project: { id: projectId } },
        },
      },
    });
    assert.equal(login.status, 201);
    assert.equal(login.body.token.project.id, projectId);

    // The operator token was printed too; the test controls are off, so the right token gets 403, a wrong one 401.
    const operatorToken = /operator token:\s+(\S+)/.exec(out)?.[1];
    assert.ok(operatorToken, out);
    const controls = (token: string) =>
      httpJson(`${first.url}/maws/v1/test-controls`, 'GET', { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await controls(operatorToken)).body.error_code, 'MAWS.0003');
    assert.equal((await controls(`${operatorToken}x`)).status, 401);

    const listed = await createModelArtsSdkClient({ endpoint: first.url, ak, sk, projectId }).listWorkspace();
    assert.equal(listed.total_count, 1);
    assert.equal(listed.workspaces[0].id, '0');
    await first.stop();

    const second = await spawnServer(cleanup, env);
    assert.doesNotMatch(second.output(), /root (password|access key|secret key)|operator token/);
    const again = await httpJson(`${second.url}/v3/auth/tokens`, 'POST', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', password, domain: { name: 'admin' } } } },
          scope: { project: { name: 'cn-north-4' } },
        },
      },
    });
    assert.equal(again.status, 201);
    await second.stop();
  });

  test('a weak MAWS_ROOT_PASSWORD stops the first start with a clear message', async (t) => {
    const cleanup = cleanupFor(t);
    await assert.rejects(
      spawnServer(cleanup, { ...(await storage(cleanup)), MAWS_ROOT_PASSWORD: 'alllowercase' }),
      /MAWS_ROOT_PASSWORD: password must contain/,
    );
  });
});
