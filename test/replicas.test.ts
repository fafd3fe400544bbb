import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, test } from 'node:test';
import { newId } from '../src/ids.js';
import { createTestStorage, TEST_DB, type TestStorage } from './helpers/database.js';
import { cleanupFor, type ServerProcess, spawnServers } from './helpers/process.js';
import { eventually, httpJson } from './helpers/server.js';

const PASSWORD = 'Replica-Passw0rd';

/** Several stateless server processes on one PostgreSQL database, as in a scaled-out deployment. */
describe('replicas sharing one PostgreSQL database', { skip: TEST_DB !== 'postgres' && 'replicas need PostgreSQL (npm run test:postgres)' }, () => {
  let storage: TestStorage;
  let replicas: ServerProcess[] = [];
  let token: string;
  const projectId = newId();
  const hookCalls = new Map<string, number>();
  const hook = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const id = JSON.parse(body).workspace_id as string;
      hookCalls.set(id, (hookCalls.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  const base = () => `/v1/${projectId}/workspaces`;
  const on = (i: number) => replicas[i % replicas.length]!.url;
  const cleanup = cleanupFor();

  before(async () => {
    storage = await createTestStorage();
    cleanup.defer(() => storage.cleanup());
    hook.listen(0, '127.0.0.1');
    await new Promise((r) => hook.once('listening', r));
    cleanup.defer(() => {
      hook.closeAllConnections();
      hook.close();
    });
    const env = {
      ...storage.env,
      MAWS_ROOT_PASSWORD: PASSWORD,
      MAWS_PROJECT_ID: projectId,
      MAWS_JOB_POLL_MS: '20',
      MAWS_DELETE_HOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/cleanup`,
    };
    // Started together on an empty database: all migrate and bootstrap at the same moment.
    replicas = await spawnServers(cleanup, [env, env, env]);
  });

  test('simultaneous first starts create one account, and a token from one replica works on all', async () => {
    const login = await httpJson(`${on(0)}/v3/auth/tokens`, 'POST', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', password: PASSWORD, domain: { name: 'admin' } } } },
          scope: { project: { id: projectId } },
        },
      },
    });
    assert.equal(login.status, 201, JSON.stringify(login.body));
    token = login.headers.get('x-subject-token')!;
    const banners = replicas.filter((r) => /created the root account/.test(r.output()));
    assert.equal(banners.length, 1);
    for (let i = 0; i < replicas.length; i++) {
      const list = await httpJson(`${on(i)}${base()}`, 'GET', { token });
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.workspaces.map((w: { id: string }) => w.id), ['0']);
    }
  });

  test('racing creates of one name across replicas: exactly one succeeds', async () => {
    const name = `race-${newId().slice(0, 8)}`;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => httpJson(`${on(i)}${base()}`, 'POST', { token, body: { name } })),
    );
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    for (const r of results.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 400);
      assert.equal(r.body.error_code, 'ModelArts.0103');
    }
    const list = await httpJson(`${on(1)}${base()}?name=${name}`, 'GET', { token });
    assert.equal(list.body.total_count, 1);
  });

  test('deletion jobs run exactly once although every replica runs a worker', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const res = await httpJson(`${on(i)}${base()}`, 'POST', { token, body: { name: `gone-${newId().slice(0, 10)}` } });
      assert.equal(res.status, 200);
      ids.push(res.body.id);
    }
    // Each deletion is requested twice, on different replicas, at once.
    await Promise.all(
      ids.flatMap((id, i) => [
        httpJson(`${on(i)}${base()}/${id}`, 'DELETE', { token }),
        httpJson(`${on(i + 1)}${base()}/${id}`, 'DELETE', { token }),
      ]),
    );
    await eventually(async () => {
      const list = await httpJson(`${on(2)}${base()}?name=gone-`, 'GET', { token });
      return list.body.total_count === 0 ? true : undefined;
    }, 60_000);
    for (const id of ids) assert.equal(hookCalls.get(id), 1, `cleanup hook calls for ${id}`);
    const counted = await httpJson(`${on(0)}${base()}`, 'GET', { token });
    assert.equal(counted.body.total_count, counted.body.count);
  });
});
