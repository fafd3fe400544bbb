import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientRequestException } from '@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException.js';
import { ServerResponseException } from '@huaweicloud/huaweicloud-sdk-core/exception/ServerResponseException.js';
import { precheckSignedRequest, signatureMatches } from '../src/auth/aksk-signature.js';
import { RequiredError, createModelArtsSdkClient, startRecordingServer } from './helpers/modelarts-sdk-client.js';
import type { RecordedRequest, RecordingServer } from './helpers/modelarts-sdk-client.js';

const AK = 'HWSDKTESTAK0000EXAMPLE';
const SK = 'sdk-client-test-secret';
const PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const WS = '30d47162c3d07054a2a807cdbaf82b14';
const BASE = `/v1/${PROJECT}/workspaces`;

function assertSigned(req: RecordedRequest, signedHeaders = 'content-type;host;x-project-id;x-sdk-date') {
  const check = precheckSignedRequest(req, Date.now(), 15 * 60_000);
  assert.ok(check.ok, check.ok ? '' : check.reason);
  assert.equal(check.auth.accessKey, AK);
  assert.equal(check.auth.signedHeaders.join(';'), signedHeaders);
  assert.equal(signatureMatches(SK, req, check.auth, check.sdkDate), true);
  assert.equal(req.headers['x-project-id'], PROJECT);
}

describe('ModelArts SDK client: the 8 workspace operations on the wire', () => {
  let server: RecordingServer;
  let client: ReturnType<typeof createModelArtsSdkClient>;

  before(async () => {
    server = await startRecordingServer((req) => ({ status: 200, body: { echo: `${req.method} ${req.url}` } }));
    client = createModelArtsSdkClient({ endpoint: server.endpoint, ak: AK, sk: SK, projectId: PROJECT });
  });
  after(() => server.close());

  async function call<T>(invoke: () => Promise<T>): Promise<{ res: T; req: RecordedRequest }> {
    const before = server.requests.length;
    const res = await invoke();
    assert.equal(server.requests.length, before + 1);
    const req = server.requests.at(-1);
    assert.ok(req);
    return { res, req };
  }

  function assertJsonBody(req: RecordedRequest, body: object) {
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.body.toString('utf8'), JSON.stringify(body));
    assert.equal(req.headers['content-length'], String(req.body.length));
  }

  function assertNoBody(req: RecordedRequest) {
    // The SDK sends (and signs) content-type: application/json even without a body.
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.body.length, 0);
  }

  test('createWorkspace: POST /v1/{project_id}/workspaces with a JSON body', async () => {
    const body = { name: 'ws-名字', description: 'd', auth_type: 'INTERNAL', grants: [{ user_id: 'u1', user_name: 'alice' }] };
    const { res, req } = await call(() => client.createWorkspace(body));
    assert.equal(req.method, 'POST');
    assert.equal(req.url, BASE);
    assertJsonBody(req, body);
    assertSigned(req);
    assert.deepEqual(res, { echo: `POST ${BASE}`, httpStatusCode: 200 });
  });

  test('listWorkspace: GET with the query in ParamCreater order, unknown keys dropped', async () => {
    const { res, req } = await call(() =>
      client.listWorkspace({
        name: "名 字+(x)*!'",
        filter_accessible: true,
        enterprise_project_id: '0',
        order: 'asc',
        sort_by: 'name',
        limit: 10,
        offset: 0,
        not_a_parameter: 'x',
        workspace_id: undefined,
      }),
    );
    assert.equal(req.method, 'GET');
    assert.equal(
      req.url,
      `${BASE}?offset=0&limit=10&sort_by=name&order=asc&enterprise_project_id=0&name=%E5%90%8D%20%E5%AD%97%2B(x)*!'&filter_accessible=true`,
    );
    assertNoBody(req);
    assertSigned(req);
    assert.equal(res.httpStatusCode, 200);

    const plain = await call(() => client.listWorkspace());
    assert.equal(plain.req.url, BASE);
    assertSigned(plain.req);
  });

  test('showWorkspace: GET /v1/{project_id}/workspaces/{workspace_id}', async () => {
    const { res, req } = await call(() => client.showWorkspace(WS));
    assert.equal(req.method, 'GET');
    assert.equal(req.url, `${BASE}/${WS}`);
    assertNoBody(req);
    assertSigned(req);
    assert.equal(res.echo, `GET ${BASE}/${WS}`);
  });

  test('updateWorkspace: PUT with a JSON body', async () => {
    const body = { name: 'renamed', description: '', auth_type: 'PUBLIC' };
    const { req } = await call(() => client.updateWorkspace(WS, body));
    assert.equal(req.method, 'PUT');
    assert.equal(req.url, `${BASE}/${WS}`);
    assertJsonBody(req, body);
    assertSigned(req);
  });

  test('deleteWorkspace: DELETE without a body', async () => {
    const { req } = await call(() => client.deleteWorkspace(WS));
    assert.equal(req.method, 'DELETE');
    assert.equal(req.url, `${BASE}/${WS}`);
    assertNoBody(req);
    assertSigned(req);
  });

  test('showWorkspaceQuotas: GET …/quotas', async () => {
    const { req } = await call(() => client.showWorkspaceQuotas('0'));
    assert.equal(req.method, 'GET');
    assert.equal(req.url, `${BASE}/0/quotas`);
    assertNoBody(req);
    assertSigned(req);
  });

  test('updateWorkspaceQuotas: PUT …/quotas with a JSON body', async () => {
    const body = { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 10 }] };
    const { req } = await call(() => client.updateWorkspaceQuotas(WS, body));
    assert.equal(req.method, 'PUT');
    assert.equal(req.url, `${BASE}/${WS}/quotas`);
    assertJsonBody(req, body);
    assertSigned(req);
  });

  test('validateAuthorization: POST …/auth with a JSON body', async () => {
    const body = { requests: [{ action_id: 'a1', action: 'modelarts:notebook:create', resource: 'r', service_attributes: { k: 'v' } }] };
    const { req } = await call(() => client.validateAuthorization(WS, body));
    assert.equal(req.method, 'POST');
    assert.equal(req.url, `${BASE}/${WS}/auth`);
    assertJsonBody(req, body);
    assertSigned(req);
  });

  test('a security token is sent and signed', async () => {
    const tokenClient = createModelArtsSdkClient({ endpoint: server.endpoint, ak: AK, sk: SK, projectId: PROJECT, securityToken: 'TEMPTOKEN' });
    const { req } = await call(() => tokenClient.showWorkspace(WS));
    assert.equal(req.headers['x-security-token'], 'TEMPTOKEN');
    assertSigned(req, 'content-type;host;x-project-id;x-sdk-date;x-security-token');
  });

  test('a missing path parameter or body throws synchronously, like the generated ParamCreater', () => {
    const count = server.requests.length;
    assert.throws(() => client.showWorkspace(undefined as unknown as string), {
      name: 'RequiredError',
      message: 'Required parameter workspaceId was null or undefined when calling showWorkspace.',
    });
    assert.throws(() => client.updateWorkspace(WS, null as unknown as object), RequiredError);
    assert.equal(server.requests.length, count);
  });
});

describe('ModelArts SDK client: error responses', () => {
  let server: RecordingServer;

  before(async () => {
    server = await startRecordingServer((req) =>
      req.method === 'DELETE'
        ? { status: 500, headers: { 'X-Request-Id': 'rid-500' }, body: { error_code: 'ModelArts.0001', error_msg: 'boom' } }
        : {
            status: 400,
            headers: { 'X-Request-Id': 'header-request-id' },
            body: { error_code: 'ModelArts.7005', error_msg: `workspace: ${WS} not exist.`, request_id: 'body-request-id' },
          },
    );
  });
  after(() => server.close());

  test('a 4xx JSON error surfaces as ClientRequestException', async () => {
    const client = createModelArtsSdkClient({ endpoint: server.endpoint, ak: AK, sk: SK, projectId: PROJECT });
    await assert.rejects(
      () => client.showWorkspace(WS),
      (err: unknown) => {
        assert.ok(err instanceof ClientRequestException);
        assert.equal(err.httpStatusCode, 400);
        assert.equal(err.errorCode, 'ModelArts.7005');
        assert.equal(err.errorMsg, `workspace: ${WS} not exist.`);
        // the SDK takes the request id from the X-Request-Id header, not from the body
        assert.equal(err.requestId, 'header-request-id');
        return true;
      },
    );
  });

  test('a 5xx JSON error surfaces as ServerResponseException', async () => {
    const client = createModelArtsSdkClient({ endpoint: server.endpoint, ak: AK, sk: SK, projectId: PROJECT });
    await assert.rejects(
      () => client.deleteWorkspace(WS),
      (err: unknown) => {
        assert.ok(err instanceof ServerResponseException);
        assert.equal(err.httpStatusCode, 500);
        assert.equal(err.errorCode, 'ModelArts.0001');
        assert.equal(err.requestId, 'rid-500');
        return true;
      },
    );
  });
});
