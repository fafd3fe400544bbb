import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../iam/auth.service.js';
import { rawBodyOf } from './plumbing.js';
import { addRouteHook } from './route-hooks.js';

/**
 * A preValidation hook first on every route, like the gateway in front of ModelArts: credentials
 * are checked first (401), and only then is a bad body reported (400). It runs after the body
 * was read because an AK/SK signature covers the body bytes. Routes marked `public` skip the
 * credentials; unmatched URLs get no hooks and answer 404.
 */
export function installAuthentication(app: FastifyInstance, auth: AuthService): void {
  app.addHook('onRoute', (route) => {
    // route.config is read when a request comes: later onRoute hooks (the docs) may still mark it public.
    addRouteHook(
      route,
      'preValidation',
      async (request: FastifyRequest) => {
        if (route.config?.public !== true) {
          request.principal = await auth.authenticate({
            method: request.method,
            url: request.raw.url ?? request.url,
            headers: request.headers,
            body: rawBodyOf(request),
          });
        }
        if (request.bodyError) throw request.bodyError;
      },
      'first',
    );
  });
}
