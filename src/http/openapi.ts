import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { ErrorSchema } from './schemas.js';

const DESCRIPTION = `Self-hosted, wire-compatible Huawei Cloud ModelArts workspace management API, with the
IAM and EPS subset it needs. Authenticate with an X-Auth-Token from POST /v3/auth/tokens, or sign
requests with AK/SK (SDK-HMAC-SHA256). Every failure is {error_code, error_msg, request_id}.`;

/** Every documented route also documents the shared error body. */
function withErrorResponses(route: RouteOptions): void {
  const schema = route.schema as { hide?: boolean; response?: Record<string, unknown> } | undefined;
  if (!schema || schema.hide) return;
  schema.response = { '4XX': ErrorSchema, '5XX': ErrorSchema, ...schema.response };
}

type Spec = { paths?: Record<string, Record<string, { parameters?: Array<{ required?: boolean; schema?: { default?: unknown } }> }>> };

/** A query parameter with a default is optional on the wire, though the validated value always has one. */
function optionalDefaults(spec: Spec): Spec {
  for (const operations of Object.values(spec.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.schema?.default !== undefined) parameter.required = false;
      }
    }
  }
  return spec;
}

/** Must be installed before the routes, so that it sees them all. */
export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  app.addHook('onRoute', withErrorResponses);
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
      optionalDefaults(('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject) as Spec) as never,
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, () => app.swagger());
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
}
