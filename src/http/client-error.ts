import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ERRORS, type ErrorBody, type ErrorKind } from '../errors.js';
import { newRequestId } from '../ids.js';
import type { ClientErrorReason, Metrics } from './metrics.js';

/** how long a client may take to read the answer and close before its socket is destroyed */
const LINGER_MS = 1000;

type ConnectionError = Error & { code?: string };

function classify(error: ConnectionError): { reason: ClientErrorReason; kind: ErrorKind; message: string } {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { reason: 'timeout', kind: 'request_timeout', message: 'the request was not received in time' };
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return { reason: 'header_overflow', kind: 'header_too_large', message: 'the request headers are too large' };
  }
  // llhttp's reasons ("Duplicate Content-Length", "Invalid character in chunk size", …) name no internals.
  const detail = 'reason' in error && typeof error.reason === 'string' ? `: ${error.reason}` : '';
  return { reason: 'malformed', kind: 'malformed_request', message: `malformed HTTP request${detail}` };
}

function rawResponse(kind: ErrorKind, message: string): string {
  const requestId = newRequestId();
  const { status, code } = ERRORS[kind];
  const body: ErrorBody = { error_code: code, error_msg: message, request_id: requestId };
  const json = JSON.stringify(body);
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(json)}`,
    `X-Request-Id: ${requestId}`,
    'Connection: close',
    '',
    json,
  ].join('\r\n');
}

/** Node keeps the response of the request being read on the socket; once its head is out, nothing more may be written. */
function responseStarted(socket: Socket): boolean {
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  return inFlight?.headersSent === true;
}

/**
 * Answers what Node's HTTP server rejects before any route sees it (headers too large, bad
 * framing, headers or body too slow) in the contract's error shape, and counts it. Nothing can be
 * answered once the client reset the connection or a response to that request has begun.
 */
export function createClientErrorHandler(metrics: Metrics) {
  // Node reports the same parser error again for every later chunk and at the end of the stream.
  const handled = new WeakSet<Socket>();
  return function onClientError(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
    if (handled.has(socket)) return;
    handled.add(socket);
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { reason, kind, message } = classify(error);
    metrics.countClientError(reason);
    this.log.debug({ err: error, reason }, 'client error before routing');
    if (!socket.writable || responseStarted(socket)) {
      socket.destroy();
      return;
    }
    // end(), not destroy(): closing with unread request bytes would reset the connection and the
    // client could lose the answer. The client's own close, or the linger, ends it.
    socket.end(rawResponse(kind, message));
    socket.resume();
    socket.once('end', () => socket.destroy());
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}
