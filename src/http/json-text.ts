import type { FastifyReply } from 'fastify';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Sends an answer that is JSON text already (written by the database, see jsonObject). With a
 * JSON content type Fastify sends a string as it is, so the route's response schema documents
 * the answer (OpenAPI, the CLI's types) without serializing it; the route's tests pin the two
 * together.
 */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type(JSON_CONTENT_TYPE).send(json);
}
