import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { canonicalRequest, formatSdkDate, hmacHex, stringToSign } from '../src/auth/aksk-signature.js';
import { addAccount, assertError, ok, startRecordingProxy } from './helpers/fixtures.js';
import { createModelArtsSdkClient, createSdkGlobalHcClient } from './helpers/modelarts-sdk-client.js';
import { type TestServer, startTestServer } from './helpers/server.js';

const BODY_LIMIT = 4096;

interface RawAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/**
 * A signed request sent with node:http, since fetch refuses a body on GET and HEAD. The
 * signature covers `signedBody`; `body` is what goes on the wire (the same unless a test says so).
 */
function rawSigned(
  srv: TestServer,
  key: { accessKey: string; secretKey: string },
  method: string,
  pathAndQuery: string,
  signedBody: string,
  body = signedBody,
): Promise<RawAnswer> {
  const host = new URL(srv.url).host;
  const headers: Record<string, string> = { 'content-type': 'application/json', host, 'x-sdk-date': formatSdkDate(Date.now()) };
  const signed = Object.keys(headers).sort();
  const canonical = canonicalRequest({ method, url: pathAndQuery, headers, body: Buffer.from(signedBody) }, signed);
  const signature = hmacHex(key.secretKey, stringToSign(headers['x-sdk-date']!, canonical));
  headers.authorization = `SDK-HMAC-SHA256 Access=${key.accessKey}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  headers['content-length'] = String(Buffer.byteLength(body));
  const url = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path: pathAndQuery, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const received = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') received.set(name, value);
        resolve({ status: res.statusCode ?? 0, headers: received, body: text === '' ? undefined : JSON.parse(text) });
      });
    });
    // The server may answer (413) before it has read everything we send.
    req.on('error', reject);
    req.end(body);
  });
}

describe('SDK clients built with a region and no project or domain id', () => {
  let srv: TestServer;

  before(async () => {
    srv = await startTestServer({ MAWS_BODY_LIMIT_BYTES: String(BODY_LIMIT) });
  });
  after(async () => {
    await srv.close();
  });

  test('BasicCredentials without a project id: the SDK looks the region up (GET with body {}) and then works', async (t) => {
    const proxy = await startRecordingProxy(srv.url);
    t.after(() => proxy.close());
    const sdk = createModelArtsSdkClient({ endpoint: proxy.endpoint, region: srv.projectName, ak: srv.root.accessKey, sk: srv.root.secretKey });
    const list = await sdk.listWorkspace();
    assert.equal(list.httpStatusCode, 200);
    assert.ok(list.workspaces.some((w: any) => w.id === '0'));
    const [lookup, call] = proxy.exchanges;
    assert.equal(lookup?.method, 'GET');
    assert.equal(lookup?.url, `/v3/projects?name=${encodeURIComponent(srv.projectName)}`);
    assert.equal(lookup?.status, 200, lookup?.responseBody);
    assert.equal(call?.url, `/v1/${srv.projectId}/workspaces`);
  });

  test('GlobalCredentials without a domain id: the SDK asks /v3/auth/domains, then signs with X-Domain-Id', async (t) => {
    const proxy = await startRecordingProxy(srv.url);
    t.after(() => proxy.close());
    const client = createSdkGlobalHcClient({ endpoint: proxy.endpoint, region: srv.projectName, ak: srv.root.accessKey, sk: srv.root.secretKey });
    const projects: any = await client.sendRequest({
      method: 'GET',
      url: '/v3/projects',
      contentType: 'application/json',
      queryParams: { name: srv.projectName },
      pathParams: {},
      headers: {},
      data: {},
    });
    assert.deepEqual(
      projects.projects.map((p: any) => p.id),
      [srv.projectId],
    );
    const domains = ok(await srv.api('GET', '/v3/auth/domains', { token: await srv.rootToken() })).domains;
    assert.equal((client as any).credential.domainId, domains[0].id);
    assert.deepEqual(
      proxy.exchanges.map((e) => [e.method, e.url.split('?')[0], e.status]),
      [
        ['GET', '/v3/auth/domains', 200],
        ['GET', '/v3/projects', 200],
      ],
    );
  });
});

describe('the signature covers the body bytes received, whatever the method', () => {
  let srv: TestServer;

  before(async () => {
    srv = await startTestServer({ MAWS_BODY_LIMIT_BYTES: String(BODY_LIMIT) });
  });
  after(async () => {
    await srv.close();
  });

  const projectsPath = () => `/v3/projects?name=${encodeURIComponent(srv.projectName)}`;

  test('a GET signed over the body {} it carries is accepted, and the body is otherwise ignored', async () => {
    const res = await rawSigned(srv, srv.root, 'GET', projectsPath(), '{}');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.projects.map((p: any) => p.id),
      [srv.projectId],
    );
    // not JSON, yet only its hash matters on a GET
    assert.equal((await rawSigned(srv, srv.root, 'GET', projectsPath(), 'not json')).status, 200);
  });

  test('a GET whose body differs from the signed one is refused', async () => {
    assertError((await rawSigned(srv, srv.root, 'GET', projectsPath(), '{}', '{ }')), 401, 'APIGW.0301');
    assertError((await rawSigned(srv, srv.root, 'GET', projectsPath(), '', '{}')), 401, 'APIGW.0301');
  });

  test('a DELETE signed over its body is checked against that body', async () => {
    const path = `/v1/${srv.projectId}/workspaces/0`;
    // the default workspace cannot be deleted: a 400 proves the signature was accepted
    const accepted = await rawSigned(srv, srv.root, 'DELETE', path, '{}');
    assert.notEqual(accepted.status, 401, JSON.stringify(accepted.body));
    assertError((await rawSigned(srv, srv.root, 'DELETE', path, '{}', '{ }')), 401, 'APIGW.0301');
  });

  test('a GET body is bounded by the body limit', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT) });
    assertError((await rawSigned(srv, srv.root, 'GET', projectsPath(), big)), 413, 'APIGW.0201');
  });
});

describe('GET /v3/auth/projects and /v3/auth/domains', () => {
  let srv: TestServer;

  before(async () => {
    srv = await startTestServer();
  });
  after(async () => {
    await srv.close();
  });

  test('list the caller\'s own account and its projects only', async () => {
    const other = await addAccount(srv);
    const user = await srv.newUser();
    const rootToken = await srv.rootToken();
    const mine = ok(await srv.api('GET', '/v3/auth/domains', { token: rootToken }));
    assert.equal(mine.domains.length, 1);
    const domain = mine.domains[0];
    assert.equal(domain.name, srv.domainName);
    assert.equal(domain.enabled, true);
    assert.equal(domain.links.self, `/v3/domains/${domain.id}`);
    assert.deepEqual(mine.links, { self: '/v3/auth/domains', previous: null, next: null });

    const projects = ok(await srv.api('GET', '/v3/auth/projects', { token: await srv.login(user) }));
    assert.deepEqual(
      projects.projects.map((p: any) => [p.id, p.name, p.domain_id, p.enabled]),
      [[srv.projectId, srv.projectName, domain.id, true]],
    );
    assert.deepEqual(projects.links, { self: '/v3/auth/projects', previous: null, next: null });

    const theirs = await rawSigned(srv, other.user, 'GET', '/v3/auth/projects', '');
    assert.equal(theirs.status, 200);
    assert.deepEqual(
      theirs.body.projects.map((p: any) => p.id),
      [other.projectId],
    );
    const theirDomains = await rawSigned(srv, other.root, 'GET', '/v3/auth/domains', '');
    assert.deepEqual(
      theirDomains.body.domains.map((d: any) => d.name),
      [other.domainName],
    );
  });

  test('require authentication', async () => {
    assertError(await srv.api('GET', '/v3/auth/projects'), 401, 'APIGW.0301');
    assertError(await srv.api('GET', '/v3/auth/domains'), 401, 'APIGW.0301');
  });
});
