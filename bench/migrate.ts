/**
 * `npm run bench:migrate`: times `maws migrate` (in this process) from the benchmark's seeded
 * SQLite database (100k workspaces, see seed.ts; cached) into a new, empty PostgreSQL database,
 * which is dropped afterwards. The issue's target: under a minute. See bench/README.md.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { runCli } from '../src/cli/cli.js';
import { readEnv } from './env.js';
import { runCopy, seedDatabase } from './seed.js';

const TARGET_MS = 60_000;

async function admin(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const env = { ...readEnv(), db: 'sqlite' as const };
const log = (line: string) => process.stdout.write(`${line}\n`);
const seed = await seedDatabase(env, log);
log(`seed: ${seed.workspaces.toLocaleString('en-US')} workspaces (${seed.reused ? 'cached' : `seeded in ${((seed.seedMs ?? 0) / 1000).toFixed(1)} s`})`);
const source = await runCopy(env, seed);
const name = `maws_bench_migrate_${process.pid}`;
const url = new URL(env.pgAdminUrl);
url.pathname = `/${name}`;
await admin(env.pgAdminUrl, `CREATE DATABASE ${name}`);
try {
  const started = performance.now();
  const code = await runCli(['migrate', '--from', `${source.dataDir}/maws.db`, '--to', url.toString()], { configPath: '/nonexistent/maws-config.json' });
  const seconds = (performance.now() - started) / 1000;
  log(`maws migrate SQLite → PostgreSQL: ${seconds.toFixed(1)} s (exit ${code}; target < ${TARGET_MS / 1000} s: ${seconds * 1000 < TARGET_MS ? 'met' : 'MISSED'})`);
  process.exitCode = code === 0 && seconds * 1000 < TARGET_MS ? 0 : 1;
} finally {
  await admin(env.pgAdminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await source.cleanup();
}
