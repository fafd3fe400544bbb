import { navigate } from './router';
import { clearSession, isExpired, type Session, session } from './session';

/** src/audit/request-trace.ts's CONSOLE_CLIENT_HEADER, written out: nothing of the server is bundled. */
const CONSOLE_CLIENT_HEADER = 'x-maws-client';

/** A failed call: the API's {error_code, error_msg, request_id}, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string,
  ) {
    super(message);
  }
}

interface CallOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** a session other than the current one (signing out uses the one it ends) */
  session?: Session | null;
  /** a 401 is the answer itself (signing in), not an expired session */
  anonymous?: boolean;
}

interface ApiResponse<T> {
  body: T;
  headers: Headers;
}

/** The session has ended behind the console's back: back to signing in, saying so. */
export function expireSession(): void {
  clearSession();
  // Requests in flight together each get their 401: the first one says where to come back to.
  if (window.location.pathname.startsWith('/console/sign-in')) return;
  navigate('/sign-in', { reason: 'expired', next: `${window.location.pathname}${window.location.search}` }, { replace: true });
}

async function errorOf(response: Response): Promise<ApiError> {
  const requestId = response.headers.get('x-request-id') ?? '';
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error_code?: unknown; error_msg?: unknown; request_id?: unknown };
    if (typeof body.error_code === 'string' && typeof body.error_msg === 'string') {
      return new ApiError(response.status, body.error_code, body.error_msg, typeof body.request_id === 'string' ? body.request_id : requestId);
    }
  } catch {
    // not the API's error body: a proxy's page, say
  }
  return new ApiError(response.status, `HTTP ${response.status}`, text.slice(0, 200) || response.statusText, requestId);
}

/** A call to the public API with the session's X-Auth-Token, as the SDKs make it. */
export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const current = options.session === undefined ? session.get() : options.session;
  if (!options.anonymous && current && isExpired(current)) {
    expireSession();
    throw new ApiError(401, 'session_expired', 'session expired', '');
  }
  // The audit trail tells the console's calls (ConsoleAction) from the SDKs' (ApiCall) by this header.
  const headers: Record<string, string> = { accept: 'application/json', [CONSOLE_CLIENT_HEADER]: 'console', ...options.headers };
  if (!options.anonymous && current) headers['x-auth-token'] = current.token;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) search.set(key, String(value));
  const url = search.size === 0 ? path : `${path}?${search}`;
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body, signal: options.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', (error as Error).message, '');
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && !options.anonymous && options.session === undefined) expireSession();
    throw error;
  }
  const text = await response.text();
  return { body: (text === '' ? undefined : JSON.parse(text)) as T, headers: response.headers };
}

/** CTS's path for the current project: /v3/{project_id}/traces. */
export function tracesPath(): string {
  const current = session.get();
  if (current === null) throw new ApiError(401, 'session_expired', 'not signed in', '');
  return `/v3/${encodeURIComponent(current.projectId)}/traces`;
}

/** The current project's id, for the /v1/{project_id}/… routes. */
export function projectPath(suffix: string): string {
  const current = session.get();
  if (current === null) throw new ApiError(401, 'session_expired', 'not signed in', '');
  return `/v1/${encodeURIComponent(current.projectId)}${suffix}`;
}
