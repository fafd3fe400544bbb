import type { FastifyInstance } from 'fastify';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Methods whose routes take no body. Fastify does not read a body on GET and HEAD at all, yet
 * the SDK's own project look-up (GET /v3/projects?name=<region>) sends `{}` and signs over it.
 */
const BODY_IGNORED = new Set(['GET', 'HEAD']);

/** GET and HEAD: their bytes count for a signature, never as a body to parse. */
export function takesNoBody(method: string): boolean {
  return BODY_IGNORED.has(method);
}

function badBody(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400 });
}

/**
 * Keeps the exact body bytes (AK/SK signatures cover them, whatever the method) and parses JSON.
 * A body that cannot be parsed is not an error yet: credentials are checked first, so it is kept
 * in bodyError. On GET and HEAD the bytes are read, within bodyLimit, only to be hashed.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  for (const method of BODY_IGNORED) app.addHttpMethod(method, { hasBody: true, overrideExisting: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, payload, done) => {
    const raw = payload as Buffer;
    request.rawBody = raw;
    if (raw.length === 0 || takesNoBody(request.method)) return done(null, undefined);
    if (!JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) {
      request.bodyError = badBody('Content-Type must be application/json');
      return done(null, undefined);
    }
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch {
      request.bodyError = badBody('request body is not valid JSON');
      done(null, undefined);
    }
  });
}
