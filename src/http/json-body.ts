import type { FastifyInstance } from 'fastify';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function badBody(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400 });
}

/**
 * Keeps the exact body bytes (AK/SK signatures cover them) and parses JSON. A body that cannot
 * be parsed is not an error yet: credentials are checked first, so it is kept in bodyError.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, payload, done) => {
    const raw = payload as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
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
