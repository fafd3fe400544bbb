import { traceOf, traced } from '../audit/request-trace.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/request-context.js';
import type { IamService } from './iam.service.js';
import { CreateProjectBody, ProjectList, ProjectListQuery, ProjectResult } from './project.schemas.js';
import { type ProjectService, projectView } from './project.service.js';

const config = { errorFamily: 'iam' as const };
const tags = ['IAM'];

/** Keystone's projects: the SDKs look a region's project id up by name; a root creates sub-projects. */
export function projectRoutes(deps: { iam: IamService; projects: ProjectService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/projects',
      { config, schema: { operationId: 'KeystoneListProjects', tags, querystring: ProjectListQuery, response: { 200: ProjectList } } },
      async (request) => {
        const principal = principalOf(request);
        const rows = await deps.iam.listProjects(principal.domainId, request.query.name);
        return {
          projects: rows.map(projectView),
          links: { self: request.url, previous: null, next: null },
        };
      },
    );

    app.post(
      '/v3/projects',
      { config: traced(config, { service: 'IAM', resourceType: 'project', name: 'createProject', code: 201 }), schema: { operationId: 'KeystoneCreateProject', tags, body: CreateProjectBody, response: { 201: ProjectResult } } },
      async (request, reply) => {
        const project = await deps.projects.create(principalOf(request), request.body, traceOf(request));
        return reply.status(201).send({ project });
      },
    );
  };
}
