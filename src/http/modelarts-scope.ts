import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../iam/auth.service.js';
import type { ProjectRow } from '../iam/identity.repository.js';
import { AppError } from '../errors.js';
import { authenticateHook } from './auth-hook.js';

declare module 'fastify' {
  interface FastifyRequest {
    project: ProjectRow | null;
  }
}

/** Every /v1/{project_id}/… route: authenticate, then make sure the project belongs to the credential. */
export function installProjectGuard(app: FastifyInstance, auth: AuthService): void {
  const authenticate = authenticateHook(auth);
  app.decorateRequest('project', null);
  app.addHook('preValidation', async (request: FastifyRequest) => {
    await authenticate(request);
    const { project_id } = request.params as { project_id: string };
    request.project = await auth.authorizeProject(request.principal!, project_id, request.headers['x-project-id']);
  });
}

export function projectOf(request: FastifyRequest): ProjectRow {
  if (!request.project) throw new AppError('project_mismatch', 'no project for this request');
  return request.project;
}
