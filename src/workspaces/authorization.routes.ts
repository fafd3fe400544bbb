import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/request-context.js';
import { MODELARTS_ROUTE, WorkspaceParams } from '../http/schemas.js';
import { validateAuthorization } from './authorization.js';
import { ValidateAuthorizationBody, ValidateAuthorizationResult } from './authorization.schemas.js';
import type { WorkspaceService } from './workspace.service.js';

export function authorizationRoutes(deps: { workspaces: WorkspaceService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/:project_id/workspaces/:workspace_id/auth',
      {
        config: MODELARTS_ROUTE,
        schema: {
          operationId: 'ValidateAuthorization',
          tags: ['Workspaces'],
          params: WorkspaceParams,
          body: ValidateAuthorizationBody,
          response: { 200: ValidateAuthorizationResult },
        },
      },
      async (request) => ({
        results: await validateAuthorization(
          deps,
          principalOf(request),
          request.params.project_id,
          request.params.workspace_id,
          request.body,
        ),
      }),
    );
  };
}
