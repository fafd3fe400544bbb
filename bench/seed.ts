/**
 * The seeded database: bootstrapped with the fixed root account (the IAM module's bootstrap), then
 * N workspaces written through Kysely in big transactions with the right projects.workspace_count.
 * Seeded once into a cache (keyed by the schema and the generator) and copied for every run.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { connectDb } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { orderAllSeqs } from '../src/db/name-order.js';
import type { Db, WorkspaceGrantTable, WorkspaceTable } from '../src/db/types.js';
import { createIdentityRepository } from '../src/iam/identity.repository.js';
import { createModules } from '../src/server.js';
import { openSecrets } from '../src/secrets/start.js';
import { benchEnterpriseProjects, benchUsers, DATA_VERSION, workspaceRows } from './data.js';
import { type BenchEnv, REPO, ROOT, serverEnv } from './env.js';

const BATCH_ROWS = 1000;
const ROWS_PER_TRANSACTION = 25_000;

export interface SeedInfo {
  kind: 'sqlite' | 'postgres';
  key: string;
  /** where the cached seed lives: a directory (SQLite) or a database name (PostgreSQL) */
  location: string;
  reused: boolean;
  seedMs: number | null;
  workspaces: number;
}

export interface RunDatabase {
  /** server environment pointing at this run's copy */
  env: Record<string, string>;
  dataDir: string;
  cleanup(): Promise<void>;
}

/** Files whose change means the cached database no longer matches what the server would create. */
function schemaFiles(): string[] {
  const migrations = path.join(REPO, 'src/db/migrations');
  return [
    ...fs.readdirSync(migrations).sort().map((f) => path.join(migrations, f)),
    path.join(REPO, 'src/db/migrate.ts'),
    // Migration 0004 builds the SQLite name index from it.
    path.join(REPO, 'src/db/name-index.ts'),
    // Migration 0009 adds the SQLite stored summaries from it, and they are built with this.
    path.join(REPO, 'src/db/stored-summary.ts'),
    path.join(REPO, 'src/db/json-object.ts'),
    // Migration 0010 adds the SQLite sort keys from it.
    path.join(REPO, 'src/db/sort-keys.ts'),
    // Migration 0012 and the seed put the SQLite seqs in name order with it.
    path.join(REPO, 'src/db/name-order.ts'),
    path.join(REPO, 'src/iam/bootstrap.ts'),
    path.join(REPO, 'src/workspaces/default-workspace.ts'),
  ];
}

function seedKey(kind: string, workspaces: number): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ DATA_VERSION, kind, workspaces, ROOT }));
  for (const file of schemaFiles()) hash.update(path.relative(REPO, file)).update(fs.readFileSync(file));
  return hash.digest('hex').slice(0, 12);
}

async function fill(db: Db, count: number, log: (line: string) => void): Promise<void> {
  const root = await createIdentityRepository().findRootUser(db);
  if (!root) throw new Error('bootstrap did not create the root user');
  const now = Date.now();
  const users = benchUsers(root.domain_id, now);
  const eps = benchEnterpriseProjects(root.domain_id, now);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('users').values(users).execute();
    await trx.insertInto('enterprise_projects').values(eps).execute();
  });
  const rows = workspaceRows(
    ROOT.projectId,
    count,
    { id: root.id, name: root.name },
    users.map((u) => ({ id: u.id, name: u.name })),
    eps.map((e) => e.id),
    now,
  );
  let done = 0;
  let exhausted = count === 0;
  while (!exhausted) {
    await db.transaction().execute(async (trx) => {
      let inTransaction = 0;
      while (inTransaction < ROWS_PER_TRANSACTION) {
        const batch: WorkspaceTable[] = [];
        const grants: WorkspaceGrantTable[] = [];
        while (batch.length < BATCH_ROWS) {
          const next = rows.next();
          if (next.done) {
            exhausted = true;
            break;
          }
          batch.push(next.value.row);
          grants.push(...next.value.grants);
        }
        if (batch.length > 0) await trx.insertInto('workspaces').values(batch).execute();
        if (grants.length > 0) await trx.insertInto('workspace_grants').values(grants).execute();
        inTransaction += batch.length;
        if (exhausted) break;
      }
      if (done + inTransaction === count) exhausted = true;
      // The default workspace "0" counts too (see insertWorkspace in workspace.service.ts).
      done += inTransaction;
      await trx.updateTable('projects').set({ workspace_count: 1 + done }).where('id', '=', ROOT.projectId).execute();
    });
    log(`  seeded ${done.toLocaleString('en-US')} / ${count.toLocaleString('en-US')} workspaces`);
  }
}

async function bootstrapAndFill(env: Record<string, string>, count: number, log: (line: string) => void): Promise<void> {
  const config = loadConfig(serverEnv(env));
  const db = connectDb(config.database);
  try {
    await migrateToLatest(db);
    if (!(await createModules(config, db, await openSecrets(config, db)).iam.bootstrap(config.root, config.regions))) throw new Error('the database to seed was not empty');
    await fill(db, count, log);
    if (config.database.kind === 'sqlite') {
      // The rows went in straight, in random name order: as the server keeps them (name-order.ts).
      await db.transaction().execute((trx) => orderAllSeqs(trx));
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    } else {
      // What autovacuum would do after 100k inserts; the template copy keeps the statistics.
      await sql`VACUUM ANALYZE`.execute(db);
    }
  } finally {
    await db.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// SQLite: a directory <cache>/sqlite-<key>/ with maws.db and meta.json (written last).

async function sqliteSeed(env: BenchEnv, log: (line: string) => void): Promise<SeedInfo> {
  const key = seedKey('sqlite', env.workspaces);
  const dir = path.join(env.cacheDir, `sqlite-${key}`);
  const meta = path.join(dir, 'meta.json');
  if (!env.noCache && fs.existsSync(meta)) {
    return { kind: 'sqlite', key, location: dir, reused: true, seedMs: null, workspaces: env.workspaces };
  }
  await fsp.rm(dir, { recursive: true, force: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  await fsp.rm(tmp, { recursive: true, force: true });
  await fsp.mkdir(tmp, { recursive: true });
  const started = performance.now();
  try {
    await bootstrapAndFill({ MAWS_DATA_DIR: tmp }, env.workspaces, log);
    const seedMs = performance.now() - started;
    await fsp.writeFile(path.join(tmp, 'meta.json'), JSON.stringify({ key, workspaces: env.workspaces, seedMs, at: new Date().toISOString() }));
    await fsp.rename(tmp, dir);
    return { kind: 'sqlite', key, location: dir, reused: false, seedMs, workspaces: env.workspaces };
  } catch (error) {
    await fsp.rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

async function sqliteRunCopy(seed: SeedInfo): Promise<RunDatabase> {
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'maws-bench-run-'));
  await fsp.copyFile(path.join(seed.location, 'maws.db'), path.join(dataDir, 'maws.db'));
  return {
    env: { MAWS_DATA_DIR: dataDir },
    dataDir,
    cleanup: () => fsp.rm(dataDir, { recursive: true, force: true }),
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a template database maws_bench_seed_<key> (renamed into place when complete),
// copied with CREATE DATABASE … TEMPLATE for every run.

function dbUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function postgresSeed(env: BenchEnv, log: (line: string) => void): Promise<SeedInfo> {
  const key = seedKey('postgres', env.workspaces);
  const name = `maws_bench_seed_${key}`;
  const exists = await admin(env.pgAdminUrl, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount);
  if (!env.noCache && exists) {
    return { kind: 'postgres', key, location: name, reused: true, seedMs: null, workspaces: env.workspaces };
  }
  const tmp = `maws_bench_tmp_${key}_${process.pid}`;
  await admin(env.pgAdminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`DROP DATABASE IF EXISTS ${tmp} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${tmp}`);
  });
  const started = performance.now();
  try {
    const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'maws-bench-seed-'));
    try {
      await bootstrapAndFill({ MAWS_DATA_DIR: dataDir, DATABASE_URL: dbUrl(env.pgAdminUrl, tmp) }, env.workspaces, log);
    } finally {
      await fsp.rm(dataDir, { recursive: true, force: true });
    }
    await admin(env.pgAdminUrl, (c) => c.query(`ALTER DATABASE ${tmp} RENAME TO ${name}`));
  } catch (error) {
    await admin(env.pgAdminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${tmp} WITH (FORCE)`)).catch(() => undefined);
    throw error;
  }
  return { kind: 'postgres', key, location: name, reused: false, seedMs: performance.now() - started, workspaces: env.workspaces };
}

async function postgresRunCopy(env: BenchEnv, seed: SeedInfo, tag: string): Promise<RunDatabase> {
  const name = `maws_bench_run_${process.pid}${tag ? `_${tag}` : ''}`;
  await admin(env.pgAdminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name} TEMPLATE ${seed.location}`);
  });
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'maws-bench-run-'));
  return {
    env: { MAWS_DATA_DIR: dataDir, DATABASE_URL: dbUrl(env.pgAdminUrl, name) },
    dataDir,
    async cleanup() {
      await admin(env.pgAdminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await fsp.rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------

export function seedDatabase(env: BenchEnv, log: (line: string) => void): Promise<SeedInfo> {
  return env.db === 'sqlite' ? sqliteSeed(env, log) : postgresSeed(env, log);
}

/** `tag` tells apart several copies of one run (a PostgreSQL database name has no random part). */
export function runCopy(env: BenchEnv, seed: SeedInfo, tag = ''): Promise<RunDatabase> {
  return env.db === 'sqlite' ? sqliteRunCopy(seed) : postgresRunCopy(env, seed, tag);
}

/** The seeded workspace ids (without the default "0"), read from a run copy before its server starts. */
export async function workspaceIds(run: RunDatabase): Promise<string[]> {
  const config = loadConfig(serverEnv(run.env));
  const db = connectDb(config.database);
  try {
    const rows = await db
      .selectFrom('workspaces')
      .select('id')
      .where('project_id', '=', ROOT.projectId)
      .where('id', '<>', '0')
      .execute();
    return rows.map((r) => r.id);
  } finally {
    await db.destroy();
  }
}
