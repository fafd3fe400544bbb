import { traceOf, traced } from '../audit/request-trace.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/request-context.js';
import { MODELARTS_ROUTE, WorkspaceParams } from '../http/schemas.js';
import { QuotaList, UpdatedQuotaList, UpdateQuotasBody } from './quota.schemas.js';
import type { QuotaService } from './quota.service.js';

const tags = ['Workspace quotas'];

export function quotaRoutes(quotas: QuotaService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/:project_id/workspaces/:workspace_id/quotas',
      { config: MODELARTS_ROUTE, schema: { operationId: 'ShowWorkspaceQuotas', tags, params: WorkspaceParams, response: { 200: QuotaList } } },
      async (request) => ({
        quotas: await quotas.show(principalOf(request), request.params.project_id, request.params.workspace_id),
      }),
    );

    app.put(
      '/v1/:project_id/workspaces/:workspace_id/quotas',
      {
        config: traced(MODELARTS_ROUTE, { service: 'ModelArts', resourceType: 'workspace', name: 'updateWorkspaceQuotas', resourceParam: 'workspace_id' }),
        schema: {
          operationId: 'UpdateWorkspaceQuotas',
          tags,
          params: WorkspaceParams,
          body: UpdateQuotasBody,
          response: { 200: UpdatedQuotaList },
        },
      },
      async (request) => ({
        quotas: await quotas.update(
          principalOf(request),
          request.params.project_id,
          request.params.workspace_id,
          request.body,
          traceOf(request),
        ),
      }),
    );
  };
}
