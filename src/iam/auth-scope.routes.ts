import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/request-context.js';
import { AuthDomainList, AuthProjectList } from './auth-scope.schemas.js';
import type { IamService } from './iam.service.js';
import { projectView } from './project.service.js';

const config = { errorFamily: 'iam' as const };
const tags = ['IAM'];

/**
 * What the caller may scope a token to (Keystone's /v3/auth/…): the SDKs ask for the domain id
 * here when GlobalCredentials carry none. Every project of the caller's account is usable by it.
 */
export function authScopeRoutes(deps: { iam: IamService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/auth/projects',
      { config, schema: { operationId: 'KeystoneListAuthProjects', tags, response: { 200: AuthProjectList } } },
      async (request) => {
        const rows = await deps.iam.listProjects(principalOf(request).domainId);
        return { projects: rows.map(projectView), links: { self: request.url, previous: null, next: null } };
      },
    );

    app.get(
      '/v3/auth/domains',
      { config, schema: { operationId: 'KeystoneListAuthDomains', tags, response: { 200: AuthDomainList } } },
      (request) => {
        const { domainId, domainName } = principalOf(request);
        const domain = { id: domainId, name: domainName, description: '', enabled: true, links: { self: `/v3/domains/${domainId}` } };
        return { domains: [domain], links: { self: request.url, previous: null, next: null } };
      },
    );
  };
}
