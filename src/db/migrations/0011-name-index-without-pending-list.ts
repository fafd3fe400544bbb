import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * PostgreSQL: the trigram index of workspace names takes each new name into its tree at once
 * instead of a pending list. Every name search scans the whole pending list, which creates fill
 * until a vacuum empties it: in the bench, a search cost twice as much after 8,000 creates (3.4 →
 * 6.2–7.7 ms for 2,000 hits) and its wall rate fell from 202 to 115 req/s. A create pays for its
 * trigrams when it inserts instead. What a pending list holds now is moved into the tree.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`ALTER INDEX workspaces_name_trgm SET (fastupdate = off)`.execute(db);
  await sql`SELECT gin_clean_pending_list('workspaces_name_trgm')`.execute(db);
}
