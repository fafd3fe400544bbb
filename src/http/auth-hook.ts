import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../iam/auth.service.js';
import { rawBodyOf } from './plumbing.js';

/** preValidation: runs after the body is read (signatures cover it) and before input validation. */
export function authenticateHook(auth: AuthService) {
  return async (request: FastifyRequest): Promise<void> => {
    request.principal = await auth.authenticate({
      method: request.method,
      url: request.raw.url ?? request.url,
      headers: request.headers,
      body: rawBodyOf(request),
    });
  };
}
