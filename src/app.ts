import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { installGateway } from './http/gateway-hook.js';
import { installHealthRoutes } from './http/health.js';
import { installMetrics } from './http/metrics.js';
import { installOpenApi } from './http/openapi.js';
import { installProjectGuard } from './http/modelarts-scope.js';
import { formatSchemaErrors, installPlumbing, sendError } from './http/plumbing.js';
import { newRequestId } from './ids.js';
import { accessKeyRoutes } from './iam/access-key.routes.js';
import { enterpriseProjectRoutes } from './iam/enterprise-project.routes.js';
import { tokenRoutes } from './iam/token.routes.js';
import { userRoutes } from './iam/user.routes.js';
import { quotaRoutes } from './quotas/quota.routes.js';
import type { Services } from './services.js';
import { VERSION } from './version.js';
import { authorizationRoutes } from './workspaces/authorization.routes.js';
import { workspaceRoutes } from './workspaces/workspace.routes.js';

export async function buildApp(services: Services): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    genReqId: newRequestId,
    // Long ids must reach the handler to be answered with a proper not-found, not a router 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    frameworkErrors: (error, request, reply) => sendError(reply, 'invalid_parameter', `malformed request URL: ${error.message}`),
    schemaErrorFormatter: formatSchemaErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();

  installPlumbing(app);
  installGateway(app, services.auth);
  installMetrics(app, services.db);
  await installOpenApi(app, VERSION);
  installHealthRoutes(app, services.db);
  await app.register(tokenRoutes(services));
  await app.register(userRoutes(services));
  await app.register(accessKeyRoutes(services));
  await app.register(enterpriseProjectRoutes(services));
  await app.register(async (modelarts) => {
    installProjectGuard(modelarts, services.auth);
    await modelarts.register(workspaceRoutes(services.workspaces));
    await modelarts.register(quotaRoutes(services.quotas));
    await modelarts.register(authorizationRoutes(services));
  });
  return app;
}
