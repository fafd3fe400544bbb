// A ModelArts workspace client that sends requests through the official Huawei Cloud SDK code
// path (@huaweicloud/huaweicloud-sdk-core: HcClient → BasicCredentials / AKSKSigner →
// DefaultHttpClient/axios). The generated @huaweicloud/huaweicloud-sdk-modelarts package is not
// installable here, so the 8 workspace operations are rebuilt below exactly as its
// ModelArtsClient + ParamCreater build them (services/modelarts/v1/ModelArtsClient.ts).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import type { HttpRequestOptions } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import { DefaultHttpClient } from '@huaweicloud/huaweicloud-sdk-core/http/DefaultHttpClient.js';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js';
import { GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/GlobalCredentials.js';
import type { ICredential } from '@huaweicloud/huaweicloud-sdk-core/auth/ICredential.js';
import type { Logger } from '@huaweicloud/huaweicloud-sdk-core/logger/index.js';
import { Region } from '@huaweicloud/huaweicloud-sdk-core/region/region.js';

export type SdkClientOptions = {
  endpoint: string;
  ak: string;
  sk: string;
  securityToken?: string;
} & (
  | { projectId: string }
  /**
   * ClientBuilder.withRegion(new Region(region, endpoint)) and no project id: before its first
   * request the SDK asks IAM (here the same server) for the project named after the region.
   */
  | { region: string }
);

type QueryValue = string | number | boolean | undefined;

const USER_AGENT = 'huaweicloud-usdk-nodejs/3.0; modelarts-workspaces-tests';

const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => 'error' as ReturnType<Logger['getLevel']>,
  setName() {},
};

/**
 * An HcClient wired exactly as ClientBuilder.withCredential(c).withEndpoint(e).build() wires one
 * (ModelArtsClient.newBuilder() is a ClientBuilder). ClientBuilder itself cannot be loaded: core
 * 3.1.211 requires 'uuid' (http/DefaultUserAgent.js) without declaring the dependency. Its only
 * other effect, the default User-Agent, would write ~/.huaweicloud/application_id; the
 * User-Agent is added after signing, so a fixed one changes nothing that gets signed.
 * withEndpoint plus a projectId means no IAM project lookup (that needs withRegion).
 */
export function createSdkHcClient(opts: SdkClientOptions): HcClient {
  const credentials = new BasicCredentials().withAk(opts.ak).withSk(opts.sk);
  if ('projectId' in opts) credentials.withProjectId(opts.projectId);
  if (opts.securityToken !== undefined) credentials.withSecurityToken(opts.securityToken);
  return wire(credentials, opts.endpoint, 'region' in opts ? opts.region : undefined);
}

/**
 * A client for a global service (IAM) built as ClientBuilder.withCredential(new GlobalCredentials()
 * .withAk(ak).withSk(sk)).withRegion(new Region(region, endpoint)): with no domain id, the SDK asks
 * IAM for it (GET /v3/auth/domains) before its first request and then sends it as X-Domain-Id.
 */
export function createSdkGlobalHcClient(opts: { endpoint: string; ak: string; sk: string; region: string }): HcClient {
  return wire(new GlobalCredentials().withAk(opts.ak).withSk(opts.sk), opts.endpoint, opts.region);
}

function wire(credentials: ICredential & { withIamEndpoint(endpoint: string): unknown }, endpoint: string, region?: string): HcClient {
  const endpoints = [endpoint];
  // The default logger prints every HTTP error to stdout through log4js; tests assert on exceptions.
  const clientOptions = { disableSslVerification: true, headers: { 'User-Agent': USER_AGENT }, logger: silentLogger };
  // The IAM look-ups go through a copy of this client made from clientOptions (overrideEndpoints).
  const hcClient = new HcClient(new DefaultHttpClient(clientOptions, endpoints), clientOptions);
  (hcClient as unknown as { logger: Logger }).logger = silentLogger;
  if (region !== undefined) {
    credentials.withIamEndpoint(endpoint);
    hcClient.withRegion(new Region(region, endpoints));
  }
  return hcClient.withCredential(credentials).withEndpoints(endpoints);
}

// Same shape as the generated ParamCreater output; responseHeaders [''] is what ModelArtsClient sets.
type Operation = HttpRequestOptions & { responseHeaders: string[] };

function operation(method: string, url: string, extra: Partial<HttpRequestOptions> = {}): Operation {
  return {
    method,
    url,
    contentType: 'application/json',
    queryParams: {},
    pathParams: {},
    headers: {},
    ...extra,
    responseHeaders: [''],
  };
}

function withBody(method: string, url: string, body: object, pathParams: Record<string, string> = {}): Operation {
  // POST/PUT workspace operations declare application/json;charset=UTF-8; HcClient lowers it to
  // application/json before signing.
  const contentType = 'application/json;charset=UTF-8';
  return operation(method, url, { contentType, pathParams, headers: { 'Content-Type': contentType }, data: body });
}

/** Thrown synchronously, before anything is sent, as the generated ParamCreater does. */
export class RequiredError extends Error {
  override name = 'RequiredError';
  constructor(
    public field: string,
    msg?: string,
  ) {
    super(msg);
  }
}

function requireValue(field: string, value: unknown, operationName: string): void {
  if (value !== null && value !== undefined) return;
  throw field === 'body'
    ? new RequiredError('body', 'Required parameter body was null or undefined when calling body.')
    : new RequiredError(field, `Required parameter ${field} was null or undefined when calling ${operationName}.`);
}

// ListWorkspaceRequest's query parameters, in the order ParamCreater adds them (= wire order).
const LIST_QUERY_KEYS = ['offset', 'limit', 'sort_by', 'order', 'enterprise_project_id', 'name', 'filter_accessible'];

export function createModelArtsSdkClient(opts: SdkClientOptions) {
  const hcClient = createSdkHcClient(opts);
  const send = (options: Operation): Promise<any> => hcClient.sendRequest(options);
  const ws = '/v1/{project_id}/workspaces/{workspace_id}';
  const byId = (workspaceId: string, operationName: string) => {
    requireValue('workspaceId', workspaceId, operationName);
    return { workspace_id: workspaceId };
  };

  return {
    createWorkspace(body: object) {
      requireValue('body', body, 'createWorkspace');
      return send(withBody('POST', '/v1/{project_id}/workspaces', body));
    },
    /** Like the generated client, only ListWorkspaceRequest's 7 parameters are sent; others are dropped. */
    listWorkspace(query: Record<string, QueryValue> = {}) {
      const queryParams: Record<string, QueryValue> = {};
      for (const key of LIST_QUERY_KEYS) {
        const value = query[key];
        if (value !== null && value !== undefined) queryParams[key] = value;
      }
      return send(operation('GET', '/v1/{project_id}/workspaces', { queryParams }));
    },
    showWorkspace(workspaceId: string) {
      return send(operation('GET', ws, { pathParams: byId(workspaceId, 'showWorkspace') }));
    },
    updateWorkspace(workspaceId: string, body: object) {
      const pathParams = byId(workspaceId, 'updateWorkspace');
      requireValue('body', body, 'updateWorkspace');
      return send(withBody('PUT', ws, body, pathParams));
    },
    deleteWorkspace(workspaceId: string) {
      return send(operation('DELETE', ws, { pathParams: byId(workspaceId, 'deleteWorkspace') }));
    },
    showWorkspaceQuotas(workspaceId: string) {
      return send(operation('GET', `${ws}/quotas`, { pathParams: byId(workspaceId, 'showWorkspaceQuotas') }));
    },
    updateWorkspaceQuotas(workspaceId: string, body: object) {
      const pathParams = byId(workspaceId, 'updateWorkspaceQuotas');
      requireValue('body', body, 'updateWorkspaceQuotas');
      return send(withBody('PUT', `${ws}/quotas`, body, pathParams));
    },
    validateAuthorization(workspaceId: string, body: object) {
      const pathParams = byId(workspaceId, 'validateAuthorization');
      requireValue('body', body, 'validateAuthorization');
      return send(withBody('POST', `${ws}/auth`, body, pathParams));
    },
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RecordingServer {
  endpoint: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

type Responder = (req: RecordedRequest) => { status: number; headers?: Record<string, string>; body?: unknown };

/** A node:http server on 127.0.0.1 (random port) that records each request exactly as received. */
export async function startRecordingServer(
  respond: Responder = () => ({ status: 200, body: {} }),
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      const out = respond(recorded);
      res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
      res.end(out.body === undefined ? '' : JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
