import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openRawConnection, type RawResponse } from './helpers/raw-http.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// Small deadlines so the slow clients are cut quickly; the per-test timeout is only a generous cap.
const HEADERS_TIMEOUT_MS = 400;
const REQUEST_TIMEOUT_MS = 800;
const CAP = { timeout: 15000 };

function assertContractError(res: RawResponse, status: number, code: string): void {
  assert.equal(res.status, status, res.body);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(res.headers.connection, 'close');
  const body = JSON.parse(res.body);
  assert.deepEqual(Object.keys(body).sort(), ['error_code', 'error_msg', 'request_id']);
  assert.equal(body.error_code, code);
  assert.equal(body.request_id, res.headers['x-request-id']);
  assert.ok(body.request_id.length > 0);
}

async function clientErrorCounts(s: TestServer): Promise<Record<string, number>> {
  const res = await fetch(`${s.url}/metrics`);
  const text = await res.text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^maws_http_client_errors_total\{reason="(\w+)"\} (\d+)$/gm)) counts[m[1]!] = Number(m[2]);
  return counts;
}

/** sends text on a fresh connection and returns the one answer, after which the server closes */
async function answerTo(s: TestServer, text: string): Promise<RawResponse> {
  const conn = await openRawConnection(s.url);
  try {
    conn.write(text);
    const res = await conn.response();
    await conn.endedByServer;
    return res;
  } finally {
    conn.destroy();
  }
}

describe('errors before routing answer in the contract shape', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({
      MAWS_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      MAWS_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    });
  });
  after(() => s.close());

  test('a 20 KB header gets 431', CAP, async () => {
    const before = await clientErrorCounts(s);
    const res = await answerTo(s, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    assertContractError(res, 431, 'APIGW.0201');
    assert.equal((await clientErrorCounts(s)).header_overflow, (before.header_overflow ?? 0) + 1);
  });

  const framing: Record<string, string> = {
    'Content-Length with Transfer-Encoding':
      'POST /v3/auth/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'a duplicate Content-Length': 'POST /v3/auth/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
    'a bad chunk': 'POST /v3/auth/tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    'a header line without a colon': 'GET /healthz HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n',
  };
  for (const [what, request] of Object.entries(framing)) {
    test(`${what} gets 400`, CAP, async () => {
      const before = await clientErrorCounts(s);
      const res = await answerTo(s, request);
      assertContractError(res, 400, 'APIGW.0201');
      assert.match(JSON.parse(res.body).error_msg, /^malformed HTTP request/);
      assert.equal((await clientErrorCounts(s)).malformed, (before.malformed ?? 0) + 1);
    });
  }

  // A slowloris client: a byte now and then keeps an idle timer happy, not the deadlines.
  async function dripped(start: string, drip: string): Promise<RawResponse> {
    const conn = await openRawConnection(s.url);
    conn.write(start);
    const timer = setInterval(() => conn.write(drip), 100);
    try {
      const res = await conn.response();
      await conn.endedByServer;
      return res;
    } finally {
      clearInterval(timer);
      conn.destroy();
    }
  }

  test('a slow body is cut with 408 and counted', CAP, async () => {
    const before = await clientErrorCounts(s);
    const res = await dripped(
      'POST /v3/auth/tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{',
      ' ',
    );
    assertContractError(res, 408, 'APIGW.0201');
    assert.equal((await clientErrorCounts(s)).timeout, (before.timeout ?? 0) + 1);
  });

  test('slow headers are cut with 408 and counted', CAP, async () => {
    const before = await clientErrorCounts(s);
    const res = await dripped('GET /healthz HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n');
    assertContractError(res, 408, 'APIGW.0201');
    assert.equal((await clientErrorCounts(s)).timeout, (before.timeout ?? 0) + 1);
  });

  test('a well-formed request on the same server is still served', CAP, async () => {
    const res = await answerTo(s, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(res.status, 200);
  });
});
