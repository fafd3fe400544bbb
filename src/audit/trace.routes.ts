import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf, projectOf } from '../http/request-context.js';
import { ProjectParams } from '../http/schemas.js';
import type { AuditService } from './audit.service.js';
import { ListTracesQuery, TraceList } from './trace.schemas.js';

/** CTS v3 ListTraces: the root user reads its account's audit trail. */
export function traceRoutes(audit: AuditService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/:project_id/traces',
      {
        config: { projectScope: true, errorFamily: 'cts' },
        schema: {
          operationId: 'ListTraces',
          tags: ['CTS'],
          params: ProjectParams,
          querystring: ListTracesQuery,
          response: { 200: TraceList },
        },
      },
      (request) => audit.list(principalOf(request), projectOf(request), request.query),
    );
  };
}
