import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ErrorSchema } from './schemas.js';

const DESCRIPTION = `Self-hosted, wire-compatible Huawei Cloud ModelArts workspace management API, with the
IAM and EPS subset it needs. Authenticate with an X-Auth-Token from POST /v3/auth/tokens, or sign
requests with AK/SK (SDK-HMAC-SHA256). Every failure is {error_code, error_msg, request_id}.`;

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: Array<{ required?: boolean; schema?: { default?: unknown } }>;
  responses?: Record<string, unknown>;
}
type Spec = { paths?: Record<string, Record<string, Operation>> };

/**
 * A TypeBox (JSON Schema 2020-12) schema in OpenAPI 3.0's dialect, where a schema has one
 * `example` and no `examples`. @fastify/swagger converts the routes' schemas; the shared error
 * body is added after it ran, so it is converted here.
 */
function in30Dialect(schema: object): object {
  return JSON.parse(JSON.stringify(schema), (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || !Array.isArray((value as { examples?: unknown }).examples)) return value;
    const { examples, ...rest } = value as { examples: unknown[] };
    return examples.length === 0 ? rest : { ...rest, example: examples[0] };
  });
}

const ERROR_RESPONSE = {
  description: 'Every failure: the same request id is in the X-Request-Id header',
  content: { 'application/json': { schema: in30Dialect(ErrorSchema) } },
};

/** 'KeystoneListAuthProjects' reads 'Keystone list auth projects'. */
function summaryOf(operationId: string): string {
  const words = operationId.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(' ');
  return words.map((w, i) => (i === 0 || /^[A-Z0-9]+$/.test(w) ? w : w.toLowerCase())).join(' ');
}

/**
 * Finishing touches on the generated document: a query parameter with a default is optional on
 * the wire (though the validated value always has one), and every operation has a summary and
 * documents the shared error body. Adding that body here rather than to each route spares Fastify
 * compiling a serializer for it per route at start-up.
 */
function finish(spec: Spec): Spec {
  for (const operations of Object.values(spec.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.schema?.default !== undefined) parameter.required = false;
      }
      if (operation.summary === undefined && operation.operationId !== undefined) operation.summary = summaryOf(operation.operationId);
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
      // Relative: the API is served where this document is.
      servers: [{ url: '/', description: 'the server that serves this document' }],
      components: {
        securitySchemes: {
          token: { type: 'apiKey', in: 'header', name: 'X-Auth-Token' },
          aksk: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…' },
          operator: { type: 'http', scheme: 'bearer', description: 'the operator API (/maws/…): MAWS_OPERATOR_TOKEN' },
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
