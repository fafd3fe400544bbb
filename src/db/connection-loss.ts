// SQLSTATE class 08 (connection exception) and the 57P0x shutdown codes: the server went away or
// will not take the connection now. Nothing about the request itself is wrong; a retry may work.
const LOST_CONNECTION_CODE = /^(08...|57P0[1-3])$/;
// Node's socket errors when the database cannot be reached or drops the socket.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
// pg reports a dropped socket, and any query sent on that client afterwards, only by message.
const LOST_CONNECTION_MESSAGE =
  /^(Connection terminated( unexpectedly)?|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)$/;

/** True when a database call failed because the connection to PostgreSQL was lost or refused. */
export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (LOST_CONNECTION_CODE.test(code) || SOCKET_CODES.has(code))) return true;
  return LOST_CONNECTION_MESSAGE.test(error.message);
}
