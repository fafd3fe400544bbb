import type { FastifyReply } from 'fastify';
import { ERRORS, type ErrorBody, type ErrorKind } from '../errors.js';

/** The contract's error body, with the request id in the body and in X-Request-Id. */
export function sendError(reply: FastifyReply, kind: ErrorKind, message: string): FastifyReply {
  const body: ErrorBody = { error_code: ERRORS[kind].code, error_msg: message, request_id: reply.request.id };
  return reply.status(ERRORS[kind].status).header('X-Request-Id', reply.request.id).send(body);
}
