// compiledInsert (src/db/compiled-insert.ts), as the trace repository uses it: the same statement
// and values as Kysely's own insert of the row, on both dialects, and rows that read back as given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createTraceRepository, type TraceRow } from '../src/audit/trace.repository.js';
import { recordingDb } from './helpers/recording-db.js';
import { startTestServer } from './helpers/server.js';

const text = fc.string({ maxLength: 40 }).map((s) => s.replaceAll('\u0000', ''));
const nullableText = fc.option(text, { nil: null });
const ms = fc.integer({ min: 0, max: 2 ** 47 });

/** A trace row with its columns in the table's order, as Kysely would insert it. */
const traceRow: fc.Arbitrary<TraceRow> = fc.record({
  trace_id: fc.uuid(),
  domain_id: text,
  project_id: nullableText,
  time: ms,
  record_time: ms,
  trace_name: text,
  trace_rating: text,
  trace_type: text,
  service_type: text,
  resource_type: text,
  resource_id: text,
  resource_name: text,
  code: text,
  request: text,
  response: text,
  user_id: nullableText,
  user_name: nullableText,
  domain_name: text,
  source_ip: nullableText,
  request_id: text,
  api_version: text,
  message: text,
});

describe('compiledInsert', () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    it(`sends what Kysely's own insert of the row sends (${dialect})`, async () => {
      const { db, take } = recordingDb(dialect);
      const repo = createTraceRepository();
      await fc.assert(
        fc.asyncProperty(traceRow, async (row) => {
          await repo.insert(db, row);
          const [compiled] = take();
          await db.insertInto('traces').values(row).execute();
          assert.deepEqual(compiled, take()[0]);
        }),
        { numRuns: 50 },
      );
      await db.destroy();
    });
  }

  it('stores rows that read back as given', async (t) => {
    const srv = await startTestServer();
    t.after(() => srv.close());
    const repo = createTraceRepository();
    const rows = fc.sample(traceRow, 30);
    for (const row of rows) await repo.insert(srv.server.db, row);
    const stored = await srv.server.db.selectFrom('traces').selectAll().where('trace_id', 'in', rows.map((r) => r.trace_id)).execute();
    const byId = new Map(stored.map((r) => [r.trace_id, { ...r, time: Number(r.time), record_time: Number(r.record_time) }]));
    for (const row of rows) assert.deepEqual(byId.get(row.trace_id), { ...row });
  });
});
