/**
 * The importer: an export's lines into an empty, migrated database, in one transaction: checked
 * line by line (format, registry, trailer), inserted in multi-row batches, then read back and
 * compared table by table with the trailer before the commit. Any refusal leaves the database as
 * it was.
 */
import type { Kysely } from 'kysely';
import { EXPORTED_TABLES, type TableSpec } from '../db/table-registry.js';
import { orderAllSeqs } from '../db/name-order.js';
import { hasRows, insertBatchRows, insertRows, refreshStatistics } from '../db/table-rows.js';
import { checkSchema, digestTables } from './export.js';
import { ExportChecker, type ExportScope, type Line, type TableSummary } from './format.js';
import { TransferError } from './transfer-error.js';

export interface TableReport {
  table: string;
  /** what the export says (its trailer, which the rows were checked against) */
  source: TableSummary;
  /** what the database holds once loaded, read back before the commit */
  target: TableSummary;
}

export interface ImportReport {
  scope: ExportScope;
  tables: TableReport[];
}

export interface ImportOptions {
  /** told after each batch: the table being loaded (or verified) and its rows so far */
  onProgress?(table: string, rows: number, phase: 'loading' | 'verifying'): void;
}

async function refuseUnlessEmpty(db: Kysely<any>): Promise<void> {
  const used: string[] = [];
  for (const table of EXPORTED_TABLES) if (await hasRows(db, table)) used.push(table.name);
  if (used.length > 0) {
    throw new TransferError(
      'conflict',
      `the target database is not empty (rows in ${used.join(', ')}): import into a new database that no server has started on`,
    );
  }
}

class BatchWriter {
  private rows: unknown[][] = [];
  private table: TableSpec | undefined;
  private loaded = 0;

  constructor(
    private readonly db: Kysely<any>,
    private readonly onProgress: ImportOptions['onProgress'],
  ) {}

  async add(table: TableSpec, values: unknown[]): Promise<void> {
    if (table !== this.table) await this.flush();
    if (table !== this.table) this.loaded = 0;
    this.table = table;
    this.rows.push(values);
    if (this.rows.length >= insertBatchRows(table)) await this.flush();
  }

  async flush(): Promise<void> {
    const table = this.table;
    if (!table || this.rows.length === 0) return;
    try {
      await insertRows(this.db, table, this.rows);
    } catch (error) {
      throw new TransferError('invalid', `the database refused rows of ${table.name}: ${(error as Error).message.split('\n')[0]}`);
    }
    this.loaded += this.rows.length;
    this.rows = [];
    this.onProgress?.(table.name, this.loaded, 'loading');
  }
}

/**
 * Loads the lines into db, which must be migrated to this version's schema and empty. The header
 * is checked before anything is written; the rest in one transaction.
 */
export async function importLines(db: Kysely<any>, lines: AsyncIterable<Line>, options: ImportOptions = {}): Promise<ImportReport> {
  await checkSchema(db, 'target');
  const iterator = lines[Symbol.asyncIterator]();
  try {
    return await load(db, iterator, options);
  } finally {
    // A refusal stops reading: a source database's snapshot (migrate) ends with it.
    await iterator.return?.();
  }
}

async function load(db: Kysely<any>, iterator: AsyncIterator<Line>, options: ImportOptions): Promise<ImportReport> {
  const checker = new ExportChecker();
  const first = await iterator.next();
  if (first.done) checker.finish();
  else checker.accept(first.value);
  const scope = checker.header!.scope;
  const report = await db.transaction().execute(async (trx) => {
    await refuseUnlessEmpty(trx);
    const writer = new BatchWriter(trx, options.onProgress);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const row = checker.accept(next.value);
      if (row) await writer.add(row.table, row.values);
    }
    await writer.flush();
    // SQLite: the rows took seqs as they came; searches by name need them in name order.
    await orderAllSeqs(trx);
    const source = checker.finish();
    const target = await digestTables(trx, (table, rows) => options.onProgress?.(table, rows, 'verifying'));
    const tables = EXPORTED_TABLES.map((t) => ({ table: t.name, source: source[t.name]!, target: target[t.name]! }));
    const different = tables.filter((t) => t.source.rows !== t.target.rows || t.source.sha256 !== t.target.sha256);
    if (different.length > 0) {
      throw new TransferError(
        'invalid',
        `verification failed, nothing was imported: ${different.map((t) => `${t.table} has ${t.target.rows} rows (expected ${t.source.rows})${t.target.rows === t.source.rows ? ' with another checksum' : ''}`).join('; ')}`,
      );
    }
    return { scope, tables };
  });
  await refreshStatistics(db);
  return report;
}
