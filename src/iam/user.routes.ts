import { traceOf, traced } from '../audit/request-trace.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/request-context.js';
import { CreateUserBody, ListUsersQuery, UpdateUserBody, UserList, UserParams, UserResult } from './user.schemas.js';
import type { UserService } from './user.service.js';

const config = { errorFamily: 'iam' as const };
const tags = ['IAM'];

/** Keystone-style user management: the root user manages the users of its own account. */
export function userRoutes(deps: { users: UserService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { users } = deps;

    app.post(
      '/v3/users',
      {
        config: traced(config, { service: 'IAM', resourceType: 'user', name: 'createUser', code: 201 }),
        schema: { operationId: 'KeystoneCreateUser', tags, body: CreateUserBody, response: { 201: UserResult } },
      },
      async (request, reply) => {
        const user = await users.create(principalOf(request), request.body, traceOf(request));
        return reply.status(201).send({ user });
      },
    );

    app.get(
      '/v3/users',
      {
        config,
        schema: { operationId: 'KeystoneListUsers', tags, querystring: ListUsersQuery, response: { 200: UserList } },
      },
      (request) => users.list(principalOf(request), request.query.name),
    );

    app.get(
      '/v3/users/:user_id',
      {
        config,
        schema: { operationId: 'KeystoneShowUser', tags, params: UserParams, response: { 200: UserResult } },
      },
      async (request) => ({ user: await users.show(principalOf(request), request.params.user_id) }),
    );

    app.patch(
      '/v3/users/:user_id',
      {
        config: traced(config, { service: 'IAM', resourceType: 'user', name: 'updateUser', resourceParam: 'user_id' }),
        schema: {
          operationId: 'KeystoneUpdateUserByAdmin',
          tags,
          params: UserParams,
          body: UpdateUserBody,
          response: { 200: UserResult },
        },
      },
      async (request) => ({ user: await users.update(principalOf(request), request.params.user_id, request.body, traceOf(request)) }),
    );

    app.post(
      '/v3/users/:user_id/unlock',
      {
        config: traced(config, { service: 'IAM', resourceType: 'user', name: 'unlockUser', resourceParam: 'user_id', code: 204 }),
        schema: {
          operationId: 'MawsUnlockUser',
          summary: 'End a user\'s sign-in lockout now (this service\'s own operation; root only)',
          tags,
          params: UserParams,
        },
      },
      async (request, reply) => {
        await users.unlock(principalOf(request), request.params.user_id, traceOf(request));
        return reply.status(204).send();
      },
    );

    app.delete(
      '/v3/users/:user_id',
      { config: traced(config, { service: 'IAM', resourceType: 'user', name: 'deleteUser', resourceParam: 'user_id', code: 204 }), schema: { operationId: 'KeystoneDeleteUser', tags, params: UserParams } },
      async (request, reply) => {
        await users.remove(principalOf(request), request.params.user_id, traceOf(request));
        return reply.status(204).send();
      },
    );
  };
}
