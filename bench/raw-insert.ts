/**
 * The create reference (`createRef`): raw inserts of workspace rows, one transaction per insert,
 * at the server's durability, with no HTTP, no Kysely and no trace. Started by run.ts pinned to the
 * server's CPU on a copy of the seeded database of its own:
 *
 *   node --import tsx bench/raw-insert.ts <warm-up s> <measured s> <server cpu or ''> <lanes> [<postmaster> <server|client|anywhere>]
 *
 * with the server's environment for that copy. `lanes`: transactions at once, PostgreSQL only
 * (on SQLite each insert commits on its own, while the server groups its commits). With a local
 * PostgreSQL, its processes' CPU is read too, as around the server's runs (load.ts, DbProcesses).
 * Prints one JSON line: a LoadResult of the measured part (inserts as requests; its own CPU as
 * the server CPU).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { useServerPragmas } from '../src/db/connect.js';
import { WORKSPACE_COLUMNS } from '../src/workspaces/workspace.repository.js';
import { ROOT } from './env.js';
import { busyShare, type DbProcesses, dbSecondsBetween, type LoadResult, otherLoadPct, readDbCpu, stealPctBetween } from './load.js';
import { cpuTimes } from './proc.js';

const COLUMNS = WORKSPACE_COLUMNS;

const runTag = Date.now().toString(36);
let inserted = 0;

function row(owner: { id: string; name: string }): unknown[] {
  const time = Date.now();
  return [
    ROOT.projectId, randomUUID().replaceAll('-', ''), `raw-${runTag}-${++inserted}`, 'created by npm run bench',
    owner.id, owner.name, '0', 'public', 'NORMAL', '', time, time,
  ];
}

interface Timed {
  count: number;
  latenciesMs: number[];
}

type Once = (lane: number) => Promise<void> | void;

/** Runs `once` back to back on `lanes` lanes until `seconds` have passed. */
async function loop(seconds: number, lanes: number, once: Once): Promise<Timed> {
  const end = performance.now() + seconds * 1000;
  const latenciesMs: number[] = [];
  const lane = async (_: unknown, index: number) => {
    while (performance.now() < end) {
      const started = performance.now();
      await once(index);
      latenciesMs.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return { count: latenciesMs.length, latenciesMs };
}

/** In ms, rounded to 10 µs (autocannon's are whole ms; an insert often takes less). */
function percentile(sorted: number[], p: number): number {
  const v = sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return Math.round(v * 100) / 100;
}

async function measured(seconds: number, lanes: number, cpu: string | undefined, once: Once, db?: DbProcesses): Promise<LoadResult> {
  const dbBefore = readDbCpu(db);
  const machineBefore = cpuTimes();
  const before = cpuTimes(cpu);
  const usage = process.cpuUsage();
  const wallBefore = performance.now();
  const { count, latenciesMs } = await loop(seconds, lanes, once);
  const wallSec = (performance.now() - wallBefore) / 1000;
  const own = process.cpuUsage(usage);
  const after = cpuTimes(cpu);
  const machineAfter = cpuTimes();
  const dbAfter = readDbCpu(db);
  const dbSec = dbSecondsBetween(dbBefore, dbAfter);
  const ownSec = (own.user + own.system) / 1e6;
  const sorted = latenciesMs.sort((a, b) => a - b);
  return {
    requests: count,
    durationSec: wallSec,
    rps: count / wallSec,
    latencyMs: {
      avg: count > 0 ? Math.round((latenciesMs.reduce((a, b) => a + b, 0) / count) * 100) / 100 : 0,
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: percentile(sorted, 100),
    },
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    statusCodes: {},
    bytesPerSec: 0,
    serverCpuUsPerReq: count > 0 ? (ownSec * 1e6) / count : null,
    serverCpuPct: (ownSec / wallSec) * 100,
    // the inserting process is the "client" and the "server" at once
    clientCpuPct: 0,
    stealPct: stealPctBetween(before, after),
    dbCpuUsPerReq: dbSec !== null && count > 0 ? (dbSec * 1e6) / count : null,
    foreignPct:
      cpu === undefined
        ? null
        : otherLoadPct({ wallSec, serverCpuBusy: busyShare(before, after), machineBusy: busyShare(machineBefore, machineAfter), serverSec: ownSec, clientSec: 0, dbSec, db }),
  };
}

async function sqlite(file: string, mmapBytes: number, warmup: number, seconds: number, cpu: string | undefined): Promise<LoadResult> {
  const database = new SQLite(file);
  // The server's: the same durability (a commit is fsync'ed) and the same checks.
  useServerPragmas(database, mmapBytes);
  try {
    const owner = database.prepare('SELECT id, name FROM users WHERE is_root = 1').get() as { id: string; name: string };
    const begin = database.prepare('BEGIN');
    const insert = database.prepare(`INSERT INTO workspaces (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
    const commit = database.prepare('COMMIT');
    const once = () => {
      begin.run();
      insert.run(...row(owner));
      commit.run();
    };
    if (warmup > 0) await loop(warmup, 1, once);
    return await measured(seconds, 1, cpu, once);
  } finally {
    database.close();
  }
}

async function postgres(url: string, lanes: number, warmup: number, seconds: number, cpu: string | undefined, db?: DbProcesses): Promise<LoadResult> {
  const clients = Array.from({ length: lanes }, () => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  try {
    const owner = (await clients[0]!.query('SELECT id, name FROM users WHERE is_root = 1')).rows[0] as { id: string; name: string };
    const text = `INSERT INTO workspaces (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
    // One lane per connection, as the server's pool commits up to that many creates at once.
    const once = async (lane: number) => {
      const client = clients[lane]!;
      await client.query('BEGIN');
      await client.query(text, row(owner));
      await client.query('COMMIT');
    };
    if (warmup > 0) await loop(warmup, clients.length, once);
    return await measured(seconds, clients.length, cpu, once, db);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

const [warmup, seconds] = [Number(process.argv[2] ?? 0), Number(process.argv[3] ?? 8)];
const cpu = process.argv[4] || undefined;
const lanes = Number(process.argv[5] ?? 1);
const db: DbProcesses | undefined = process.argv[6] ? { root: Number(process.argv[6]), where: process.argv[7] as DbProcesses['where'] } : undefined;
const database = loadConfig(process.env).database;
const result =
  database.kind === 'sqlite'
    ? await sqlite(database.file, database.mmapBytes, warmup, seconds, cpu)
    : await postgres(database.url, lanes, warmup, seconds, cpu, db);
process.stdout.write(`${JSON.stringify(result)}\n`);
