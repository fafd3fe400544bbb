import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal, ProjectRef } from '../access/principal.js';
import { AppError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** exact body bytes as received: AK/SK signatures hash them */
    rawBody: Buffer | null;
    /** why the body could not be parsed; reported only after authentication */
    bodyError: Error | null;
    principal: Principal | null;
    /** what is left of authentication once the body is in (an AK/SK signature covers its bytes) */
    bodyAuthentication: ((request: FastifyRequest) => Principal) | null;
    /** the path's project, once it was checked against the credential */
    project: ProjectRef | null;
  }
  interface FastifyContextConfig {
    /** which error family validation failures belong to */
    errorFamily?: 'modelarts' | 'iam' | 'cts';
    /** reachable without credentials */
    public?: boolean;
    /** a /v1/{project_id}/… route: the project must belong to the credential */
    projectScope?: boolean;
    /** an operator API route (/maws/…): the operator token, not an IAM credential */
    operator?: boolean;
  }
}

const EMPTY = Buffer.alloc(0);

/** Declares the per-request fields up front, so every request object has the same shape. */
export function decorateRequestContext(app: FastifyInstance): void {
  app.decorateRequest('rawBody', null);
  app.decorateRequest('bodyError', null);
  app.decorateRequest('principal', null);
  app.decorateRequest('bodyAuthentication', null);
  app.decorateRequest('project', null);
  app.decorateRequest('changeTrace', null);
}

export function rawBodyOf(request: FastifyRequest): Buffer {
  return request.rawBody ?? EMPTY;
}

/** The authenticated caller; routes that are not public always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'Incorrect IAM authentication information: x-auth-token not found');
  return request.principal;
}

/** The checked project of a route declared with projectScope. */
export function projectOf(request: FastifyRequest): ProjectRef {
  if (!request.project) throw new AppError('project_mismatch', 'no project for this request');
  return request.project;
}
