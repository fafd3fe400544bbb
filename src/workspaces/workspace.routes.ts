import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { traceOf, traced } from '../audit/request-trace.js';
import { sendJsonText } from '../http/json-text.js';
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

/** A change route: project-scoped, and recorded in the audit trail under this trace name. */
function changeRoute(name: string, resourceParam?: string) {
  return traced(MODELARTS_ROUTE, { service: 'ModelArts', resourceType: 'workspace', name, resourceParam });
}

export function workspaceRoutes(workspaces: WorkspaceService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/:project_id/workspaces',
      {
        config: changeRoute('createWorkspace'),
        schema: {
          operationId: 'CreateWorkspace',
          tags,
          params: ProjectParams,
          body: CreateWorkspaceBody,
          response: { 200: WorkspaceView },
        },
      },
      (request) => workspaces.create(principalOf(request), projectOf(request), request.body, traceOf(request)),
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
      async (request, reply) => sendJsonText(reply, await workspaces.list(principalOf(request), projectOf(request), request.query)),
    );

    app.get(
      '/v1/:project_id/workspaces/:workspace_id',
      { config: MODELARTS_ROUTE, schema: { operationId: 'ShowWorkspace', tags, params: WorkspaceParams, response: { 200: WorkspaceView } } },
      async (request, reply) => sendJsonText(reply, await workspaces.show(principalOf(request), request.params.project_id, request.params.workspace_id)),
    );

    app.put(
      '/v1/:project_id/workspaces/:workspace_id',
      {
        config: changeRoute('updateWorkspace', 'workspace_id'),
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
        await workspaces.update(principalOf(request), project_id, workspace_id, request.body ?? {}, traceOf(request));
        return { workspace_id };
      },
    );

    app.delete(
      '/v1/:project_id/workspaces/:workspace_id',
      {
        config: changeRoute('deleteWorkspace', 'workspace_id'),
        schema: { operationId: 'DeleteWorkspace', tags, params: WorkspaceParams, response: { 200: WorkspaceIdResult } },
      },
      async (request) => {
        const { project_id, workspace_id } = request.params;
        await workspaces.requestDeletion(principalOf(request), project_id, workspace_id, traceOf(request));
        return { workspace_id };
      },
    );
  };
}
