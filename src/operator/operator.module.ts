import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { randomString } from '../ids.js';
import { createOperatorCredentialRepository } from './operator-credential.repository.js';

export interface OperatorModule {
  /**
   * Stores the configured operator token (replacing the stored one), or on the first start
   * generates one. Returns the generated token, to be shown once, or null.
   */
  ensureCredential(configured: string | undefined): Promise<string | null>;
  /**
   * A token is stored: the database served before. The first account is created only on a
   * database without one, so that an operator who deleted every account does not get it back.
   */
  hasCredential(): Promise<boolean>;
  /** The request carries the operator token as `Authorization: Bearer …`, or throws 401. */
  authenticate(request: FastifyRequest): Promise<void>;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

const BEARER = /^Bearer +(\S+)$/i;

/** The operator API's credential: one bearer token, kept as its SHA-256. */
export function createOperatorModule(deps: { db: Db; now: () => number }): OperatorModule {
  const repo = createOperatorCredentialRepository();
  const refused = (why: string) => new AppError('unauthenticated', `operator API: ${why}`);
  return {
    async ensureCredential(configured) {
      const token = configured ?? `maws-op-${randomString(40)}`;
      const wrote = await repo.saveHash(deps.db, digest(token).toString('hex'), deps.now(), configured !== undefined);
      return configured === undefined && wrote ? token : null;
    },
    hasCredential: async () => (await repo.findHash(deps.db)) !== undefined,
    async authenticate(request) {
      const header = request.headers.authorization;
      const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
      if (token === undefined) throw refused('send the operator token as "Authorization: Bearer <token>"');
      const stored = await repo.findHash(deps.db);
      // The digests have equal lengths, so the comparison takes the same time however they differ.
      if (stored === undefined || !timingSafeEqual(digest(token), Buffer.from(stored, 'hex'))) throw refused('the operator token is wrong');
    },
  };
}
