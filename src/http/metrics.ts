import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { registerRequestDurations } from './request-durations.js';

/** why Node's HTTP server gave up on a request before any route saw it */
export type ClientErrorReason = 'timeout' | 'header_overflow' | 'malformed';

export interface Metrics {
  observe(request: FastifyRequest, reply: FastifyReply, route: string): void;
  countClientError(reason: ClientErrorReason): void;
  /** GET /metrics in the Prometheus text format */
  installRoute(app: FastifyInstance): void;
}

/** Prometheus metrics: process defaults, request durations, background jobs by status. */
export function createMetrics(deps: { countJobs(): Promise<Record<string, number>> }): Metrics {
  // A registry per app, not prom-client's global one, so several servers can share a process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'maws_' });
  const duration = registerRequestDurations(
    registry,
    'maws_http_request_duration_seconds',
    'HTTP request duration by method, route and status code',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  const clientErrors = new Counter({
    name: 'maws_http_client_errors_total',
    help: 'Requests cut by the HTTP server before routing, by reason (timeout, header_overflow, malformed)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'maws_jobs',
    help: 'Background jobs waiting, running or failed for good, by status (pending, running, failed)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await deps.countJobs();
      this.reset();
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });

  return {
    observe(request, reply, route) {
      duration.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    },
    countClientError(reason) {
      clientErrors.inc({ reason });
    },
    installRoute(app) {
      app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
        reply.type(registry.contentType);
        return registry.metrics();
      });
    },
  };
}
