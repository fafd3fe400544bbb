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

/** Whether any string or property name in the value holds U+0000 (iterative, as nulIn). */
function holdsNul(root: unknown): boolean {
  if (typeof root === 'string') return root.includes(NUL);
  if (root === null || typeof root !== 'object') return false;
  const pending: object[] = [root];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (key.includes(NUL)) return true;
      const item = (value as Record<string, unknown>)[key];
      if (typeof item === 'string') {
        if (item.includes(NUL)) return true;
      } else if (item !== null && typeof item === 'object') pending.push(item);
    }
  }
  return false;
}

/**
 * PostgreSQL cannot store U+0000 in text and fails the query; SQLite would store it. Both refuse it
 * here, before any handler or query sees the request, with a 400 of the route's error family.
 * The names follow the validator's messages: params, querystring, body.
 */
export function refuseNulCharacters(request: FastifyRequest): void {
  // Every request passes here: first a walk that builds no paths, the paths only for a refusal.
  if (!holdsNul(request.params) && !holdsNul(request.query) && !holdsNul(request.body)) return;
  const at = nulIn(request.params, 'params') ?? nulIn(request.query, 'querystring') ?? nulIn(request.body, 'body');
  if (at === undefined) return;
  throw Object.assign(new Error(`${at}: must not contain the NUL character (U+0000)`), { statusCode: 400 });
}
