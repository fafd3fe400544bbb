import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * The audit trail (CTS traces). Rows are ordered newest first by (time, trace_id): a page's marker
 * is the last trace's id, whose position stays put while newer traces are written. project_id is
 * null for account-wide services (IAM, EPS, sign-in), which every project's list shows. Trace
 * ids grow with time (see trace-id.ts): on SQLite the table is stored in their order (WITHOUT
 * ROWID), so a trace is one append to it, and the retention purge deletes from its start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('traces')
    .addColumn('trace_id', 'text', (c) => c.primaryKey())
    .addColumn('domain_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text')
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('record_time', 'bigint', (c) => c.notNull())
    .addColumn('trace_name', 'text', (c) => c.notNull())
    .addColumn('trace_rating', 'text', (c) => c.notNull())
    .addColumn('trace_type', 'text', (c) => c.notNull())
    .addColumn('service_type', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('resource_name', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('user_name', 'text')
    .addColumn('domain_name', 'text', (c) => c.notNull())
    .addColumn('source_ip', 'text')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('api_version', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .$call((table) => (dialectOf(db) === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table))
    .execute();
  await db.schema.createIndex('traces_domain_time').on('traces').columns(['domain_id', 'time', 'trace_id']).execute();
}
