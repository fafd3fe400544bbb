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
const tags = ['Enterprise projects'];
const BASE = '/v1.0/enterprise-projects';

/** The EPS API subset: enterprise projects group workspaces; "0" is the built-in default. */
export function enterpriseProjectRoutes(deps: { enterpriseProjects: EnterpriseProjectService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { enterpriseProjects: eps } = deps;

    app.post(
      BASE,
      {
        config,
        schema: {
          operationId: 'CreateEnterpriseProject',
          tags,
          body: CreateEnterpriseProjectBody,
          response: { 200: EnterpriseProjectResult },
        },
      },
      async (request) => ({ enterprise_project: await eps.create(principalOf(request), request.body) }),
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
        config,
        schema: {
          operationId: 'UpdateEnterpriseProject',
          tags,
          params: EnterpriseProjectParams,
          body: UpdateEnterpriseProjectBody,
          response: { 200: EnterpriseProjectResult },
        },
      },
      async (request) => ({
        enterprise_project: await eps.update(principalOf(request), request.params.enterprise_project_id, request.body),
      }),
    );

    app.post(
      `${BASE}/:enterprise_project_id/action`,
      {
        config,
        schema: {
          operationId: 'EnableOrDisableEnterpriseProject',
          tags,
          params: EnterpriseProjectParams,
          body: EnterpriseProjectActionBody,
        },
      },
      async (request, reply) => {
        await eps.act(principalOf(request), request.params.enterprise_project_id, request.body);
        return reply.status(204).send();
      },
    );
  };
}
