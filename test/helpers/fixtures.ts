// Small helpers shared by the black-box workspace tests: unique names, error assertions, extra
// identities (projects, accounts, enterprise projects, expired tokens) inserted the way the
// harness inserts users, an AK/SK signer with full control over the signed parts, a controllable
// deletion-hook server and a recording reverse proxy.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalRequest, formatSdkDate, hmacHex, stringToSign } from '../../src/auth/aksk-signature.js';
import { createCredentialRepository } from '../../src/iam/credential.repository.js';
import { createIdentityRepository } from '../../src/iam/identity.repository.js';
import { hashPassword } from '../../src/iam/password.js';
import { newId } from '../../src/ids.js';
import type { JsonItems } from '../../src/db/json-object.js';
import type { WorkspaceRow } from '../../src/workspaces/workspace.repository.js';
import type { ApiResponse, TestServer, TestUser } from './server.js';

// Written directly, as another replica or an operator would.
const identityRepository = createIdentityRepository();
const credentialRepository = createCredentialRepository();

export const HEX32 = /^[0-9a-f]{32}$/;

/** A workspace name that no other test uses: prefix + '_' + 8 hex characters. */
export function uniq(prefix = 'ws'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Asserts the documented failure shape: exact status and code, body request_id == X-Request-Id, no stack. */
/** Every route under /workspaces/{id}, each with a valid body: a missing workspace answers 400 ModelArts.7005 on all of them. */
export const WORKSPACE_ROUTES: ReadonlyArray<readonly [method: string, suffix: string, body: unknown]> = [
  ['GET', '', undefined],
  ['PUT', '', { description: 'x' }],
  ['DELETE', '', undefined],
  ['GET', '/quotas', undefined],
  ['PUT', '/quotas', { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 1 }] }],
  ['POST', '/auth', { requests: [{ action_id: '1', action: 'modelarts:notebook:create' }] }],
];

export function assertError(res: ApiResponse, status: number, code: string, message?: string | RegExp): void {
  const where = `${res.status} ${JSON.stringify(res.body)}`;
  assert.equal(res.status, status, where);
  assert.ok(res.body !== null && typeof res.body === 'object', where);
  assert.deepEqual(Object.keys(res.body).sort(), ['error_code', 'error_msg', 'request_id'], where);
  assert.equal(res.body.error_code, code, where);
  assert.equal(typeof res.body.error_msg, 'string', where);
  assert.ok(res.body.error_msg.length > 0, where);
  assert.doesNotMatch(res.body.error_msg, /\n\s+at\s|\.ts:\d+|node_modules/, where);
  assert.equal(typeof res.body.request_id, 'string', where);
  assert.ok(res.body.request_id.length > 0, where);
  assert.equal(res.headers.get('x-request-id'), res.body.request_id, where);
  if (typeof message === 'string') assert.equal(res.body.error_msg, message, where);
  else if (message) assert.match(res.body.error_msg, message, where);
}

/** Asserts a 200 and returns the body. */
export function ok<T = any>(res: ApiResponse<T>): T {
  assert.equal(res.status, 200, `${res.status} ${JSON.stringify(res.body)}`);
  assert.ok(res.headers.get('x-request-id'), 'X-Request-Id on success');
  return res.body;
}

async function domainIdOf(srv: TestServer): Promise<string> {
  const root = await identityRepository.findUserById(srv.server.db, srv.root.id);
  assert.ok(root);
  return root.domain_id;
}

/** The summaries of a page of ListWorkspace as the repository gives it (JsonItems), parsed; count checked. */
export function parsedItems<T = Record<string, unknown>>(page: JsonItems): T[] {
  const parsed = JSON.parse(`[${page.items}]`) as T[];
  assert.equal(parsed.length, page.count, 'count of the page');
  return parsed;
}

/** The names of a page's summaries, in order. */
export function pageNames(page: JsonItems): string[] {
  return parsedItems<{ name: string }>(page).map((summary) => summary.name);
}

/** A workspaces row with plain values, for tests that write the table themselves. */
export function workspaceRow(projectId: string, id: string, name: string, overrides: Partial<WorkspaceRow> = {}): WorkspaceRow {
  return {
    project_id: projectId,
    id,
    name,
    description: '',
    owner_id: 'u1',
    owner_name: 'root',
    enterprise_project_id: '0',
    auth_type: 'public',
    status: 'NORMAL',
    status_info: '',
    create_time: 1,
    update_time: 1,
    ...overrides,
  };
}

/** A second IAM project of the root's account (with its default workspace "0"). */
export async function addProject(srv: TestServer, name = `proj-${randomBytes(3).toString('hex')}`) {
  const db = srv.server.db;
  const domainId = await domainIdOf(srv);
  const id = newId();
  const now = Date.now();
  await identityRepository.insertProject(db, { id, domain_id: domainId, name, parent_id: null, workspace_count: 1, created_at: now });
  await db
    .insertInto('workspaces')
    .values(workspaceRow(id, '0', 'default', { owner_id: srv.root.id, owner_name: srv.root.name, create_time: now, update_time: now }))
    .execute();
  return { id, name };
}

export interface OtherAccount {
  domainName: string;
  projectId: string;
  projectName: string;
  root: TestUser;
  /** an IAM user of that account */
  user: TestUser;
}

/** A completely separate account (domain) with its own root user, project and access keys. */
export async function addAccount(srv: TestServer): Promise<OtherAccount> {
  const db = srv.server.db;
  const now = Date.now();
  const domainId = newId();
  const domainName = `acct${randomBytes(3).toString('hex')}`;
  const projectId = newId();
  const projectName = `other-${randomBytes(3).toString('hex')}`;
  await identityRepository.insertDomain(db, { id: domainId, name: domainName, enabled: 1, created_at: now });
  await identityRepository.insertProject(db, { id: projectId, domain_id: domainId, name: projectName, parent_id: null, workspace_count: 0, created_at: now });
  const make = async (name: string, isRoot: boolean): Promise<TestUser> => {
    const user: TestUser = {
      id: newId(),
      name,
      password: 'Other-Passw0rd',
      accessKey: `OTHERAK${randomBytes(6).toString('hex').toUpperCase()}`,
      secretKey: randomBytes(20).toString('hex'),
    };
    await identityRepository.insertUser(db, {
      id: user.id,
      domain_id: domainId,
      name,
      password_hash: await hashPassword(user.password),
      description: '',
      is_root: isRoot,
      enabled: true,
      created_at: now + 1,
    });
    await credentialRepository.insertAccessKey(db, {
      access_key: user.accessKey,
      secret_key: srv.server.secrets.seal(user.accessKey, user.secretKey),
      user_id: user.id,
      description: '',
      status: 'active',
      created_at: now,
    });
    return user;
  };
  const root = await make(domainName, true);
  // deliberately the same user name pattern as the harness' users, but in another domain
  const user = await make(`user-${randomBytes(4).toString('hex')}`, false);
  return { domainName, projectId, projectName, root, user };
}

/** Logs in a user of any account by domain name, scoped to a project name. */
export async function loginTo(srv: TestServer, domainName: string, user: TestUser, projectName: string): Promise<string> {
  const res = await srv.api('POST', '/v3/auth/tokens', {
    body: {
      auth: {
        identity: { methods: ['password'], password: { user: { name: user.name, password: user.password, domain: { name: domainName } } } },
        scope: { project: { name: projectName } },
      },
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const token = res.headers.get('x-subject-token');
  assert.ok(token);
  return token;
}

/** A token of another account's root user: for proving that accounts cannot see each other. */
export async function foreignRootToken(srv: TestServer): Promise<string> {
  const other = await addAccount(srv);
  return loginTo(srv, other.domainName, other.root, other.projectName);
}

/** An enterprise project of the root's account. */
export async function addEnterpriseProject(srv: TestServer, opts: { name?: string; enabled?: boolean } = {}) {
  const id = [8, 4, 4, 4, 12].map((n) => randomBytes(n).toString('hex').slice(0, n)).join('-');
  const name = opts.name ?? `ep-${randomBytes(3).toString('hex')}`;
  const now = Date.now();
  await srv.server.db
    .insertInto('enterprise_projects')
    .values({
      id,
      domain_id: await domainIdOf(srv),
      name,
      description: '',
      status: opts.enabled === false ? 2 : 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, name };
}

/** A token of the root user, scoped to the root project, that expired a second ago. */
export async function insertExpiredToken(srv: TestServer): Promise<string> {
  const token = `MAWS${randomBytes(48).toString('base64url')}`;
  const now = Date.now();
  await credentialRepository.insertToken(srv.server.db, {
    token_hash: createHash('sha256').update(token).digest('hex'),
    user_id: srv.root.id,
    domain_id: await domainIdOf(srv),
    project_id: srv.projectId,
    issued_at: now - 86_400_000,
    expires_at: now - 1000,
  });
  return token;
}

export async function setUserEnabled(srv: TestServer, userId: string, enabled: boolean): Promise<void> {
  await identityRepository.updateUser(srv.server.db, userId, { enabled });
  // Written behind the services' back, as another replica would: drop this replica's cached view.
  srv.server.modules.auth.service.forgetCredentials();
}

export async function setAccessKeyStatus(srv: TestServer, accessKey: string, status: 'active' | 'inactive'): Promise<void> {
  await credentialRepository.updateAccessKey(srv.server.db, accessKey, { status });
  srv.server.modules.auth.service.forgetCredentials();
}

export interface SignOptions {
  ak: string;
  sk: string;
  body?: unknown;
  rawBody?: string;
  /** epoch ms used for X-Sdk-Date; now by default */
  signedAt?: number;
  /** X-Project-Id header (signed); omitted when undefined */
  projectHeader?: string;
  /** extra headers, signed too */
  headers?: Record<string, string>;
  /** body actually sent, when it must differ from the signed one */
  sendBody?: string;
  /** path+query actually sent, when it must differ from the signed one */
  sendPath?: string;
  /** headers sent but not signed (e.g. GSDK adds X-Project-Id after signing, Node adds User-Agent) */
  unsignedHeaders?: Record<string, string>;
  /** false: leave host out of SignedHeaders, as the Go SDK may */
  signHost?: boolean;
}

/**
 * Sends an SDK-HMAC-SHA256 signed request (signed headers: content-type;host;[x-project-id;]x-sdk-date
 * plus any extra headers), signed with the server's own canonicalisation functions.
 */
export async function signedApi(srv: TestServer, method: string, pathAndQuery: string, opts: SignOptions): Promise<ApiResponse> {
  const raw = opts.rawBody ?? (opts.body === undefined ? '' : JSON.stringify(opts.body));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-sdk-date': formatSdkDate(opts.signedAt ?? Date.now()),
  };
  if (opts.signHost !== false) headers.host = new URL(srv.url).host;
  if (opts.projectHeader !== undefined) headers['x-project-id'] = opts.projectHeader;
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
  const signedHeaders = Object.keys(headers).sort();
  const canonical = canonicalRequest({ method, url: pathAndQuery, headers, body: Buffer.from(raw, 'utf8') }, signedHeaders);
  const signature = hmacHex(opts.sk, stringToSign(headers['x-sdk-date']!, canonical));
  const { host: _host, ...sent } = headers; // fetch sends the same Host itself
  Object.assign(sent, opts.unsignedHeaders);
  sent.authorization = `SDK-HMAC-SHA256 Access=${opts.ak}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  const body = opts.sendBody ?? raw;
  return srv.api(method, opts.sendPath ?? pathAndQuery, { headers: sent, rawBody: body === '' ? undefined : body });
}

export interface HookCall {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** What the hook does with one call: answer with a status, or drop the connection. */
export type HookAnswer = number | 'destroy';

export interface HookServer {
  url: string;
  calls: HookCall[];
  /** decides the answer per call (may wait, e.g. to hold a workspace in DELETING); default 200 */
  handle: (call: HookCall) => HookAnswer | Promise<HookAnswer>;
  callsFor(workspaceId: string): HookCall[];
  close(): Promise<void>;
}

/** A local cleanup-hook endpoint for MAWS_DELETE_HOOK_URL. */
export async function startHookServer(): Promise<HookServer> {
  const hook: HookServer = {
    url: '',
    calls: [],
    handle: () => 200,
    callsFor: (workspaceId) => hook.calls.filter((c) => c.body?.workspace_id === workspaceId),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
      const call: HookCall = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      hook.calls.push(call);
      void Promise.resolve(hook.handle(call)).then((answer) => {
        if (answer === 'destroy') {
          req.socket.destroy();
          return;
        }
        res.writeHead(answer, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cleanup`;
  return hook;
}

export interface ProxyExchange {
  method: string;
  url: string;
  status: number;
  responseHeaders: IncomingHttpHeaders;
  responseBody: string;
}

/** A reverse proxy that forwards byte-for-byte (Host included) and records each response. */
export async function startRecordingProxy(target: string) {
  const exchanges: ProxyExchange[] = [];
  const targetUrl = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const upstream = httpRequest(
        { host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          const out: Buffer[] = [];
          up.on('data', (c: Buffer) => out.push(c));
          up.on('end', () => {
            const body = Buffer.concat(out);
            exchanges.push({
              method: req.method ?? '',
              url: req.url ?? '',
              status: up.statusCode ?? 0,
              responseHeaders: up.headers,
              responseBody: body.toString('utf8'),
            });
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(body);
          });
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
