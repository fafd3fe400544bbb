import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  observe(request: FastifyRequest, reply: FastifyReply, route: string): void;
  /** GET /metrics in the Prometheus text format */
  installRoute(app: FastifyInstance): void;
}

/** Prometheus metrics: process defaults, request durations, background jobs by status. */
export function createMetrics(deps: { countJobs(): Promise<Record<string, number>> }): Metrics {
  // A registry per app, not prom-client's global one, so several servers can share a process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'maws_' });
  const duration = new Histogram({
    name: 'maws_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
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
      duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    },
    installRoute(app) {
      app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
        reply.type(registry.contentType);
        return registry.metrics();
      });
    },
  };
}
