import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { newId } from '../src/ids.js';
import { createTestStorage, type TestStorage } from './helpers/database.js';
import { type ServerProcess, spawnServer } from './helpers/process.js';
import { eventually, httpJson } from './helpers/server.js';

const PASSWORD = 'Resume-Passw0rd';

async function login(url: string): Promise<string> {
  const res = await httpJson(`${url}/v3/auth/tokens`, 'POST', {
    body: {
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', password: PASSWORD, domain: { name: 'admin' } } } },
        scope: { project: { name: 'cn-north-4' } },
      },
    },
  });
  assert.equal(res.status, 201);
  return res.headers.get('x-subject-token')!;
}

describe('deletion jobs survive restarts and crashes', () => {
  let storage: TestStorage;
  const projectId = newId();
  const running: ServerProcess[] = [];

  const start = async (env: Record<string, string> = {}) => {
    const proc = await spawnServer({
      ...storage.env,
      MAWS_ROOT_PASSWORD: PASSWORD,
      MAWS_PROJECT_ID: projectId,
      MAWS_JOB_POLL_MS: '50',
      ...env,
    });
    running.push(proc);
    return proc;
  };

  const createAndDelete = async (url: string, token: string) => {
    const created = await httpJson(`${url}/v1/${projectId}/workspaces`, 'POST', {
      token,
      body: { name: `resume-${newId().slice(0, 8)}` },
    });
    assert.equal(created.status, 200);
    const id: string = created.body.id;
    const deleted = await httpJson(`${url}/v1/${projectId}/workspaces/${id}`, 'DELETE', { token });
    assert.equal(deleted.status, 200);
    return id;
  };

  const gone = (url: string, token: string, id: string) =>
    eventually(async () => {
      const res = await httpJson(`${url}/v1/${projectId}/workspaces/${id}`, 'GET', { token });
      return res.status === 400 && res.body.error_code === 'ModelArts.7005' ? true : undefined;
    }, 10000);

  before(async () => {
    storage = await createTestStorage();
  });

  after(async () => {
    await Promise.all(running.map((p) => p.stop('SIGKILL')));
    await storage.cleanup();
  });

  test('a deletion queued by a server without a worker is carried out by the next server', async () => {
    const first = await start({ MAWS_WORKER: 'false' });
    const token = await login(first.url);
    const id = await createAndDelete(first.url, token);
    const shown = await httpJson(`${first.url}/v1/${projectId}/workspaces/${id}`, 'GET', { token });
    assert.equal(shown.body.status, 'DELETING');
    assert.equal(await first.stop('SIGTERM'), 0);

    const second = await start();
    await gone(second.url, token, id);
    await second.stop();
  });

  test('a deletion whose worker crashed mid-job is resumed once its lease runs out', async () => {
    let calls = 0;
    let hung: ServerResponse | undefined;
    const hook = createServer((req: IncomingMessage, res: ServerResponse) => {
      calls += 1;
      req.resume();
      if (calls === 1) hung = res; // the first call never answers: the worker is stuck in the job
      else res.writeHead(204).end();
    });
    hook.listen(0, '127.0.0.1');
    await new Promise((r) => hook.once('listening', r));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/cleanup`;
    // The hook timeout must stay below the lease; the first server is killed as soon as the hung call arrives.
    const env = { MAWS_DELETE_HOOK_URL: hookUrl, MAWS_JOB_LEASE_MS: '1500', MAWS_DELETE_HOOK_TIMEOUT_MS: '1000' };
    try {
      const first = await start(env);
      const token = await login(first.url);
      const id = await createAndDelete(first.url, token);
      await eventually(async () => (calls === 1 ? true : undefined));
      await first.stop('SIGKILL');

      const second = await start(env);
      await gone(second.url, token, id);
      assert.equal(calls, 2);
      await second.stop();
    } finally {
      hung?.destroy();
      hook.close();
    }
  });
});
