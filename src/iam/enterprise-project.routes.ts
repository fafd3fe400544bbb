import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authenticateHook } from '../http/auth-hook.js';
import { principalOf } from '../http/plumbing.js';
import type { AuthService } from './auth.service.js';
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
export function enterpriseProjectRoutes(deps: {
  auth: AuthService;
  enterpriseProjects: EnterpriseProjectService;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    const preValidation = authenticateHook(deps.auth);
    const { enterpriseProjects: eps } = deps;

    app.post(
      BASE,
      {
        config,
        preValidation,
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
        preValidation,
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
        preValidation,
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
        preValidation,
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
        preValidation,
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
