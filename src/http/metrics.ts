import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/types.js';
import { jobQueue, LIVE_STATUSES } from '../jobs/job.queue.js';
import { addRouteHook } from './route-hooks.js';

/** Prometheus metrics on GET /metrics: process defaults, request durations, queue depth. */
export function installMetrics(app: FastifyInstance, db: Db): void {
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
    help: 'Background jobs waiting or running, by status (pending, running)',
    labelNames: ['status'] as const,
    registers: [registry],
    // Only live jobs: counting the done and failed history would read it on every scrape.
    async collect() {
      const counts = await jobQueue.countLive(db);
      for (const status of LIVE_STATUSES) this.set({ status }, counts[status]);
    },
  });

  function observe(method: string, route: string, reply: FastifyReply): void {
    duration.observe({ method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  }
  app.addHook('onRoute', (route) => {
    const observeRoute = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      observe(request.method, route.url, reply);
      done();
    };
    addRouteHook(route, 'onResponse', observeRoute, 'last');
  });
  // Unmatched URLs share one label so that scanners cannot explode the series count.
  app.addHook('onResponse', (request, reply, done) => {
    if (request.is404) observe(request.method, 'unmatched', reply);
    done();
  });
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
