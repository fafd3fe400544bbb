// The server's /console/ routes: static files of a built console, without a browser.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './helpers/server.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The path exactly as written: fetch() would resolve the dot segments a traversal attempt relies on. */
function rawGet(base: string, rawPath: string): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path: rawPath, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

const INDEX = '<!doctype html><title>console</title><script type="module" src="/console/assets/index-Abc123.js"></script>';

describe('console: static files', () => {
  let parent: string;
  let srv: TestServer;
  before(async () => {
    parent = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'maws-console-serving-'));
    const dir = path.join(parent, 'console');
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), INDEX);
    fs.writeFileSync(path.join(dir, 'assets', 'index-Abc123.js'), 'console.log("app")');
    fs.writeFileSync(path.join(dir, 'assets', 'index-Abc123.css'), 'body{}');
    fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    // Beside the console folder, where a traversal would reach.
    fs.writeFileSync(path.join(parent, 'secret.txt'), 'TOP-SECRET');
    fs.writeFileSync(path.join(parent, 'console-evil.txt'), 'TOP-SECRET');
    srv = await startTestServer({ MAWS_CONSOLE_DIR: dir });
  });
  after(async () => {
    await srv?.close();
    await fs.promises.rm(parent, { recursive: true, force: true });
  });

  it('redirects / to /console/ and /console to /console/', async () => {
    const root = await rawGet(srv.url, '/');
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, '/console/');
    const bare = await rawGet(srv.url, '/console');
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.location, '/console/');
    const withQuery = await rawGet(srv.url, '/console?lang=zh');
    assert.equal(withQuery.headers.location, '/console/?lang=zh');
  });

  it('serves index.html, not cached, with a content security policy', async () => {
    const page = await rawGet(srv.url, '/console/');
    assert.equal(page.status, 200);
    assert.equal(page.body, INDEX);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal((await rawGet(srv.url, '/console/index.html')).headers['cache-control'], 'no-cache');
  });

  it('serves hashed assets with their content types and a long cache', async () => {
    const script = await rawGet(srv.url, '/console/assets/index-Abc123.js');
    assert.equal(script.status, 200);
    assert.equal(script.body, 'console.log("app")');
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
    const style = await rawGet(srv.url, '/console/assets/index-Abc123.css');
    assert.equal(style.headers['content-type'], 'text/css; charset=utf-8');
    const icon = await rawGet(srv.url, '/console/favicon.svg');
    assert.equal(icon.headers['content-type'], 'image/svg+xml');
    assert.equal(icon.headers['cache-control'], 'no-cache');
  });

  it('answers deep links to console pages with index.html, so that a bookmark opens its page', async () => {
    for (const link of ['/console/workspaces', '/console/workspaces?name=abc&page=2', '/console/workspaces/123/quotas', '/console/sign-in?reason=expired']) {
      const page = await rawGet(srv.url, link);
      assert.equal(page.status, 200, link);
      assert.equal(page.body, INDEX, link);
      assert.equal(page.headers['cache-control'], 'no-cache', link);
    }
  });

  it('answers a missing file with a 404 in the error shape, not with the page', async () => {
    for (const missing of ['/console/assets/index-Gone99.js', '/console/assets/something', '/console/robots.txt']) {
      const answer = await rawGet(srv.url, missing);
      assert.equal(answer.status, 404, missing);
      const body = JSON.parse(answer.body);
      assert.equal(body.error_code, 'APIGW.0101');
      assert.equal(typeof body.request_id, 'string');
    }
  });

  it('refuses paths that lead out of the console folder', async () => {
    const attempts = [
      '/console/../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/%2E%2E%2Fsecret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
      '/console/..%5csecret.txt',
      '/console/%2e%2e/console-evil.txt',
      '/console/..',
      '/console/%2e%2e',
      `/console/${encodeURIComponent(path.join(path.dirname(srv.dataDir), 'secret.txt'))}`,
    ];
    for (const attempt of attempts) {
      const answer = await rawGet(srv.url, attempt);
      assert.doesNotMatch(answer.body, /TOP-SECRET/, attempt);
      assert.ok([301, 302, 400, 404].includes(answer.status) || answer.body === INDEX, `${attempt}: ${answer.status} ${answer.body}`);
    }
    // Answered by the console route itself, in the error shape.
    const direct = await rawGet(srv.url, '/console/%2e%2e/secret.txt');
    assert.equal(direct.status, 404);
    assert.equal(JSON.parse(direct.body).error_code, 'APIGW.0101');
  });

  it('is public and left out of the OpenAPI document', async () => {
    const spec = await srv.api('GET', '/openapi.json');
    const paths = Object.keys(spec.body.paths ?? {});
    assert.ok(paths.length > 0);
    assert.ok(!paths.some((p) => p === '/' || p.startsWith('/console')), paths.join(', '));
  });
});

describe('console: not built', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ MAWS_CONSOLE_DIR: path.join(os.tmpdir(), `maws-no-console-${process.pid}`) });
  });
  after(() => srv?.close());

  it('says to run npm run build, with a 503 in the error shape, for every console path', async () => {
    for (const url of ['/console/', '/console/workspaces', '/console/assets/index-Abc123.js']) {
      const answer = await rawGet(srv.url, url);
      assert.equal(answer.status, 503, url);
      const body = JSON.parse(answer.body);
      assert.match(body.error_msg, /npm run build/);
      assert.equal(answer.headers['x-request-id'], body.request_id);
    }
    // The redirect still points there: the message is one click away.
    assert.equal((await rawGet(srv.url, '/')).headers.location, '/console/');
  });
});
