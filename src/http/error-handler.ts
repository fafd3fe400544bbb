import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isConnectionLoss } from '../db/connection-loss.js';
import { isForeignKeyViolation } from '../db/unique-violation.js';
import { AppError, type ErrorKind } from '../errors.js';
import { sendError } from './send-error.js';

export function notFoundMessage(request: FastifyRequest): string {
  return `API not found: ${request.method} ${request.url.split('?')[0]}`;
}

function kindForClientError(request: FastifyRequest, error: FastifyError): ErrorKind {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'body_too_large';
  if (error.validation || error.statusCode === 400) {
    const config = request.routeOptions.config;
    if (config?.operator === true) return 'operator_invalid_parameter';
    if (config?.errorFamily === 'cts') return 'cts_invalid_parameter';
    return config?.errorFamily === 'iam' ? 'iam_invalid_parameter' : 'invalid_parameter';
  }
  return 'malformed_request';
}

function goneKind(request: FastifyRequest): ErrorKind {
  const config = request.routeOptions.config;
  if (config?.operator === true) return 'operator_not_found';
  return config?.errorFamily === 'iam' ? 'iam_not_found' : 'invalid_parameter';
}

/**
 * Every failure leaves in the contract's shape; anything unexpected is logged and answered without
 * details. A refused credential is first counted against its source (throttled: answered 429 instead).
 */
export function installErrorHandlers(app: FastifyInstance, throttleRefusal?: (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      // Every refused credential is a 401 (a locked user's sign-in too): each is counted against its source.
      if (error.status === 401 && throttleRefusal) {
        return throttleRefusal(request, reply).then((sent) => (sent ? reply : sendError(reply, error.kind, error.message)));
      }
      if (error.kind === 'internal') request.log.error({ err: error }, 'internal error');
      // The project check is shared by every project route; CTS names a foreign project in its own code.
      if (error.kind === 'project_mismatch' && request.routeOptions.config?.errorFamily === 'cts') {
        return sendError(reply, 'cts_project_mismatch', 'Invalid project ID. Check whether the project ID is correct.');
      }
      return sendError(reply, error.kind, error.message);
    }
    if (isForeignKeyViolation(error)) {
      // Lost a race with a deletion (of the caller's account, say): what the request refers to is gone.
      return sendError(reply, goneKind(request), 'the request refers to something deleted while it ran (its account, project, user or workspace)');
    }
    if (isConnectionLoss(error)) {
      request.log.error({ err: error }, 'database connection lost');
      return sendError(reply, 'unavailable', 'database unavailable');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendError(reply, kindForClientError(request, error), error.message);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 'internal', 'Internal error occurred in workspace manager.');
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 'route_not_found', notFoundMessage(request)));
}
