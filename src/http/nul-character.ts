import type { FastifyRequest } from 'fastify';

const NUL = '\u0000';
/** Stands, in the walk, for a property name holding NUL: reached in the order the name is. */
const NUL_NAME = Symbol('property name with NUL');

/**
 * Where in the value the first string or property name holding U+0000 is, e.g. "body.user.name".
 * A walk with its own stack, not recursion: a JSON body nested a few thousand levels deep fits in
 * the body limit and would otherwise overflow the call stack.
 */
function nulIn(root: unknown, rootAt: string): string | undefined {
  const pending: [value: unknown, at: string][] = [[root, rootAt]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, at] = next;
    if (value === NUL_NAME) return at;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return at;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const children: [unknown, string][] = [];
    if (Array.isArray(value)) value.forEach((item, i) => children.push([item, `${at}[${i}]`]));
    else {
      for (const [key, item] of Object.entries(value)) {
        // The key is checked before it becomes part of the reported path, so the message never carries a NUL.
        if (key.includes(NUL)) {
          children.push([NUL_NAME, `${at} (a property name)`]);
          break;
        }
        children.push([item, `${at}.${key}`]);
      }
    }
    // Reversed, so that the first child is looked at first and the reported place is the first one.
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
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
