import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Principal } from '../access/principal.js';
import type { Config } from '../config.js';
import { rawBodyOf } from '../http/request-context.js';
import type { RouteNeedProviders } from '../http/route-needs.js';
import type { IamService } from '../iam/iam.service.js';
import { type AuthService, createAuthService } from './auth.service.js';
import { tokenRoutes } from './token.routes.js';

export interface AuthModule {
  service: AuthService;
  routes: FastifyPluginAsync;
  /**
   * What the API gateway checks before any route, before the body is read: the caller's token, or
   * the AK/SK key, whose signature is then checked over the body by the function returned (401).
   */
  authenticate: RouteNeedProviders['authenticate'];
  /** the /v1/{project_id}/… project must belong to the caller's credential (403) */
  scopeToProject: RouteNeedProviders['scopeToProject'];
}

type RequestHead = Parameters<AuthService['authenticate']>[0];
type Authenticated = Awaited<ReturnType<AuthService['authenticate']>>;

/** The principal, or for an AK/SK signature the check to run over the body once it is read. */
function overBody(head: RequestHead, found: Authenticated): Principal | ((request: FastifyRequest) => Principal) {
  return typeof found === 'function' ? (received) => found({ ...head, body: rawBodyOf(received) }) : found;
}

/** Authentication: token issuing and revocation, AK/SK verification, the credential cache. */
export function createAuthModule(deps: { config: Config['auth']; iam: IamService; now: () => number }): AuthModule {
  const service = createAuthService(deps);
  return {
    service,
    routes: tokenRoutes({ auth: service }),
    authenticate(request) {
      const head = { method: request.method, url: request.raw.url ?? request.url, headers: request.headers };
      const found = service.authenticate(head);
      return found instanceof Promise ? found.then((settled) => overBody(head, settled)) : overBody(head, found);
    },
    scopeToProject: (request, principal) =>
      service.authorizeProject(principal, (request.params as { project_id: string }).project_id, request.headers['x-project-id']),
  };
}
