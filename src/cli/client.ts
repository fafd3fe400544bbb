// HTTP client for the API: AK/SK requests are signed like the official SDK (SDK-HMAC-SHA256 over
// content-type, host, x-project-id and x-sdk-date) with the server's own canonicalisation
// functions; token requests carry X-Auth-Token. Failures become ApiError / CliError.
import { canonicalRequest, encodeRfc3986, formatSdkDate, hmacHex, SIGNING_ALGORITHM, stringToSign } from '../auth/aksk-signature.js';
import { ApiError, CliError, UsageError } from './errors.js';

type Credentials =
  | { kind: 'aksk'; accessKey: string; secretKey: string; projectId?: string }
  | { kind: 'token'; token: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'none' };

type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** sent as they are, after the credential headers (not signed) */
  headers?: Record<string, string>;
}

interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

const REQUEST_TIMEOUT_MS = 60_000;

/** Path segments from user input (workspace ids, access keys) are always percent-encoded. */
export function seg(value: string): string {
  // URLs resolve "." and ".." segments (even percent-encoded) instead of sending them
  if (/^(\.|%2e){1,2}$/i.test(value)) throw new UsageError(`invalid id "${value}"`);
  return encodeURIComponent(value);
}

function queryString(query: Query | undefined): string {
  const pairs = Object.entries(query ?? {})
    .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(String(v))}`);
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

/** "connect ECONNREFUSED 127.0.0.1:1" from fetch's nested causes */
function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  }
  let cause: unknown = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (cause instanceof AggregateError && cause.errors.length > 0) cause = cause.errors[0];
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return cause.message || code || cause.name;
  }
  return String(cause);
}

export class ApiClient {
  private readonly base: URL;

  constructor(
    readonly endpoint: string,
    private readonly credentials: Credentials,
    /** added to 401 errors, e.g. "run maws login again" for token profiles */
    private readonly authHint?: string,
    private readonly now: () => number = Date.now,
  ) {
    this.base = new URL(endpoint);
  }

  /** the URL for an API path, keeping any path prefix of the endpoint (e.g. behind a gateway) */
  private urlFor(pathAndQuery: string): URL {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    return new URL(`${this.base.protocol}//${this.base.host}${prefix}${pathAndQuery}`);
  }

  private headersFor(method: string, url: URL, body: string): Record<string, string> {
    const c = this.credentials;
    if (c.kind === 'token') {
      return { 'content-type': 'application/json', 'x-auth-token': c.token };
    }
    if (c.kind === 'bearer') return { 'content-type': 'application/json', authorization: `Bearer ${c.token}` };
    if (c.kind === 'none') return { 'content-type': 'application/json' };
    const signed: Record<string, string> = {
      'content-type': 'application/json',
      host: url.host,
      'x-sdk-date': formatSdkDate(this.now()),
    };
    if (c.projectId !== undefined) signed['x-project-id'] = c.projectId;
    const signedHeaders = Object.keys(signed).sort();
    const canonical = canonicalRequest(
      { method, url: url.pathname + url.search, headers: signed, body: Buffer.from(body, 'utf8') },
      signedHeaders,
    );
    const signature = hmacHex(c.secretKey, stringToSign(signed['x-sdk-date']!, canonical));
    // fetch sends this same Host itself (and refuses to have it set)
    const { host: _host, ...sent } = signed;
    sent.authorization = `${SIGNING_ALGORITHM} Access=${c.accessKey}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
    return sent;
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = this.urlFor(path + queryString(options.query));
    const body = options.body === undefined ? '' : JSON.stringify(options.body);
    const headers = { ...this.headersFor(method, url, body), ...options.headers };
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === '' ? undefined : body,
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      throw new CliError(`cannot reach ${this.endpoint}: ${networkReason(error)}`);
    }
    if (!response.ok) throw this.failure(method, url, response, text);
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new CliError(`${method} ${url.pathname}: the server answered HTTP ${response.status} with a body that is not JSON`);
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /** The error for an answer that is not 2xx: the API's error body, or a server that is not ours. */
  private failure(method: string, url: URL, response: Response, text: string): Error {
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const e = parsed as { error_code?: unknown; error_msg?: unknown; request_id?: unknown } | undefined;
    const requestId = typeof e?.request_id === 'string' ? e.request_id : (response.headers.get('x-request-id') ?? undefined);
    if (e && typeof e.error_code === 'string') {
      const hints = response.status === 401 && this.authHint ? [this.authHint] : [];
      return new ApiError(response.status, e.error_code, typeof e.error_msg === 'string' ? e.error_msg : '', requestId, parsed, hints);
    }
    return new CliError(
      `${method} ${url.pathname}: HTTP ${response.status} ${response.statusText} from ${this.endpoint}` +
        (requestId ? ` (request id ${requestId})` : '') +
        ': is this a ModelArts workspace server?',
    );
  }

  /**
   * A GET whose 2xx body is read as it arrives (a long export): the timeout covers only the wait
   * for the answer's headers. Errors are those of request().
   */
  async stream(path: string, query?: Query): Promise<AsyncIterable<Uint8Array>> {
    const url = this.urlFor(path + queryString(query));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('timeout', 'TimeoutError')), REQUEST_TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(url, { method: 'GET', headers: this.headersFor('GET', url, ''), redirect: 'manual', signal: controller.signal });
    } catch (error) {
      throw new CliError(`cannot reach ${this.endpoint}: ${networkReason(error)}`);
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok || response.body === null) {
      const text = await response.text().catch(() => '');
      throw this.failure('GET', url, response, text);
    }
    const body = response.body;
    const endpoint = this.endpoint;
    return (async function* () {
      try {
        for await (const chunk of body) yield chunk;
      } catch (error) {
        throw new CliError(`the answer from ${endpoint} broke off: ${networkReason(error)}`);
      }
    })();
  }

  get<T = unknown>(path: string, query?: Query) {
    return this.request<T>('GET', path, { query });
  }
  post<T = unknown>(path: string, body: unknown, query?: Query) {
    return this.request<T>('POST', path, { body, query });
  }
  put<T = unknown>(path: string, body: unknown) {
    return this.request<T>('PUT', path, { body });
  }
  patch<T = unknown>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, { body });
  }
  delete<T = unknown>(path: string) {
    return this.request<T>('DELETE', path);
  }
}
