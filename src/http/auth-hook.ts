import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../iam/auth.service.js';
import { rawBodyOf } from './plumbing.js';

/**
 * One preValidation hook for every route, like the gateway in front of ModelArts: credentials
 * are checked first (401), and only then is a bad body reported (400). It runs after the body
 * was read because an AK/SK signature covers the body bytes. Routes marked `public` skip it.
 */
export function installAuthentication(app: FastifyInstance, auth: AuthService): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (!request.is404 && request.routeOptions.config?.public !== true) {
      request.principal = await auth.authenticate({
        method: request.method,
        url: request.raw.url ?? request.url,
        headers: request.headers,
        body: rawBodyOf(request),
      });
    }
    if (request.bodyError) throw request.bodyError;
  });
}
