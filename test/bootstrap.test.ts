import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createTestStorage, type TestStorage } from './helpers/database.js';
import { createModelArtsSdkClient } from './helpers/modelarts-sdk-client.js';
import { spawnServer } from './helpers/process.js';
import { httpJson } from './helpers/server.js';

describe('first start', () => {
  const storages: TestStorage[] = [];
  after(() => Promise.all(storages.map((s) => s.cleanup())));
  const storage = async () => {
    const created = await createTestStorage();
    storages.push(created);
    return created.env;
  };

  test('generates the root secrets once, prints them, and they work; a restart keeps them', async () => {
    const env = await storage();
    const first = await spawnServer(env);
    const out = first.output();
    const password = /root password:\s+(\S+)/.exec(out)?.[1];
    const ak = /root access key:\s+(\S+)/.exec(out)?.[1];
    const sk = /root secret key:\s+(\S+)/.exec(out)?.[1];
    const projectId = /project: cn-north-4 \(id (\w+)\)/.exec(out)?.[1];
    assert.ok(password && ak && sk && projectId, out);
    assert.match(projectId, /^[0-9a-f]{32}$/);

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

    const listed = await createModelArtsSdkClient({ endpoint: first.url, ak, sk, projectId }).listWorkspace();
    assert.equal(listed.total_count, 1);
    assert.equal(listed.workspaces[0].id, '0');
    await first.stop();

    const second = await spawnServer(env);
    assert.doesNotMatch(second.output(), /root (password|access key|secret key)/);
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

  test('a weak MAWS_ROOT_PASSWORD stops the first start with a clear message', async () => {
    await assert.rejects(spawnServer({ ...(await storage()), MAWS_ROOT_PASSWORD: 'alllowercase' }), /MAWS_ROOT_PASSWORD: password must contain/);
  });
});
