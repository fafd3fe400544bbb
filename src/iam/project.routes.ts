import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/request-context.js';
import type { IamService } from './iam.service.js';
import type { ProjectRow } from './identity.repository.js';
import { ProjectList, ProjectListQuery, type ProjectView } from './project.schemas.js';

/** Keystone's project object; every project here is an enabled child of its account. */
export function projectView(p: ProjectRow): ProjectView {
  return { id: p.id, name: p.name, domain_id: p.domain_id, parent_id: p.domain_id, description: '', enabled: true, is_domain: false };
}

/** Keystone's project list: the SDKs look a region's project id up by name. */
export function projectRoutes(deps: { iam: IamService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/projects',
      {
        config: { errorFamily: 'iam' },
        schema: { operationId: 'KeystoneListProjects', tags: ['IAM'], querystring: ProjectListQuery, response: { 200: ProjectList } },
      },
      async (request) => {
        const principal = principalOf(request);
        const rows = await deps.iam.listProjects(principal.domainId, request.query.name);
        return {
          projects: rows.map(projectView),
          links: { self: request.url, previous: null, next: null },
        };
      },
    );
  };
}
