import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { principalOf } from '../http/request-context.js';
import { ErrorSchema } from '../http/schemas.js';
import { traceOf, traced } from '../audit/request-trace.js';
import type { AuthService } from './auth.service.js';
import { tokenBody } from './token-body.js';
import { TokenRequestBody, TokenResponse } from './token.schemas.js';

const config = { errorFamily: 'iam' as const };
const LOGIN_BODY_LIMIT = 64 * 1024;
const tags = ['IAM'];

/** Keystone's token API: sign in with a password, revoke a token. */
export function tokenRoutes(deps: { auth: AuthService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/auth/tokens',
      {
        config: traced({ ...config, public: true, signIn: true }, { service: 'IAM', resourceType: 'user', name: 'login', code: 201 }),
        // Read before anyone is known: a login needs a few hundred bytes, not the API's body limit.
        bodyLimit: LOGIN_BODY_LIMIT,
        schema: {
          operationId: 'KeystoneCreateUserTokenByPassword',
          tags,
          body: TokenRequestBody,
          response: { 201: TokenResponse, 401: ErrorSchema },
        },
      },
      async (request, reply) => {
        const { identity, scope } = request.body.auth;
        const user = identity.password.user;
        if (user.id === undefined && (user.name === undefined || user.domain === undefined)) {
          throw new AppError('iam_invalid_parameter', 'identify the user by id, or by name together with its domain');
        }
        const issued = await deps.auth.issueToken({
          userId: user.id,
          userName: user.name,
          password: user.password,
          domainId: user.domain?.id,
          domainName: user.domain?.name,
          scope: scope && {
            projectId: scope.project?.id,
            projectName: scope.project?.name,
            domainId: scope.domain?.id,
            domainName: scope.domain?.name,
          },
        }, traceOf(request));
        return reply.status(201).header('X-Subject-Token', issued.token).send(tokenBody(issued));
      },
    );

    app.delete(
      '/v3/auth/tokens',
      {
        config: traced(config, { service: 'IAM', resourceType: 'token', name: 'revokeToken', code: 204 }),
        schema: {
          operationId: 'KeystoneRevokeToken',
          tags,
          headers: Type.Object({ 'x-subject-token': Type.String({ minLength: 1, description: 'the token to revoke' }) }),
        },
      },
      async (request, reply) => {
        await deps.auth.revokeToken(principalOf(request), request.headers['x-subject-token'], traceOf(request));
        return reply.status(204).send();
      },
    );
  };
}
