import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/types.js';
import { sendError } from './send-error.js';

const probe = { config: { public: true }, schema: { hide: true } };

/** Liveness answers while the process runs; readiness also needs the database. */
export function installHealthRoutes(app: FastifyInstance, db: Db): void {
  app.get('/healthz', probe, async () => ({ status: 'ok' }));
  app.get('/readyz', probe, async (request, reply) => {
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return sendError(reply, 'unavailable', 'database unavailable');
    }
    return { status: 'ready' };
  });
}
