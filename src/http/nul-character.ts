import type { FastifyRequest } from 'fastify';

const NUL = '\u0000';

/** Where in the value the first string or property name holding U+0000 is, e.g. "body.user.name". */
function nulIn(value: unknown, at: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? at : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulIn(value[i], `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    // The key is checked before it becomes part of the reported path, so the message never carries a NUL.
    if (key.includes(NUL)) return `${at} (a property name)`;
    const found = nulIn((value as Record<string, unknown>)[key], `${at}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * PostgreSQL cannot store U+0000 in text and fails the query; SQLite would store it. Both refuse it
 * here, before any handler or query sees the request, with a 400 of the route's error family.
 * The names follow the validator's messages: params, querystring, body.
 */
export function refuseNulCharacters(request: FastifyRequest): void {
  const at = nulIn(request.params, 'params') ?? nulIn(request.query, 'querystring') ?? nulIn(request.body, 'body');
  if (at === undefined) return;
  throw Object.assign(new Error(`${at}: must not contain the NUL character (U+0000)`), { statusCode: 400 });
}
