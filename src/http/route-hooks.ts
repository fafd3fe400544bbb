import type { RouteOptions } from 'fastify';

type HookName = 'preValidation' | 'onResponse';

/**
 * Adds a hook to one route from an onRoute hook. Route-level hooks are chosen once, when the
 * route is registered; a global hook that looks at the route on every request pays for
 * Fastify's request.routeOptions, which builds a new object each time it is read.
 */
export function addRouteHook(route: RouteOptions, name: HookName, hook: unknown, at: 'first' | 'last'): void {
  const existing = route[name];
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as Record<HookName, unknown>)[name] = at === 'first' ? [hook, ...list] : [...list, hook];
}
