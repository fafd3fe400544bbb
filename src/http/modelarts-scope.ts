import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../iam/auth.service.js';
import type { ProjectRef } from '../iam/identity.repository.js';
import { AppError } from '../errors.js';
import { addRouteHook } from './route-hooks.js';

declare module 'fastify' {
  interface FastifyRequest {
    project: ProjectRef | null;
  }
}

/** Every /v1/{project_id}/… route: the project must belong to the authenticated credential. */
export function installProjectGuard(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('project', null);
  const guard = async (request: FastifyRequest) => {
    const { project_id } = request.params as { project_id: string };
    request.project = await auth.authorizeProject(request.principal!, project_id, request.headers['x-project-id']);
  };
  // After the authentication hook, which the root added first.
  app.addHook('onRoute', (route) => addRouteHook(route, 'preValidation', guard, 'last'));
}

export function projectOf(request: FastifyRequest): ProjectRef {
  if (!request.project) throw new AppError('project_mismatch', 'no project for this request');
  return request.project;
}
