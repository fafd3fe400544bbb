import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';
import { createSeqOrderChecks, orderAllSeqs } from '../name-order.js';

/**
 * SQLite: every workspace's seq is put in (project_id, name) order, and triggers note any row out
 * of it (name-order.ts): a name search then counts and pages a project's hits from the trigram
 * index alone. One transaction (SQLite migrations run outside one).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  await db.transaction().execute(async (trx) => {
    await createSeqOrderChecks(trx);
    await orderAllSeqs(trx);
  });
}
