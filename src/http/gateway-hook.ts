import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../iam/auth.service.js';
import { rawBodyOf } from './plumbing.js';
import { addRouteHook } from './route-hooks.js';

/**
 * What the API gateway in front of ModelArts does, as the first preValidation hook of every
 * route: it stamps the X-Request-Id, checks credentials (401), and only then reports a bad body
 * (400). It runs after the body was read because an AK/SK signature covers the body bytes.
 * Routes marked `public` skip the credentials. Error replies get their request id from
 * sendError, which also covers unmatched URLs (404) and failures before this hook.
 */
export function installGateway(app: FastifyInstance, auth: AuthService): void {
  app.addHook('onRoute', (route) => {
    // route.config is read when a request comes: later onRoute hooks (the docs) may still mark it public.
    const gateway = async (request: FastifyRequest, reply: FastifyReply) => {
      reply.header('X-Request-Id', request.id);
      if (route.config?.public !== true) {
        request.principal = await auth.authenticate({
          method: request.method,
          url: request.raw.url ?? request.url,
          headers: request.headers,
          body: rawBodyOf(request),
        });
      }
      if (request.bodyError) throw request.bodyError;
    };
    addRouteHook(route, 'preValidation', gateway, 'first');
  });
}
