import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Principal, ProjectRef } from '../access/principal.js';
import { refuseNulCharacters } from './nul-character.js';

/** What the modules provide for the needs a route declares in its config. */
export interface RouteNeedProviders {
  /** establishes the caller from its credentials, or throws 401 */
  authenticate(request: FastifyRequest): Promise<Principal>;
  /** the path's project must belong to the caller's credential, or throws 403 */
  scopeToProject(request: FastifyRequest, principal: Principal): Promise<ProjectRef>;
  /** every answer, with the route's URL pattern ('unmatched' for unknown URLs) */
  observe(request: FastifyRequest, reply: FastifyReply, route: string): void;
}

type HookName = 'preValidation' | 'onResponse';

/** Ours run before the route's own preValidation hooks and after its own onResponse hooks. */
function addHook(route: RouteOptions, name: HookName, hook: unknown): void {
  const existing = route[name];
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as Record<HookName, unknown>)[name] = name === 'onResponse' ? [...list, hook] : [hook, ...list];
}

/** A route with the project in its path that forgot to ask for the project check would skip it. */
function checkDeclaration(route: RouteOptions): void {
  if (route.url.includes(':project_id') && route.config?.projectScope !== true && route.config?.public !== true) {
    throw new Error(`${String(route.method)} ${route.url} has a project in its path but does not declare projectScope`);
  }
}

/**
 * The one place where routes get their hooks, in a fixed order: stamp X-Request-Id,
 * authenticate (401) unless the route is public, report a body that could not be parsed (400),
 * refuse a NUL character in the path, query or body (400), check the project scope (403); after
 * the answer, observe it for the metrics. It runs after the body was read because an AK/SK
 * signature covers the body bytes. Hooks are attached per route when it is registered: a global
 * hook that looks at the route on every request pays for Fastify's request.routeOptions, which
 * builds a new object each time it is read.
 */
export function installRouteNeeds(app: FastifyInstance, providers: RouteNeedProviders): void {
  app.addHook('onRoute', (route) => {
    checkDeclaration(route);
    // route.config is read per request: a plugin registered later (the docs UI) may still mark its routes public.
    const gateway = async (request: FastifyRequest, reply: FastifyReply) => {
      reply.header('X-Request-Id', request.id);
      const config = route.config;
      if (config?.public === true) {
        if (request.bodyError) throw request.bodyError;
        refuseNulCharacters(request);
        return;
      }
      const principal = await providers.authenticate(request);
      request.principal = principal;
      if (request.bodyError) throw request.bodyError;
      refuseNulCharacters(request);
      if (config?.projectScope === true) request.project = await providers.scopeToProject(request, principal);
    };
    const observe = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      providers.observe(request, reply, route.url);
      done();
    };
    addHook(route, 'preValidation', gateway);
    addHook(route, 'onResponse', observe);
  });
  // Unmatched URLs share one label so that scanners cannot explode the series count.
  app.addHook('onResponse', (request, reply, done) => {
    if (request.is404) providers.observe(request, reply, 'unmatched');
    done();
  });
}
