import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../config.js';
import { transferRoutes } from './transfer.routes.js';

export interface TransferModule {
  routes: FastifyPluginAsync;
}

/**
 * Backup and migration: the operator API's export (a snapshot streamed while serving). Import and
 * migrate connect to databases directly (the CLI), so they have no route.
 */
export function createTransferModule(deps: { database: Database; now: () => number }): TransferModule {
  return { routes: transferRoutes(deps) };
}
