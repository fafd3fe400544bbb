/**
 * The exporter: one consistent snapshot of the database (or of one account's rows) as the
 * format's lines, read in keyset pages so that no table is ever held in memory.
 */
import type { Kysely } from 'kysely';
import { appliedMigration, LATEST_MIGRATION } from '../db/migrate.js';
import { EXPORTED_TABLES, type TableSpec, unknownToRegistry } from '../db/table-registry.js';
import { beginSnapshot, checkSnapshotHeld, domainIdByName, endSnapshot, readCatalog, readPage } from '../db/table-rows.js';
import { canonicalRow, type ExportScope, FORMAT, FORMAT_VERSION, type Line, TableDigest, type TableSummary, tableStart } from './format.js';
import { TransferError } from './transfer-error.js';

const PAGE_ROWS = 2000;

interface ExportOptions {
  /** only this account's (domain's) rows */
  account?: string;
  now?: () => number;
  pageRows?: number;
}

/** Refuses a database whose schema this exporter does not describe exactly. */
export async function checkSchema(db: Kysely<any>, which: string): Promise<void> {
  const applied = await appliedMigration(db);
  if (applied === undefined) throw new TransferError('conflict', `the ${which} database has no maws schema: it was never used by a maws server`);
  if (applied !== LATEST_MIGRATION) {
    throw new TransferError(
      'conflict',
      `the ${which} database's schema is "${applied}", this maws's is "${LATEST_MIGRATION}": start this version's server on it once to upgrade it, then try again`,
    );
  }
  const unknown = unknownToRegistry(await readCatalog(db));
  if (unknown.length > 0) {
    throw new TransferError('conflict', `the ${which} database has tables or columns this maws does not know: ${unknown.join(', ')}`);
  }
}

/**
 * The lines of an export of db, which must be a handle of one connection that nothing else uses
 * (see beginSnapshot). Everything that can refuse the export (schema, unknown account) is checked
 * before the header is yielded, so a caller can await the first line before it commits to answering.
 * Ending the iteration early ends the snapshot.
 */
export async function* exportLines(db: Kysely<any>, options: ExportOptions = {}): AsyncGenerator<Line> {
  await checkSchema(db, 'source');
  const snapshot = await beginSnapshot(db);
  try {
    let scope: ExportScope = { kind: 'service' };
    let domainId: string | undefined;
    if (options.account !== undefined) {
      domainId = await domainIdByName(db, options.account);
      if (domainId === undefined) throw new TransferError('not_found', `no account named ${JSON.stringify(options.account)}`);
      scope = { kind: 'account', account: options.account, domain_id: domainId };
    }
    const now = options.now ?? Date.now;
    yield {
      kind: 'header',
      header: { format: FORMAT, version: FORMAT_VERSION, schema: LATEST_MIGRATION, scope, created_at: new Date(now()).toISOString() },
    };
    const tables: Record<string, TableSummary> = {};
    for (const table of EXPORTED_TABLES) {
      yield { kind: 'table', start: tableStart(table) };
      const digest = new TableDigest();
      for await (const values of tableRows(db, table, domainId, options.pageRows)) {
        digest.add(values);
        yield { kind: 'row', values };
      }
      tables[table.name] = digest.summary();
    }
    // Without its trailer an export is refused on import: a broken snapshot cannot pass as whole.
    await checkSnapshotHeld(db, snapshot);
    yield { kind: 'trailer', trailer: { end: FORMAT, tables } };
  } finally {
    await endSnapshot(db);
  }
}

/** A table's rows (of one domain, if given) in primary-key order, canonical, page by page. */
async function* tableRows(db: Kysely<any>, table: TableSpec, domainId: string | undefined, limit = PAGE_ROWS): AsyncGenerator<unknown[]> {
  let after: unknown[] | undefined;
  for (;;) {
    const page = await readPage(db, { table, after, limit, domainId });
    let values: unknown[] = [];
    for (const raw of page) {
      values = canonicalRow(table, raw);
      yield values;
    }
    if (page.length < limit) return;
    after = table.primaryKey.map((column) => values[table.columns.findIndex((c) => c.name === column)]);
  }
}

/**
 * Each table's row count and checksum as db holds them now (in the caller's transaction, if any);
 * onRows is told every page's progress.
 */
export async function digestTables(db: Kysely<any>, onRows?: (table: string, rows: number) => void): Promise<Record<string, TableSummary>> {
  const tables: Record<string, TableSummary> = {};
  for (const table of EXPORTED_TABLES) {
    const digest = new TableDigest();
    for await (const values of tableRows(db, table, undefined)) {
      digest.add(values);
      if (digest.rows % PAGE_ROWS === 0) onRows?.(table.name, digest.rows);
    }
    tables[table.name] = digest.summary();
  }
  return tables;
}
