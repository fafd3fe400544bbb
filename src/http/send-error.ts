import type { FastifyReply } from 'fastify';
import { ERRORS, type ErrorBody, type ErrorKind } from '../errors.js';

/** The contract's error body, with the request id in the body and in X-Request-Id. */
export function sendError(reply: FastifyReply, kind: ErrorKind, message: string): FastifyReply {
  return sendErrorCode(reply, ERRORS[kind].status, ERRORS[kind].code, message);
}

/** The same shape for a status and code outside the error table (a fault a test asked for). */
export function sendErrorCode(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  const body: ErrorBody = { error_code: code, error_msg: message, request_id: reply.request.id };
  return reply.status(status).header('X-Request-Id', reply.request.id).send(body);
}
