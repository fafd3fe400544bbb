/**
 * The export format (docs/export-format.md), version 1: newline-delimited JSON. A header, then
 * per table a line naming it and its columns followed by its rows (JSON arrays), then a trailer
 * with each table's row count and SHA-256. ExportChecker checks a stream of lines against the
 * format and the table registry, and computes the digests, wherever lines are read.
 */
import { createHash, type Hash } from 'node:crypto';
import { LATEST_MIGRATION } from '../db/migrate.js';
import { EXPORTED_TABLES, type TableSpec } from '../db/table-registry.js';
import { TransferError } from './transfer-error.js';

export const FORMAT = 'modelarts-workspaces-export';
export const FORMAT_VERSION = 1;

export type ExportScope = { kind: 'service' } | { kind: 'account'; account: string; domain_id: string };

export interface Header {
  format: typeof FORMAT;
  version: typeof FORMAT_VERSION;
  /** the newest migration of the exported database */
  schema: string;
  scope: ExportScope;
  created_at: string;
}

export interface TableStart {
  table: string;
  columns: string[];
  primary_key: string[];
}

export interface TableSummary {
  rows: number;
  sha256: string;
}

export interface Trailer {
  end: typeof FORMAT;
  tables: Record<string, TableSummary>;
}

export type Line =
  | { kind: 'header'; header: Header }
  | { kind: 'table'; start: TableStart }
  | { kind: 'row'; values: unknown[] }
  | { kind: 'trailer'; trailer: Trailer };

export function serializeLine(line: Line): string {
  switch (line.kind) {
    case 'header':
      return JSON.stringify(line.header);
    case 'table':
      return JSON.stringify(line.start);
    case 'row':
      return JSON.stringify(line.values);
    case 'trailer':
      return JSON.stringify(line.trailer);
  }
}

/** One line of text (without its newline) as a Line; lineNumber counts from 1, for the message. */
export function parseLine(text: string, lineNumber: number): Line {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TransferError('invalid', `line ${lineNumber} is not JSON: this is not a ${FORMAT} file, or it is damaged`);
  }
  if (Array.isArray(value)) return { kind: 'row', values: value };
  if (typeof value === 'object' && value !== null) {
    if ('format' in value) return { kind: 'header', header: value as Header };
    if ('table' in value) return { kind: 'table', start: value as TableStart };
    if ('end' in value) return { kind: 'trailer', trailer: value as Trailer };
  }
  throw new TransferError('invalid', `line ${lineNumber} is neither a header, a table, a row nor a trailer`);
}

/**
 * A value as the format writes it, the same from either database: integers as JSON numbers
 * (PostgreSQL's bigint may come as a string, a driver may give booleans), text as strings.
 */
function canonicalValue(table: TableSpec, column: number, value: unknown): unknown {
  const spec = table.columns[column]!;
  if (value === null || value === undefined) {
    if (spec.nullable) return null;
  } else if (spec.type === 'text') {
    if (typeof value === 'string') return value;
  } else {
    const number =
      typeof value === 'boolean' ? Number(value) : typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+$/.test(value)) ? Number(value) : value;
    if (typeof number === 'number' && Number.isSafeInteger(number)) return number;
  }
  throw new TransferError('invalid', `${table.name}.${spec.name}: ${JSON.stringify(String(value))} is not ${spec.nullable ? 'null or ' : ''}${spec.type === 'text' ? 'text' : 'an integer'}`);
}

export function canonicalRow(table: TableSpec, values: readonly unknown[]): unknown[] {
  return values.map((v, i) => canonicalValue(table, i, v));
}

/** A table's row count and SHA-256 over its rows' canonical JSON, one per line, in primary-key order. */
export class TableDigest {
  private readonly hash: Hash = createHash('sha256');
  rows = 0;

  add(canonical: readonly unknown[]): void {
    this.hash.update(`${JSON.stringify(canonical)}\n`);
    this.rows++;
  }

  summary(): TableSummary {
    return { rows: this.rows, sha256: this.hash.digest('hex') };
  }
}

export function tableStart(table: TableSpec): TableStart {
  return { table: table.name, columns: table.columns.map((c) => c.name), primary_key: [...table.primaryKey] };
}

/** Why a header cannot be read by this version, or undefined. */
function headerProblem(header: Header): string | undefined {
  if (header.format !== FORMAT) return `not a ${FORMAT} file (its first line has no "format":"${FORMAT}")`;
  if (header.version !== FORMAT_VERSION) return `export format version ${JSON.stringify(header.version)} is not supported: this maws reads version ${FORMAT_VERSION}`;
  if (header.schema !== LATEST_MIGRATION) {
    return `the export's schema is ${JSON.stringify(header.schema)}, this maws's database schema is "${LATEST_MIGRATION}": import it with the maws version that exported it`;
  }
  const scope = header.scope as Partial<{ kind: string; account: unknown; domain_id: unknown }> | undefined;
  if (scope?.kind !== 'service' && !(scope?.kind === 'account' && typeof scope.account === 'string' && typeof scope.domain_id === 'string')) {
    return 'the header\'s scope is neither {"kind":"service"} nor an account';
  }
  return undefined;
}

interface CheckedRow {
  table: TableSpec;
  /** canonical values */
  values: unknown[];
}

/**
 * Checks lines one by one in the order of the format: the header first, then every registry
 * table in its order, each with its columns and well-typed rows, then the trailer, whose counts
 * and checksums must be those of the rows. finish() refuses a stream that ended early.
 */
export class ExportChecker {
  header: Header | undefined;
  private tableIndex = -1;
  private digest: TableDigest | undefined;
  private readonly summaries: Record<string, TableSummary> = {};
  private trailer: Trailer | undefined;
  private lineNumber = 0;

  get currentTable(): TableSpec | undefined {
    return EXPORTED_TABLES[this.tableIndex];
  }

  /** The checked row, for a row line. */
  accept(line: Line): CheckedRow | undefined {
    this.lineNumber++;
    const at = `line ${this.lineNumber}`;
    if (this.trailer) throw new TransferError('invalid', `${at}: nothing may follow the trailer`);
    if (!this.header) {
      if (line.kind !== 'header') throw new TransferError('invalid', `not a ${FORMAT} file: its first line is not the header`);
      const problem = headerProblem(line.header);
      if (problem) throw new TransferError('invalid', problem);
      this.header = line.header;
      return undefined;
    }
    switch (line.kind) {
      case 'header':
        throw new TransferError('invalid', `${at}: a second header`);
      case 'table': {
        this.closeTable();
        const expected = EXPORTED_TABLES[++this.tableIndex];
        if (!expected || line.start.table !== expected.name) {
          throw new TransferError('invalid', `${at}: table ${JSON.stringify(line.start.table)} where ${expected ? `table ${expected.name}` : 'the trailer'} was expected`);
        }
        const columns = expected.columns.map((c) => c.name);
        if (JSON.stringify(line.start.columns) !== JSON.stringify(columns)) {
          throw new TransferError('invalid', `${at}: table ${expected.name} has columns ${JSON.stringify(line.start.columns)}, expected ${JSON.stringify(columns)}`);
        }
        this.digest = new TableDigest();
        return undefined;
      }
      case 'row': {
        const table = this.currentTable;
        if (!table || !this.digest) throw new TransferError('invalid', `${at}: a row before any table line`);
        if (line.values.length !== table.columns.length) {
          throw new TransferError('invalid', `${at}: a row of ${table.name} has ${line.values.length} values, expected ${table.columns.length}`);
        }
        let values: unknown[];
        try {
          values = canonicalRow(table, line.values);
        } catch (error) {
          throw new TransferError('invalid', `${at}: ${(error as Error).message}`);
        }
        this.digest.add(values);
        return { table, values };
      }
      case 'trailer': {
        this.closeTable();
        if (this.tableIndex !== EXPORTED_TABLES.length - 1) {
          throw new TransferError('invalid', `${at}: the trailer comes before table ${EXPORTED_TABLES[this.tableIndex + 1]!.name}`);
        }
        for (const table of EXPORTED_TABLES) {
          const computed = this.summaries[table.name]!;
          const stated = line.trailer.tables?.[table.name];
          if (stated?.rows !== computed.rows || stated.sha256 !== computed.sha256) {
            throw new TransferError(
              'invalid',
              `the file is damaged: table ${table.name} has ${computed.rows} rows (SHA-256 ${computed.sha256.slice(0, 16)}…), its trailer says ${stated?.rows ?? '?'} (${stated?.sha256?.slice(0, 16) ?? '?'}…)`,
            );
          }
        }
        this.trailer = line.trailer;
        return undefined;
      }
    }
  }

  /** Each table's rows and checksum, once the trailer was accepted; refuses a stream without one. */
  finish(): Record<string, TableSummary> {
    if (!this.header) throw new TransferError('invalid', `the file is empty: not a ${FORMAT} file`);
    if (!this.trailer) {
      throw new TransferError('invalid', `the file ends after ${this.lineNumber} lines without its trailer: the export is incomplete (interrupted or truncated)`);
    }
    return this.summaries;
  }

  private closeTable(): void {
    const table = this.currentTable;
    if (table && this.digest) this.summaries[table.name] = this.digest.summary();
    this.digest = undefined;
  }
}
