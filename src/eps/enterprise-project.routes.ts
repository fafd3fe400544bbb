import { traceOf, traced } from '../audit/request-trace.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/request-context.js';
import {
  CreateEnterpriseProjectBody,
  EnterpriseProjectActionBody,
  EnterpriseProjectList,
  EnterpriseProjectParams,
  EnterpriseProjectResult,
  ListEnterpriseProjectsQuery,
  UpdateEnterpriseProjectBody,
} from './enterprise-project.schemas.js';
import type { EnterpriseProjectService } from './enterprise-project.service.js';

const config = { errorFamily: 'iam' as const };

/** A change route: recorded in the audit trail under this trace name. */
function changeConfig(name: string, resourceParam?: string, code?: number) {
  return traced(config, { service: 'EPS', resourceType: 'enterpriseProject', name, resourceParam, code });
}
const tags = ['Enterprise projects'];
const BASE = '/v1.0/enterprise-projects';

/** The EPS API subset: enterprise projects group workspaces; "0" is the built-in default. */
export function enterpriseProjectRoutes(deps: { enterpriseProjects: EnterpriseProjectService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { enterpriseProjects: eps } = deps;

    app.post(
      BASE,
      {
        config: changeConfig('createEnterpriseProject'),
        schema: {
          operationId: 'CreateEnterpriseProject',
          tags,
          body: CreateEnterpriseProjectBody,
          response: { 200: EnterpriseProjectResult },
        },
      },
      async (request) => ({ enterprise_project: await eps.create(principalOf(request), request.body, traceOf(request)) }),
    );

    app.get(
      BASE,
      {
        config,
        schema: {
          operationId: 'ListEnterpriseProject',
          tags,
          querystring: ListEnterpriseProjectsQuery,
          response: { 200: EnterpriseProjectList },
        },
      },
      (request) => eps.list(principalOf(request), request.query),
    );

    app.get(
      `${BASE}/:enterprise_project_id`,
      {
        config,
        schema: {
          operationId: 'ShowEnterpriseProject',
          tags,
          params: EnterpriseProjectParams,
          response: { 200: EnterpriseProjectResult },
        },
      },
      async (request) => ({
        enterprise_project: await eps.show(principalOf(request), request.params.enterprise_project_id),
      }),
    );

    app.put(
      `${BASE}/:enterprise_project_id`,
      {
        config: changeConfig('updateEnterpriseProject', 'enterprise_project_id'),
        schema: {
          operationId: 'UpdateEnterpriseProject',
          tags,
          params: EnterpriseProjectParams,
          body: UpdateEnterpriseProjectBody,
          response: { 200: EnterpriseProjectResult },
        },
      },
      async (request) => ({
        enterprise_project: await eps.update(principalOf(request), request.params.enterprise_project_id, request.body, traceOf(request)),
      }),
    );

    app.post(
      `${BASE}/:enterprise_project_id/action`,
      {
        config: changeConfig('enableOrDisableEnterpriseProject', 'enterprise_project_id', 204),
        schema: {
          operationId: 'EnableOrDisableEnterpriseProject',
          tags,
          params: EnterpriseProjectParams,
          body: EnterpriseProjectActionBody,
        },
      },
      async (request, reply) => {
        await eps.act(principalOf(request), request.params.enterprise_project_id, request.body, traceOf(request));
        return reply.status(204).send();
      },
    );
  };
}
