import { traceOf, traced } from '../audit/request-trace.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/request-context.js';
import {
  CreateCredentialBody,
  CreatedCredentialResult,
  CredentialList,
  CredentialParams,
  CredentialResult,
  ListCredentialsQuery,
  UpdateCredentialBody,
} from './access-key.schemas.js';
import type { AccessKeyService } from './access-key.service.js';

const config = { errorFamily: 'iam' as const };
const tags = ['IAM'];
const BASE = '/v3.0/OS-CREDENTIAL/credentials';

/** IAM's OS-CREDENTIAL API: permanent access keys (AK/SK). */
export function accessKeyRoutes(deps: { accessKeys: AccessKeyService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { accessKeys } = deps;

    app.post(
      BASE,
      {
        config: traced(config, { service: 'IAM', resourceType: 'credential', name: 'createCredential', code: 201 }),
        schema: {
          operationId: 'CreatePermanentAccessKey',
          tags,
          body: CreateCredentialBody,
          response: { 201: CreatedCredentialResult },
        },
      },
      async (request, reply) => {
        const credential = await accessKeys.create(principalOf(request), request.body, traceOf(request));
        return reply.status(201).send({ credential });
      },
    );

    app.get(
      BASE,
      {
        config,
        schema: {
          operationId: 'ListPermanentAccessKeys',
          tags,
          querystring: ListCredentialsQuery,
          response: { 200: CredentialList },
        },
      },
      (request) => accessKeys.list(principalOf(request), request.query.user_id),
    );

    app.get(
      `${BASE}/:access_key`,
      {
        config,
        schema: {
          operationId: 'ShowPermanentAccessKey',
          tags,
          params: CredentialParams,
          response: { 200: CredentialResult },
        },
      },
      async (request) => ({ credential: await accessKeys.show(principalOf(request), request.params.access_key) }),
    );

    app.put(
      `${BASE}/:access_key`,
      {
        config: traced(config, { service: 'IAM', resourceType: 'credential', name: 'updateCredential', resourceParam: 'access_key' }),
        schema: {
          operationId: 'UpdatePermanentAccessKey',
          tags,
          params: CredentialParams,
          body: UpdateCredentialBody,
          response: { 200: CredentialResult },
        },
      },
      async (request) => ({
        credential: await accessKeys.update(principalOf(request), request.params.access_key, request.body, traceOf(request)),
      }),
    );

    app.delete(
      `${BASE}/:access_key`,
      { config: traced(config, { service: 'IAM', resourceType: 'credential', name: 'deleteCredential', resourceParam: 'access_key', code: 204 }), schema: { operationId: 'DeletePermanentAccessKey', tags, params: CredentialParams } },
      async (request, reply) => {
        await accessKeys.remove(principalOf(request), request.params.access_key, traceOf(request));
        return reply.status(204).send();
      },
    );
  };
}
