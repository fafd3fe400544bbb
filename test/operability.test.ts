import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { newId } from '../src/ids.js';
import { createTestStorage, type TestStorage } from './helpers/database.js';
import { cleanupFor, spawnServer } from './helpers/process.js';
import { httpJson, startTestServer, type TestServer } from './helpers/server.js';

describe('OpenAPI, health and metrics', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  test('/openapi.json documents every operation, without credentials', async () => {
    const res = await srv.api('GET', '/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, '3.0.3');
    const operations = Object.values(res.body.paths as Record<string, Record<string, { operationId: string }>>)
      .flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    for (const id of ['CreateWorkspace', 'ListWorkspace', 'ShowWorkspace', 'UpdateWorkspace', 'DeleteWorkspace', 'ShowWorkspaceQuotas', 'UpdateWorkspaceQuotas', 'ValidateAuthorization', 'KeystoneCreateUserTokenByPassword']) {
      assert.ok(operations.includes(id), id);
    }
    assert.ok(!Object.keys(res.body.paths).some((p) => ['/metrics', '/healthz', '/readyz', '/openapi.json'].includes(p)));
    const list = res.body.paths['/v1/{project_id}/workspaces'].get;
    const limit = list.parameters.find((p: { name: string }) => p.name === 'limit');
    assert.deepEqual([limit.required, limit.schema.default, limit.schema.maximum], [false, 1000, 1000]);
    assert.deepEqual(Object.keys(list.responses).sort(), ['200', '4XX', '5XX']);
    assert.deepEqual(Object.keys(res.body.components.securitySchemes).sort(), ['aksk', 'token']);
  });

  test('/docs serves the interactive documentation', async () => {
    const res = await fetch(`${srv.url}/docs/`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /swagger-ui/i);
  });

  test('/healthz and /readyz answer without credentials', async () => {
    assert.deepEqual((await srv.api('GET', '/healthz')).body, { status: 'ok' });
    assert.deepEqual((await srv.api('GET', '/readyz')).body, { status: 'ready' });
  });

  test('/metrics exposes request durations by route and the job queue', async () => {
    const token = await srv.rootToken();
    await srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token });
    await srv.api('GET', `/v1/${srv.projectId}/workspaces/${newId()}`, { token });
    await srv.api('GET', '/no/such/route');
    const created = await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name: `metrics-${newId().slice(0, 6)}` } });
    await srv.api('DELETE', `/v1/${srv.projectId}/workspaces/${created.body.id}`, { token });
    const res = await fetch(`${srv.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /text\/plain/);
    const text = await res.text();
    assert.match(text, /maws_http_request_duration_seconds_count\{method="GET",route="\/v1\/:project_id\/workspaces",status_code="200"\} [1-9]/);
    assert.match(text, /maws_http_request_duration_seconds_count\{method="GET",route="\/v1\/:project_id\/workspaces\/:workspace_id",status_code="400"\} [1-9]/);
    assert.match(text, /maws_http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} [1-9]/);
    // live jobs only (the deletion job may be done already); job-queue.test.ts checks the counts
    assert.match(text, /maws_jobs\{status="pending"\} [01]\n/);
    assert.match(text, /maws_jobs\{status="running"\} [01]\n/);
    assert.match(text, /maws_process_resident_memory_bytes \d+/);
  });
});

describe('readiness without a database', () => {
  test('/readyz answers 503 in the error shape when the database is gone, /healthz still 200', async () => {
    const srv = await startTestServer();
    try {
      await srv.server.db.destroy();
      const ready = await srv.api('GET', '/readyz');
      assert.equal(ready.status, 503);
      assert.equal(ready.body.error_code, 'ModelArts.7008');
      assert.equal(ready.headers.get('x-request-id'), ready.body.request_id);
      assert.equal((await srv.api('GET', '/healthz')).status, 200);
    } finally {
      await srv.close(); // destroying the database twice is a no-op; this also removes its storage
    }
  });
});

describe('graceful shutdown', () => {
  let storage: TestStorage;
  before(async () => {
    storage = await createTestStorage();
  });
  after(() => storage.cleanup());

  test('SIGTERM lets an in-flight request finish, then exits 0', async (t) => {
    const projectId = newId();
    const proc = await spawnServer(cleanupFor(t), { ...storage.env, MAWS_ROOT_PASSWORD: 'Graceful-Passw0rd', MAWS_PROJECT_ID: projectId });
    const login = await httpJson(`${proc.url}/v3/auth/tokens`, 'POST', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', password: 'Graceful-Passw0rd', domain: { name: 'admin' } } } },
          scope: { project: { id: projectId } },
        },
      },
    });
    const token = login.headers.get('x-subject-token')!;
    const body = JSON.stringify({ name: 'in-flight-ws', description: 'x'.repeat(200) });
    const url = new URL(`${proc.url}/v1/${projectId}/workspaces`);
    // Headers and half the body now, the rest once the server is shutting down: the request is in flight meanwhile.
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-auth-token': token },
    });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
    });
    req.write(body.slice(0, 50));
    // the server logs each request as it receives its headers, and the signal as it starts to stop
    await proc.waitForOutput(/"req":\{"method":"POST","url":"\/v1\/\w+\/workspaces"[^\n]*"msg":"incoming request"/);
    proc.child.kill('SIGTERM');
    await proc.waitForOutput(/"msg":"shutting down"/);
    req.end(body.slice(50));
    const answered = await response;
    assert.equal(answered.status, 200, answered.body);
    assert.equal(JSON.parse(answered.body).name, 'in-flight-ws');
    assert.equal(await proc.stop(), 0);
    await assert.rejects(fetch(`${proc.url}/healthz`));
  });
});
