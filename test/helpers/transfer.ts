// Databases for export, import and migrate tests: empty ones of either kind (whatever MAWS_TEST_DB
// says, since a round trip crosses kinds), and reading a whole export back.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Database } from '../../src/config.js';
import { connectDb } from '../../src/db/connect.js';
import type { Db } from '../../src/db/types.js';
import { exportLines } from '../../src/transfer/export.js';
import { serializeLines } from '../../src/transfer/ndjson.js';
import { ADMIN_URL } from './database.js';
import { OPERATOR_TOKEN, type TestServer } from './server.js';

export interface EmptyDatabase {
  kind: 'sqlite' | 'postgres';
  /** as the CLI takes it: a SQLite path or a postgres:// URL */
  spec: string;
  database: Database;
  /** a server's environment on it */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

async function admin(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

/** A database that does not exist yet (SQLite: a path in a new directory) or an empty one (PostgreSQL). */
export async function emptyDatabase(kind: 'sqlite' | 'postgres'): Promise<EmptyDatabase> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'maws-transfer-'));
  if (kind === 'sqlite') {
    const file = path.join(dir, 'maws.db');
    return {
      kind,
      spec: file,
      database: { kind, file, mmapBytes: 0 },
      env: { MAWS_DATA_DIR: dir, DATABASE_URL: `sqlite:${file}` },
      cleanup: () => fs.rm(dir, { recursive: true, force: true }),
    };
  }
  const name = `maws_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    spec: url.toString(),
    database: { kind, url: url.toString() },
    env: { MAWS_DATA_DIR: dir, DATABASE_URL: url.toString() },
    async cleanup() {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export function otherKind(kind: 'sqlite' | 'postgres'): 'sqlite' | 'postgres' {
  return kind === 'sqlite' ? 'postgres' : 'sqlite';
}

/** A whole export read directly from a database (one connection, closed afterwards). */
export async function exportText(database: Database, options: { account?: string; pageRows?: number } = {}): Promise<string> {
  const db: Db = connectDb(database, { connections: 1 });
  try {
    let text = '';
    for await (const chunk of serializeLines(exportLines(db, options))) text += chunk;
    return text;
  } finally {
    await db.destroy();
  }
}

/** GET /maws/v1/export as text. */
export async function exportFromServer(srv: TestServer, query = ''): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${srv.url}/maws/v1/export${query}`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** The lines of an export, its header's created_at blanked: equal texts mean equal content. */
export function comparable(text: string): string[] {
  const [header, ...rest] = text.trimEnd().split('\n');
  return [JSON.stringify({ ...JSON.parse(header!), created_at: '' }), ...rest];
}

/** Rows of each table, as parsed JSON arrays. */
export function rowsByTable(text: string): Map<string, { columns: string[]; rows: unknown[][] }> {
  const tables = new Map<string, { columns: string[]; rows: unknown[][] }>();
  let current: { columns: string[]; rows: unknown[][] } | undefined;
  for (const line of text.trimEnd().split('\n').slice(1)) {
    const value = JSON.parse(line);
    if (Array.isArray(value)) current!.rows.push(value);
    else if ('table' in value) tables.set(value.table, (current = { columns: value.columns, rows: [] }));
  }
  return tables;
}

/** A table's rows as objects. */
export function records(text: string, table: string): Record<string, any>[] {
  const found = rowsByTable(text).get(table);
  if (!found) throw new Error(`no table ${table} in the export`);
  return found.rows.map((row) => Object.fromEntries(found.columns.map((c, i) => [c, row[i]])));
}
