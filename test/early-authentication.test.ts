import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatSdkDate } from '../src/auth/aksk-signature.js';
import { assertError, insertExpiredToken, setAccessKeyStatus, signedApi, uniq } from './helpers/fixtures.js';
import { openRawConnection, type RawResponse } from './helpers/raw-http.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// Announced, never sent in full: a server that waits for the body before checking credentials
// never answers, and the test's own timeout turns that into a failure instead of a hang.
const ANNOUNCED = 4 * 1024 * 1024;
const FIRST_CHUNK = `{"name":"${'a'.repeat(64 * 1024)}`;
const NO_ANSWER_WITHOUT_BODY = { timeout: 30_000 };

describe('credentials are checked before the body is read', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  /** Headers and a first chunk of a large body; the rest is never sent. */
  async function partialUpload(headers: Record<string, string>, target = `POST /v1/${srv.projectId}/workspaces`): Promise<RawResponse> {
    const connection = await openRawConnection(srv.url);
    try {
      const head = Object.entries({
        Host: new URL(srv.url).host,
        'Content-Type': 'application/json',
        'Content-Length': String(ANNOUNCED),
        ...headers,
      })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      connection.write(`${target} HTTP/1.1\r\n${head}\r\n${FIRST_CHUNK}`);
      const response = await connection.response();
      // The server stops reading: it ends the connection rather than wait for bytes it would discard.
      await connection.endedByServer;
      return response;
    } finally {
      connection.destroy();
    }
  }

  function assertRefused(response: RawResponse, message: RegExp): void {
    assert.equal(response.status, 401);
    assert.equal(response.headers.connection, 'close');
    const body = JSON.parse(response.body);
    assert.equal(body.error_code, 'APIGW.0301');
    assert.match(body.error_msg, message);
    assert.equal(body.request_id, response.headers['x-request-id']);
  }

  test('without credentials: 401 while the upload is incomplete', NO_ANSWER_WITHOUT_BODY, async () => {
    assertRefused(await partialUpload({}), /x-auth-token not found/);
  });

  test('an unknown token: 401 while the upload is incomplete', NO_ANSWER_WITHOUT_BODY, async () => {
    assertRefused(await partialUpload({ 'X-Auth-Token': 'MAWSnot-a-token-this-server-issued' }), /decrypt token fail/);
  });

  test('an expired token: 401 while the upload is incomplete', NO_ANSWER_WITHOUT_BODY, async () => {
    assertRefused(await partialUpload({ 'X-Auth-Token': await insertExpiredToken(srv) }), /token expires/);
  });

  test('an unknown or disabled access key: 401 while the upload is incomplete', NO_ANSWER_WITHOUT_BODY, async () => {
    const signedBy = (accessKey: string) => ({
      'X-Sdk-Date': formatSdkDate(Date.now()),
      Authorization: `SDK-HMAC-SHA256 Access=${accessKey}, SignedHeaders=content-type;x-sdk-date, Signature=${'0'.repeat(64)}`,
    });
    assertRefused(await partialUpload(signedBy('NOSUCHACCESSKEY')), /AK is invalid or disabled/);
    const user = await srv.newUser(uniq('inactive'));
    await setAccessKeyStatus(srv, user.accessKey, 'inactive');
    assertRefused(await partialUpload(signedBy(user.accessKey)), /AK is invalid or disabled/);
  });

  test('an upload to an unknown URL: 404 while the upload is incomplete', NO_ANSWER_WITHOUT_BODY, async () => {
    const response = await partialUpload({}, 'POST /no/such/api');
    assert.deepEqual([response.status, response.headers.connection], [404, 'close']);
    const body = JSON.parse(response.body);
    assert.deepEqual([body.error_code, body.error_msg, body.request_id], ['APIGW.0101', 'API not found: POST /no/such/api', response.headers['x-request-id']]);
  });

  test('a body on a public read: 400 while the upload is incomplete', NO_ANSWER_WITHOUT_BODY, async () => {
    const response = await partialUpload({}, 'GET /healthz');
    assert.deepEqual([response.status, response.headers.connection], [400, 'close']);
    const body = JSON.parse(response.body);
    assert.deepEqual([body.error_code, body.error_msg], ['APIGW.0201', 'GET /healthz takes no body']);
    assert.equal((await srv.api('GET', '/healthz')).status, 200);
  });

  test('a login body is limited to 64 KiB', async () => {
    const res = await srv.api('POST', '/v3/auth/tokens', { rawBody: `{"auth":"${'a'.repeat(70 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
    assertError(res, 413, 'APIGW.0201');
  });

  test('a valid token or AK/SK signature still sends a body', async () => {
    const token = await srv.rootToken();
    const byToken = await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name: uniq('tok') } });
    assert.equal(byToken.status, 200, JSON.stringify(byToken.body));
    const keys = { ak: srv.root.accessKey, sk: srv.root.secretKey };
    const bySignature = await signedApi(srv, 'POST', `/v1/${srv.projectId}/workspaces`, { ...keys, body: { name: uniq('aksk') } });
    assert.equal(bySignature.status, 200, JSON.stringify(bySignature.body));
  });

  test('a known access key with a signature that does not cover the body sent: 401 after reading it', async () => {
    const keys = { ak: srv.root.accessKey, sk: srv.root.secretKey };
    const name = uniq('tampered');
    const res = await signedApi(srv, 'POST', `/v1/${srv.projectId}/workspaces`, {
      ...keys,
      body: { name },
      sendBody: JSON.stringify({ name: `${name}-x` }),
    });
    assertError(res, 401, 'APIGW.0301', /verify aksk signature fail/);
  });

  test('401 still comes before a body that cannot be parsed, which comes before the project scope', async () => {
    assertError(await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { rawBody: '{', headers: { 'content-type': 'application/json' } }), 401, 'APIGW.0301');
    const token = await srv.rootToken();
    assertError(
      await srv.api('POST', '/v1/0123456789abcdef0123456789abcdef/workspaces', { token, rawBody: '{', headers: { 'content-type': 'application/json' } }),
      400,
      'ModelArts.0104',
    );
  });
});
