import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { newId } from '../src/ids.js';
import { createJobQueue } from '../src/jobs/job.queue.js';
import { createJobWorker } from '../src/jobs/job.worker.js';
import { startServer } from '../src/server.js';
import { createTestStorage, type TestStorage } from './helpers/database.js';
import { type Cleanup, cleanupFor, spawnServer } from './helpers/process.js';
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

// Servers one after another on one database. Only the crash needs a real process (SIGKILL);
// the others run in this process.
describe('deletion jobs survive restarts and crashes', () => {
  let storage: TestStorage;
  const projectId = newId();
  const suite = cleanupFor();

  const serverEnv = (env: Record<string, string>) => ({
    ...storage.env,
    MAWS_ROOT_PASSWORD: PASSWORD,
    MAWS_PROJECT_ID: projectId,
    MAWS_JOB_POLL_MS: '50',
    ...env,
  });

  const startInProcess = async (cleanup: Cleanup, env: Record<string, string> = {}) => {
    const server = await startServer(loadConfig({ ...serverEnv(env), MAWS_PORT: '0', MAWS_LOG_LEVEL: 'silent' }));
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= server.close());
    cleanup.defer(close);
    return { ...server, close };
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

  const statusOf = async (url: string, token: string, id: string) => {
    const res = await httpJson(`${url}/v1/${projectId}/workspaces/${id}`, 'GET', { token });
    return res.status === 400 && res.body.error_code === 'ModelArts.7005' ? 'gone' : (res.body.status as string);
  };
  const gone = (url: string, token: string, id: string) =>
    eventually(async () => ((await statusOf(url, token, id)) === 'gone' ? true : undefined), 60_000);

  before(async () => {
    storage = await createTestStorage();
    suite.defer(() => storage.cleanup());
  });

  test('a deletion queued by a server without a worker is carried out by the next server', async (t) => {
    const cleanup = cleanupFor(t);
    const first = await startInProcess(cleanup, { MAWS_WORKER: 'false' });
    const token = await login(first.url);
    const id = await createAndDelete(first.url, token);
    assert.equal(await statusOf(first.url, token, id), 'DELETING');
    await first.close();

    const second = await startInProcess(cleanup);
    await gone(second.url, token, id);
  });

  test('a deletion whose worker crashed mid-job is resumed once its lease runs out', async (t) => {
    const cleanup = cleanupFor(t);
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
    cleanup.defer(() => {
      hung?.destroy();
      hook.closeAllConnections();
      hook.close();
    });
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/cleanup`;
    const leaseMs = 60_000;
    const env = { MAWS_DELETE_HOOK_URL: hookUrl, MAWS_JOB_LEASE_MS: String(leaseMs), MAWS_DELETE_HOOK_TIMEOUT_MS: '30000' };

    const first = await spawnServer(cleanup, serverEnv(env));
    const token = await login(first.url);
    const id = await createAndDelete(first.url, token);
    await eventually(async () => (calls === 1 ? true : undefined), 60_000);
    await first.stop('SIGKILL');

    // The next server's workers run on their own clocks: the crashed worker's lease is a minute long.
    const second = await startInProcess(cleanup, { ...env, MAWS_WORKER: 'false' });
    const workerAt = (now: () => number) =>
      createJobWorker({
        ...second.config.jobs,
        db: second.db,
        queue: createJobQueue(),
        handlers: second.modules.workspaces.jobHandlers,
        log: second.app.log,
        now,
      });
    await workerAt(Date.now).drain();
    assert.equal(calls, 1, 'a job whose lease still runs is left alone');
    assert.equal(await statusOf(second.url, token, id), 'DELETING');

    await workerAt(() => Date.now() + leaseMs + 1).drain();
    assert.equal(calls, 2);
    assert.equal(await statusOf(second.url, token, id), 'gone');
  });
});
