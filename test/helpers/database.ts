import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** Which database the suite runs on: `MAWS_TEST_DB=postgres npm run test:postgres`, SQLite otherwise. */
export const TEST_DB: 'sqlite' | 'postgres' = process.env.MAWS_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
export const ADMIN_URL = process.env.MAWS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestStorage {
  dataDir: string;
  /** environment for a server using this storage: a temp data dir, plus DATABASE_URL on PostgreSQL */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for one test server (or for several replicas sharing it). */
export async function createTestStorage(): Promise<TestStorage> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'maws-test-'));
  if (TEST_DB === 'sqlite') {
    return { dataDir, env: { MAWS_DATA_DIR: dataDir }, cleanup: () => fs.rm(dataDir, { recursive: true, force: true }) };
  }
  const name = `maws_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dataDir,
    env: { MAWS_DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    async cleanup() {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
