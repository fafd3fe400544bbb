import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ErrorSchema } from './schemas.js';

const DESCRIPTION = `Self-hosted, wire-compatible Huawei Cloud ModelArts workspace management API, with the
IAM and EPS subset it needs. Authenticate with an X-Auth-Token from POST /v3/auth/tokens, or sign
requests with AK/SK (SDK-HMAC-SHA256). Every failure is {error_code, error_msg, request_id}.`;

interface Operation {
  parameters?: Array<{ required?: boolean; schema?: { default?: unknown } }>;
  responses?: Record<string, unknown>;
}
type Spec = { paths?: Record<string, Record<string, Operation>> };

const ERROR_RESPONSE = {
  description: 'Every failure: the same request id is in the X-Request-Id header',
  content: { 'application/json': { schema: ErrorSchema } },
};

/**
 * Finishing touches on the generated document: a query parameter with a default is optional on
 * the wire (though the validated value always has one), and every operation documents the shared
 * error body. Adding that body here rather than to each route spares Fastify compiling a
 * serializer for it per route at start-up.
 */
function finish(spec: Spec): Spec {
  for (const operations of Object.values(spec.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.schema?.default !== undefined) parameter.required = false;
      }
      operation.responses = { ...operation.responses, '4XX': ERROR_RESPONSE, '5XX': ERROR_RESPONSE };
    }
  }
  return spec;
}

/** Must be installed before the routes, so that it sees them all. */
export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'modelarts-workspaces', version, description: DESCRIPTION },
      components: {
        securitySchemes: {
          token: { type: 'apiKey', in: 'header', name: 'X-Auth-Token' },
          aksk: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…' },
        },
      },
      security: [{ token: [] }, { aksk: [] }],
    },
    transformObject: (documentObject) =>
      finish(('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject) as Spec) as never,
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, () => app.swagger());
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
}
