import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Principal, ProjectRef } from '../access/principal.js';
import { refuseNulCharacters } from './nul-character.js';
import { notFoundMessage } from './error-handler.js';
import { takesNoBody } from './json-body.js';
import { sendError } from './send-error.js';

type MaybePromise<T> = T | Promise<T>;

/** What the modules provide for the needs a route declares in its config. */
export interface RouteNeedProviders {
  /**
   * Establishes the caller from its credential headers before the body is read, or throws 401.
   * A credential whose proof covers the body (AK/SK) gives the check to run once it is in.
   * Answers without a promise (and refuses by throwing) when it needs no lookup: these two run on
   * every request, and a promise each, with its turn through the microtask queue, costs.
   */
  authenticate(request: FastifyRequest): MaybePromise<Principal | ((request: FastifyRequest) => Principal)>;
  /** the operator token (401 otherwise), for the operator API's routes */
  authenticateOperator(request: FastifyRequest): Promise<void>;
  /** the path's project must belong to the caller's credential, or throws 403 */
  scopeToProject(request: FastifyRequest, principal: Principal): MaybePromise<ProjectRef>;
  /** every answer, with the route's URL pattern ('unmatched' for unknown URLs) */
  observe(request: FastifyRequest, reply: FastifyReply, route: string): void;
}

/** The operator API's routes, which no cloud route shares. */
export const OPERATOR_PREFIX = '/maws/';

/** A route the app serves, as registered: its method, its URL pattern and what it declared. */
interface ServedRoute {
  method: string;
  url: string;
  config: RouteOptions['config'];
}

const served = new WeakMap<FastifyInstance, ServedRoute[]>();

/**
 * Every route of an app given its needs here, in the order they were registered (HEAD routes
 * Fastify adds for GET routes included): what tests enumerate to prove a property of every route.
 */
export function servedRoutes(app: FastifyInstance): readonly ServedRoute[] {
  return served.get(app) ?? [];
}

type HookName = 'onRequest' | 'preValidation' | 'preHandler' | 'onSend' | 'onResponse';

/** Ours run before the route's own hooks of the same name, except onResponse: after those. */
export function addRouteHook(route: RouteOptions, name: HookName, hook: unknown): void {
  const existing = route[name];
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as Record<HookName, unknown>)[name] = name === 'onResponse' ? [...list, hook] : [hook, ...list];
}

/** A route with the project in its path that forgot to ask for the project check would skip it. */
function checkDeclaration(route: RouteOptions): void {
  if (route.url.startsWith(OPERATOR_PREFIX) && route.config?.operator !== true) {
    throw new Error(`${String(route.method)} ${route.url} is under the operator prefix but does not declare operator`);
  }
  if (route.url.includes(':project_id') && route.config?.projectScope !== true && route.config?.public !== true) {
    throw new Error(`${String(route.method)} ${route.url} has a project in its path but does not declare projectScope`);
  }
}

/** The request says a body follows: one that is refused unread is best answered with Connection: close. */
export function announcesBody(request: FastifyRequest): boolean {
  const { headers } = request;
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
}

/**
 * The one place where routes get their hooks, in a fixed order: authenticate (401) unless the
 * route is public, before the body is read; stamp X-Request-Id; check an AK/SK signature over the
 * body bytes it covers (401); report a body that could not be parsed (400), refuse a NUL character
 * in the path, query or body (400), check the project scope (403); after the answer, observe it
 * for the metrics. Hooks are attached per route when it is registered: a global
 * hook that looks at the route on every request pays for Fastify's request.routeOptions, which
 * builds a new object each time it is read.
 */
export function installRouteNeeds(app: FastifyInstance, providers: RouteNeedProviders): void {
  const routes: ServedRoute[] = [];
  served.set(app, routes);
  app.addHook('onRoute', (route) => {
    checkDeclaration(route);
    // config read when asked: a plugin registered later (the docs UI) may still mark its routes public.
    for (const method of [route.method].flat()) {
      routes.push({
        method,
        url: route.url,
        get config() {
          return route.config;
        },
      });
    }
    // route.config is read per request: a plugin registered later (the docs UI) may still mark its routes public.
    // A callback hook, not an async one: it runs on every request, and a promise per hook costs.
    const admit = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
      if (route.config?.public === true) return done();
      const refuse = (error: Error) => {
        // The body was not read: closing tells the client to stop sending it, and spares reading it.
        if (announcesBody(request)) reply.header('Connection', 'close');
        done(error);
      };
      if (route.config?.operator === true) {
        providers.authenticateOperator(request).then(() => done(), refuse);
        return;
      }
      const admitted = (found: Principal | ((request: FastifyRequest) => Principal)) => {
        if (typeof found === 'function') request.bodyAuthentication = found;
        else request.principal = found;
        done();
      };
      let found;
      try {
        found = providers.authenticate(request);
      } catch (error) {
        return refuse(error as Error);
      }
      if (found instanceof Promise) found.then(admitted, refuse);
      else admitted(found);
    };
    const gateway = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
      reply.header('X-Request-Id', request.id);
      const config = route.config;
      // Operator routes are proved by their token alone: they act for no IAM user.
      const open = config?.public === true || config?.operator === true;
      let project: MaybePromise<ProjectRef> | undefined;
      try {
        // A token was proved before the body; an AK/SK signature is proved over it, here.
        if (!open) request.principal ??= request.bodyAuthentication!(request);
        if (request.bodyError) throw request.bodyError;
        refuseNulCharacters(request);
        if (!open && config?.projectScope === true) project = providers.scopeToProject(request, request.principal!);
      } catch (error) {
        return done(error as Error);
      }
      if (project instanceof Promise) {
        project.then((found) => {
          request.project = found;
          done();
        }, done);
        return;
      }
      if (project !== undefined) request.project = project;
      done();
    };
    const observe = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      providers.observe(request, reply, route.url);
      done();
    };
    addRouteHook(route, 'onRequest', admit);
    addRouteHook(route, 'preValidation', gateway);
    addRouteHook(route, 'onResponse', observe);
  });
  // A body that no route will read is refused before it is: an upload to an unknown URL, or a
  // body on a public read (GET and HEAD carry bodies only for AK/SK signatures, which public
  // routes do not check). Closing the connection tells the client to stop sending.
  app.addHook('onRequest', (request, reply, done) => {
    if (!announcesBody(request)) return done();
    if (request.is404) {
      sendError(reply.header('Connection', 'close'), 'route_not_found', notFoundMessage(request));
      return;
    }
    if (takesNoBody(request.method) && request.routeOptions.config?.public === true) {
      sendError(reply.header('Connection', 'close'), 'malformed_request', `${request.method} ${request.routeOptions.url} takes no body`);
      return;
    }
    done();
  });
  // Unmatched URLs share one label so that scanners cannot explode the series count.
  app.addHook('onResponse', (request, reply, done) => {
    if (request.is404) providers.observe(request, reply, 'unmatched');
    done();
  });
}
