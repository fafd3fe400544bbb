import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { installProjectGuard } from './http/modelarts-scope.js';
import { formatSchemaErrors, installPlumbing } from './http/plumbing.js';
import { accessKeyRoutes } from './iam/access-key.routes.js';
import { enterpriseProjectRoutes } from './iam/enterprise-project.routes.js';
import { tokenRoutes } from './iam/token.routes.js';
import { userRoutes } from './iam/user.routes.js';
import { quotaRoutes } from './quotas/quota.routes.js';
import type { Services } from './services.js';
import { authorizationRoutes } from './workspaces/authorization.routes.js';
import { workspaceRoutes } from './workspaces/workspace.routes.js';

export async function buildApp(services: Services): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => randomUUID().replaceAll('-', ''),
    routerOptions: { ignoreTrailingSlash: true },
    schemaErrorFormatter: formatSchemaErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();

  installPlumbing(app);
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
