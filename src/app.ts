import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Config } from './config.js';
import type { Db } from './db/types.js';
import { createClientErrorHandler } from './http/client-error.js';
import { installConsoleRoutes } from './http/console.js';
import { installErrorHandlers } from './http/error-handler.js';
import { installSerializersOnFirstUse } from './http/first-use.js';
import { installHealthRoutes } from './http/health.js';
import { installJsonBodyParser } from './http/json-body.js';
import type { Metrics } from './http/metrics.js';
import { installOpenApi } from './http/openapi.js';
import { decorateRequestContext } from './http/request-context.js';
import { requestLoggerFactoryFor } from './http/request-logger.js';
import { installRouteNeeds, type RouteNeedProviders } from './http/route-needs.js';
import { sendError } from './http/send-error.js';
import type { ServingGate } from './http/serving-gate.js';
import { installThrottling } from './http/throttle.js';
import { formatSchemaErrors, installValidators } from './http/validation.js';
import { newRequestId } from './ids.js';
import { VERSION } from './version.js';

interface AppParts {
  config: Config;
  db: Db;
  metrics: Metrics;
  /** how routes get what their config declares: authentication and project scope */
  needs: Omit<RouteNeedProviders, 'observe'>;
  /** each domain module's routes */
  routes: readonly FastifyPluginAsync[];
  /** hooks the routes registered after them (test controls' faults, only when on) */
  beforeRoutes?: ReadonlyArray<(app: FastifyInstance) => void>;
  /** refuses requests in the contract's shape before the start completed and during shutdown */
  gate: ServingGate;
}

/** The HTTP application: plumbing shared by every route, then the modules' routes. */
export async function buildApp(parts: AppParts): Promise<FastifyInstance> {
  const { config, db, metrics } = parts;
  const app = Fastify({
    logger: { level: config.logLevel },
    childLoggerFactory: requestLoggerFactoryFor(config.logLevel),
    bodyLimit: config.bodyLimitBytes,
    // Slow clients (slowloris) are cut: headers and the whole request each have a deadline.
    requestTimeout: config.timeouts.requestMs,
    keepAliveTimeout: config.timeouts.keepAliveMs,
    http: {
      headersTimeout: config.timeouts.headersMs,
      requestTimeout: config.timeouts.requestMs,
      // Node checks both deadlines on this interval (30 s by default), so a deadline can be overrun by up to it.
      connectionsCheckingInterval: Math.max(50, Math.min(30000, Math.floor(config.timeouts.headersMs / 4))),
    },
    clientErrorHandler: createClientErrorHandler(metrics),
    genReqId: newRequestId,
    // Behind a load balancer, the per-address throttles count the client, not the balancer.
    trustProxy: config.trustProxy,
    // Long ids must reach the handler to be answered with a proper not-found, not a router 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    frameworkErrors: (error, request, reply) => sendError(reply, 'invalid_parameter', `malformed request URL: ${error.message}`),
    schemaErrorFormatter: formatSchemaErrors,
    // Refusals during shutdown go through the serving gate, in the contract's error shape.
    return503OnClosing: false,
    // On close, sockets idle at that moment are closed; the gate closes the others after their answer.
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();

  decorateRequestContext(app);
  // First, so that a refused request runs no other hook.
  parts.gate.install(app);
  installValidators(app);
  installSerializersOnFirstUse(app);
  installJsonBodyParser(app);
  // Before the routes: its hooks attach to them as they are registered.
  installErrorHandlers(app, await installThrottling(app, config.throttle));
  // Before any route, so that every route gets the hooks its config asks for.
  installRouteNeeds(app, { ...parts.needs, observe: metrics.observe });
  // Also before the routes, so that the document sees them all.
  await installOpenApi(app, VERSION);
  metrics.installRoute(app);
  installHealthRoutes(app, db);
  installConsoleRoutes(app, config.consoleDir);
  for (const install of parts.beforeRoutes ?? []) install(app);
  for (const routes of parts.routes) await app.register(routes);
  return app;
}
