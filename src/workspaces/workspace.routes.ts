import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf, projectOf } from '../http/request-context.js';
import { MODELARTS_ROUTE, ProjectParams, WorkspaceParams } from '../http/schemas.js';
import {
  CreateWorkspaceBody,
  ListWorkspaceQuery,
  UpdateWorkspaceBody,
  WorkspaceIdResult,
  WorkspaceList,
  WorkspaceView,
} from './workspace.schemas.js';
import type { WorkspaceService } from './workspace.service.js';

const tags = ['Workspaces'];

export function workspaceRoutes(workspaces: WorkspaceService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/:project_id/workspaces',
      {
        config: MODELARTS_ROUTE,
        schema: {
          operationId: 'CreateWorkspace',
          tags,
          params: ProjectParams,
          body: CreateWorkspaceBody,
          response: { 200: WorkspaceView },
        },
      },
      (request) => workspaces.create(principalOf(request), projectOf(request), request.body),
    );

    app.get(
      '/v1/:project_id/workspaces',
      {
        config: MODELARTS_ROUTE,
        schema: {
          operationId: 'ListWorkspace',
          tags,
          params: ProjectParams,
          querystring: ListWorkspaceQuery,
          response: { 200: WorkspaceList },
        },
      },
      (request) => workspaces.list(principalOf(request), projectOf(request), request.query),
    );

    app.get(
      '/v1/:project_id/workspaces/:workspace_id',
      { config: MODELARTS_ROUTE, schema: { operationId: 'ShowWorkspace', tags, params: WorkspaceParams, response: { 200: WorkspaceView } } },
      (request) => workspaces.show(principalOf(request), request.params.project_id, request.params.workspace_id),
    );

    app.put(
      '/v1/:project_id/workspaces/:workspace_id',
      {
        config: MODELARTS_ROUTE,
        schema: {
          operationId: 'UpdateWorkspace',
          tags,
          params: WorkspaceParams,
          body: UpdateWorkspaceBody,
          response: { 200: WorkspaceIdResult },
        },
      },
      async (request) => {
        const { project_id, workspace_id } = request.params;
        await workspaces.update(principalOf(request), project_id, workspace_id, request.body ?? {});
        return { workspace_id };
      },
    );

    app.delete(
      '/v1/:project_id/workspaces/:workspace_id',
      {
        config: MODELARTS_ROUTE,
        schema: { operationId: 'DeleteWorkspace', tags, params: WorkspaceParams, response: { 200: WorkspaceIdResult } },
      },
      async (request) => {
        const { project_id, workspace_id } = request.params;
        await workspaces.requestDeletion(principalOf(request), project_id, workspace_id);
        return { workspace_id };
      },
    );
  };
}
