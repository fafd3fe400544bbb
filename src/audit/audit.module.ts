import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/types.js';
import { type AuditService, createAuditService } from './audit.service.js';
import { installChangeTraces } from './request-trace.js';
import { createTraceRepository } from './trace.repository.js';
import { traceRoutes } from './trace.routes.js';

export interface AuditModule {
  service: AuditService;
  routes: FastifyPluginAsync;
  /** gives the change routes registered after it their traces */
  installTracing(app: FastifyInstance): void;
  /** purges traces past the retention now, and then every interval until stopped */
  startPurging(log: { error(obj: object, msg: string): void }): { stop(): void };
}

/** How often a replica purges traces past the retention; each purge is a few indexed deletes. */
const PURGE_INTERVAL_MS = 10 * 60 * 1000;

/** The audit trail (CTS traces): recorded by the other modules' changes, read with ListTraces. */
export function createAuditModule(deps: { db: Db; retentionMs: number; recording: boolean; now: () => number }): AuditModule {
  const service = createAuditService({ ...deps, repo: createTraceRepository() });
  return {
    service,
    routes: async (app) => {
      await app.register(traceRoutes(service));
    },
    installTracing: (app) => {
      // Off (MAWS_AUDIT_TRAIL=false): no hook at all, and the routes' traces record nothing.
      if (deps.recording) installChangeTraces(app, { audit: service, executor: deps.db, now: deps.now });
    },
    startPurging(log) {
      const purge = () => {
        service.purgeExpired().catch((error: unknown) => log.error({ err: error }, 'purging expired traces failed'));
      };
      purge();
      const timer = setInterval(purge, PURGE_INTERVAL_MS);
      timer.unref();
      return { stop: () => clearInterval(timer) };
    },
  };
}
