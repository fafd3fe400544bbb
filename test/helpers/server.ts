import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import { newId } from '../../src/ids.js';
import { createCredentialRepository } from '../../src/iam/credential.repository.js';
import { createIdentityRepository } from '../../src/iam/identity.repository.js';
import { hashPassword } from '../../src/iam/password.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { createTestStorage } from './database.js';

// Written directly, as another replica or an operator would.
const identityRepository = createIdentityRepository();
const credentialRepository = createCredentialRepository();

export const ROOT_PASSWORD = 'Root-Passw0rd';
export const USER_PASSWORD = 'User-Passw0rd';
/** what every test server takes as the operator API's token */
export const OPERATOR_TOKEN = 'test-operator-token-0123456789abcdef';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestUser {
  id: string;
  name: string;
  password: string;
  accessKey: string;
  secretKey: string;
}

export interface TestServer {
  url: string;
  server: RunningServer;
  projectId: string;
  projectName: string;
  domainName: string;
  root: TestUser;
  dataDir: string;
  api<T = any>(method: string, pathAndQuery: string, options?: ApiOptions): Promise<ApiResponse<T>>;
  /** a call to the operator API (/maws/…) with the operator token */
  operator<T = any>(method: string, pathAndQuery: string, options?: Omit<ApiOptions, 'token'>): Promise<ApiResponse<T>>;
  login(user?: Pick<TestUser, 'name' | 'password'>, projectName?: string): Promise<string>;
  /** an IAM user of the root account, made through the repositories (the factory), with an access key */
  newUser(name?: string): Promise<TestUser>;
  rootToken(): Promise<string>;
  close(): Promise<void>;
}

export async function httpJson<T = any>(url: string, method: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['x-auth-token'] = options.token;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** now: the server's clock, for tests that move time instead of waiting for it */
export async function startTestServer(env: Record<string, string> = {}, now?: () => number): Promise<TestServer> {
  const storage = await createTestStorage();
  const dataDir = storage.dataDir;
  const rootName = 'root';
  const projectId = newId();
  const root: TestUser = {
    id: '',
    name: rootName,
    password: ROOT_PASSWORD,
    accessKey: `ROOTAK${randomBytes(6).toString('hex').toUpperCase()}`,
    secretKey: randomBytes(20).toString('hex'),
  };
  const config = loadConfig({
    ...storage.env,
    MAWS_PORT: '0',
    MAWS_LOG_LEVEL: 'silent',
    MAWS_ROOT_NAME: rootName,
    MAWS_ROOT_PASSWORD: root.password,
    MAWS_ROOT_ACCESS_KEY: root.accessKey,
    MAWS_ROOT_SECRET_KEY: root.secretKey,
    MAWS_PROJECT_ID: projectId,
    MAWS_REGIONS: 'cn-test-1',
    MAWS_OPERATOR_TOKEN: OPERATOR_TOKEN,
    MAWS_JOB_POLL_MS: '20',
    MAWS_JOB_RETRY_BASE_MS: '10',
    ...env,
  });
  // A refused start (the test wanted one, say) leaves no temporary directory or database behind.
  const server = await startServer(config, { now }).catch(async (error: unknown) => {
    await storage.cleanup();
    throw error;
  });
  const rootRow = await identityRepository.findRootUser(server.db);
  root.id = rootRow!.id;
  const domain = await identityRepository.findDomainById(server.db, rootRow!.domain_id);
  let cachedRootToken: string | undefined;

  const api = <T>(method: string, pathAndQuery: string, options?: ApiOptions) =>
    httpJson<T>(`${server.url}${pathAndQuery}`, method, options);

  const login = async (user: Pick<TestUser, 'name' | 'password'> = root, projectName = config.regions[0]) => {
    const res = await api('POST', '/v3/auth/tokens', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: user.name, password: user.password, domain: { name: rootName } } } },
          scope: { project: { name: projectName } },
        },
      },
    });
    if (res.status !== 201) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.headers.get('x-subject-token')!;
  };

  return {
    url: server.url,
    server,
    projectId,
    projectName: config.regions[0]!,
    domainName: domain!.name,
    root,
    dataDir,
    api,
    operator: (method, pathAndQuery, options = {}) =>
      api(method, pathAndQuery, { ...options, headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, ...options.headers } }),
    login,
    async rootToken() {
      cachedRootToken ??= await login();
      return cachedRootToken;
    },
    async newUser(name = `user-${randomBytes(4).toString('hex')}`) {
      const user: TestUser = {
        id: newId(),
        name,
        password: USER_PASSWORD,
        accessKey: `USERAK${randomBytes(6).toString('hex').toUpperCase()}`,
        secretKey: randomBytes(20).toString('hex'),
      };
      await identityRepository.insertUser(server.db, {
        id: user.id,
        domain_id: rootRow!.domain_id,
        name,
        password_hash: await hashPassword(user.password),
        description: '',
        is_root: false,
        enabled: true,
        created_at: Date.now(),
      });
      await credentialRepository.insertAccessKey(server.db, {
        access_key: user.accessKey,
        secret_key: server.secrets.seal(user.accessKey, user.secretKey),
        user_id: user.id,
        description: '',
        status: 'active',
        created_at: Date.now(),
      });
      return user;
    },
    async close() {
      await server.close();
      await storage.cleanup();
    },
  };
}

/** Polls until check() returns a value that is not undefined, or fails after timeoutMs. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
