/**
 * The databases the CLI's import and migrate name on the command line, opened directly: a SQLite
 * file (a path or sqlite:PATH) or a PostgreSQL URL. Each handle is one connection, so that a
 * source is read in one snapshot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../config.js';
import { connectDb } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import type { DB } from '../db/types.js';
import { exportLines } from './export.js';
import type { Line } from './format.js';
import { type ImportOptions, type ImportReport, importLines } from './import.js';
import { TransferError } from './transfer-error.js';

/** Reads beat page faults on a one-pass copy: no mmap. */
const NO_MMAP = 0;

export function parseDatabase(spec: string): Database {
  if (/^postgres(ql)?:\/\//.test(spec)) return { kind: 'postgres', url: spec };
  const file = spec.startsWith('sqlite:') ? spec.slice('sqlite:'.length) : spec;
  if (file === '' || file === ':memory:') throw new TransferError('invalid', `${JSON.stringify(spec)} names no database file`);
  return { kind: 'sqlite', file: path.resolve(file), mmapBytes: NO_MMAP };
}

/** For messages: a PostgreSQL URL with its password masked. */
function describeDatabase(database: Database): string {
  if (database.kind === 'sqlite') return database.file;
  try {
    const url = new URL(database.url);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return 'the PostgreSQL database';
  }
}

function sqliteFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
}

interface Opened {
  db: Kysely<DB>;
  /** true when opening created the SQLite file, which a failed import then removes */
  created: boolean;
  close(): Promise<void>;
}

async function open(database: Database, role: 'source' | 'target'): Promise<Opened> {
  const created = database.kind === 'sqlite' && !fs.existsSync(database.file);
  if (created && role === 'source') throw new TransferError('invalid', `there is no SQLite database at ${database.file}`);
  let db: Kysely<DB>;
  try {
    db = connectDb(database, { connections: 1 });
  } catch (error) {
    throw new TransferError('conflict', `cannot open the ${role} database ${describeDatabase(database)}: ${(error as Error).message}`);
  }
  try {
    await sql`select 1`.execute(db);
    if (role === 'target') await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    if (created) for (const file of sqliteFiles((database as { file: string }).file)) fs.rmSync(file, { force: true });
    throw new TransferError('conflict', `cannot use the ${role} database ${describeDatabase(database)}: ${(error as Error).message.split('\n')[0]}`);
  }
  return { db, created, close: () => db.destroy() };
}

/**
 * `maws admin import` (and the second half of migrate): migrates the target, refuses it unless
 * empty, loads the lines, verifies; a SQLite file it created goes again on failure.
 */
export async function importInto(target: Database, lines: AsyncIterable<Line>, options: ImportOptions = {}): Promise<ImportReport> {
  const opened = await open(target, 'target');
  let failed = true;
  try {
    const report = await importLines(opened.db, lines, options);
    failed = false;
    return report;
  } finally {
    await opened.close();
    if (failed && opened.created) for (const file of sqliteFiles((target as { file: string }).file)) fs.rmSync(file, { force: true });
  }
}

/** `maws migrate`: the source read in one snapshot, straight into an empty target, verified. */
export async function migrateDatabase(source: Database, target: Database, options: ImportOptions = {}): Promise<ImportReport> {
  const from = await open(source, 'source');
  try {
    return await importInto(target, exportLines(from.db), options);
  } finally {
    await from.close();
  }
}
