import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../src/ids.js';
import { createTestStorage, type TestStorage } from './helpers/database.js';
import { cleanupFor, spawnServer } from './helpers/process.js';
import { openRawConnection } from './helpers/raw-http.js';
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
    assert.deepEqual(Object.keys(res.body.components.securitySchemes).sort(), ['aksk', 'operatorToken', 'token']);
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

  test('SIGTERM: the in-flight request finishes with Connection: close, a new one gets 503 in the error shape, idle sockets are closed, the process exits 0', async (t) => {
    const cleanup = cleanupFor(t);
    const projectId = newId();
    const proc = await spawnServer(cleanup, { ...storage.env, MAWS_ROOT_PASSWORD: 'Graceful-Passw0rd', MAWS_PROJECT_ID: projectId });
    const login = await httpJson(`${proc.url}/v3/auth/tokens`, 'POST', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', password: 'Graceful-Passw0rd', domain: { name: 'admin' } } } },
          scope: { project: { id: projectId } },
        },
      },
    });
    const token = login.headers.get('x-subject-token')!;
    const host = new URL(proc.url).host;
    const connect = async () => {
      const connection = await openRawConnection(proc.url);
      cleanup.defer(() => connection.destroy());
      return connection;
    };
    const healthz = `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`;

    // Keep-alive connections that answered a request: one stays idle, the other has begun its next request.
    const idle = await connect();
    idle.write(healthz);
    assert.equal((await idle.response()).status, 200);
    const late = await connect();
    late.write(healthz);
    assert.equal((await late.response()).status, 200);
    // The server reads these bytes before the in-flight request below (its connection is accepted after they were sent).
    late.write(healthz.slice(0, -2));

    // Headers and half the body now, the rest once the server is shutting down: the request is in flight meanwhile.
    const body = JSON.stringify({ name: 'in-flight-ws', description: 'x'.repeat(200) });
    const inFlight = await connect();
    inFlight.write(
      `POST /v1/${projectId}/workspaces HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Auth-Token: ${token}\r\n\r\n${body.slice(0, 50)}`,
    );
    // the server logs each request as it receives its headers, and when it starts refusing new ones
    await proc.waitForOutput(/"req":\{"method":"POST","url":"\/v1\/\w+\/workspaces"[^\n]*"msg":"incoming request"/);
    proc.child.kill('SIGTERM');
    await proc.waitForOutput(/"msg":"new requests are refused from now on"/);

    late.write('\r\n');
    const refused = await late.response();
    assert.equal(refused.status, 503, refused.body);
    const refusal = JSON.parse(refused.body);
    assert.deepEqual(Object.keys(refusal).sort(), ['error_code', 'error_msg', 'request_id']);
    assert.equal(refusal.error_code, 'ModelArts.7008');
    assert.equal(refused.headers['x-request-id'], refusal.request_id);
    assert.equal(refused.headers.connection, 'close');

    inFlight.write(body.slice(50));
    const answered = await inFlight.response();
    assert.equal(answered.status, 200, answered.body);
    assert.equal(JSON.parse(answered.body).name, 'in-flight-ws');
    assert.equal(answered.headers.connection, 'close');

    // The cap (60 s) only bounds a failure: a keep-alive socket left open would hold the exit for 72 s.
    assert.equal(await proc.waitForExit(), 0);
    await Promise.all([idle.endedByServer, late.endedByServer, inFlight.endedByServer]);
    await assert.rejects(fetch(`${proc.url}/healthz`));
  });
});
