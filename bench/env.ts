/** Benchmark knobs (environment) and the fixed identity the seeded database is bootstrapped with. */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(BENCH_DIR, '..');

function int(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

function list(name: string): string[] | undefined {
  const raw = process.env[name];
  return raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

// An `…Untraced` scenario is its twin run against a second server with MAWS_AUDIT_TRAIL=false.
// `list1000Ref` and `createRef` are references for list1000 and create: the same page from
// JSON.stringify on the bare server, and raw inserts at the server's durability (README).
const SCENARIO_NAMES = [
  'bare', 'show', 'showUntraced', 'list10', 'list1000', 'list1000Ref', 'listName', 'create', 'createUntraced', 'createRef',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface BenchEnv {
  db: 'sqlite' | 'postgres';
  /** seconds per measured autocannon run */
  duration: number;
  /** seconds of warm-up before every measured run */
  warmup: number;
  /** interleaved rounds over all scenarios */
  rounds: number;
  /** slices a scenario and its untraced twin take turns in, within each measured run */
  pairSlices: number;
  connections: number;
  /** connections for the 1000-row list (c=50 only queues: see perf-baseline) */
  connectionsLarge: number;
  workspaces: number;
  coldStarts: number;
  idleMs: number;
  only: ScenarioName[];
  pin: boolean;
  /**
   * BENCH_DB=postgres, pinned: where a local PostgreSQL runs (BENCH_PIN_POSTGRES: anywhere, the
   * default, where the scheduler puts it; server or client, pinned to that CPU for the run)
   */
  pinPostgres: 'anywhere' | 'server' | 'client';
  serverCpu: string;
  clientCpu: string;
  cacheDir: string;
  noCache: boolean;
  keep: boolean;
  build: boolean;
  cpuProf: boolean;
  pgAdminUrl: string;
  /** the server entry point (relative to the repository), for A/B runs of another build */
  serverMain: string;
  /**
   * another build's entry point for the twin scenarios (showUntraced, createUntraced): they then
   * run against that build, with traces on like the server, as an interleaved A/B of two builds
   */
  twinMain: string | undefined;
  /** extra node flags for the server process, e.g. "--max-semi-space-size=4" */
  serverNodeArgs: string[];
  /** extra environment for the server process ("K=V K2=V2"), applied last */
  serverExtraEnv: Record<string, string>;
}

function pinPostgresChoice(value: string | undefined): BenchEnv['pinPostgres'] {
  if (value === undefined || value === '' || value === '0' || value === 'anywhere') return 'anywhere';
  if (value === 'client' || value === '1') return 'client';
  if (value === 'server') return 'server';
  throw new Error(`BENCH_PIN_POSTGRES must be anywhere, server or client, got ${value}`);
}

export function readEnv(): BenchEnv {
  const only = list('BENCH_ONLY');
  for (const name of only ?? []) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(name)) {
      throw new Error(`BENCH_ONLY: unknown scenario ${name} (known: ${SCENARIO_NAMES.join(', ')})`);
    }
  }
  const db = process.env.BENCH_DB ?? 'sqlite';
  if (db !== 'sqlite' && db !== 'postgres') throw new Error(`BENCH_DB must be sqlite or postgres, got ${db}`);
  return {
    db,
    duration: int('BENCH_DURATION', 8, 1),
    warmup: int('BENCH_WARMUP', 2, 0),
    rounds: int('BENCH_ROUNDS', 2, 1),
    pairSlices: int('BENCH_PAIR_SLICES', 4, 1),
    connections: int('BENCH_CONNECTIONS', 50, 1),
    connectionsLarge: int('BENCH_CONNECTIONS_LARGE', 10, 1),
    workspaces: int('BENCH_WORKSPACES', 100_000, 0),
    coldStarts: int('BENCH_COLD_STARTS', 5, 0),
    idleMs: int('BENCH_IDLE_MS', 2000, 0),
    only: (only as ScenarioName[] | undefined) ?? [...SCENARIO_NAMES],
    pin: process.env.BENCH_PIN !== '0',
    pinPostgres: pinPostgresChoice(process.env.BENCH_PIN_POSTGRES),
    serverCpu: process.env.BENCH_SERVER_CPU ?? '0',
    clientCpu: process.env.BENCH_CLIENT_CPU ?? '1',
    cacheDir: process.env.BENCH_CACHE_DIR ?? path.join(os.tmpdir(), 'maws-bench-cache'),
    noCache: process.env.BENCH_NO_CACHE === '1',
    keep: process.env.BENCH_KEEP === '1',
    build: process.env.BENCH_NO_BUILD !== '1',
    cpuProf: process.env.BENCH_CPU_PROF === '1',
    pgAdminUrl: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    serverMain: process.env.BENCH_SERVER_MAIN ?? 'dist/main.js',
    twinMain: process.env.BENCH_TWIN_MAIN || undefined,
    serverNodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
    serverExtraEnv: Object.fromEntries(
      (process.env.BENCH_SERVER_ENV ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((kv) => {
          const eq = kv.indexOf('=');
          if (eq <= 0) throw new Error(`BENCH_SERVER_ENV: expected K=V, got ${kv}`);
          return [kv.slice(0, eq), kv.slice(eq + 1)];
        }),
    ),
  };
}

/** The account every seeded database is bootstrapped with (first start only, so it must never change per run). */
export const ROOT = {
  name: 'admin',
  password: 'Bench-Passw0rd!',
  accessKey: 'BENCHROOTACCESSKEY01',
  secretKey: 'benchRootSecretKey0123456789abcdefghijklm',
  projectId: 'b3c0ffee0b3c0ffee0b3c0ffee000001',
  projectName: 'cn-north-4',
  /** fixed, so that every seeded database and every run share it (see README: Secrets at rest) */
  masterKey: 'YmVuY2gtbWFzdGVyLWtleS0wMTIzNDU2Nzg5YWJjZGU=',
} as const;

/** Environment for a server process (or for in-process seeding) on the given database. */
export function serverEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    MAWS_HOST: '127.0.0.1',
    MAWS_LOG_LEVEL: 'warn',
    MAWS_MAX_WORKSPACES: '0',
    MAWS_ROOT_NAME: ROOT.name,
    MAWS_ROOT_PASSWORD: ROOT.password,
    MAWS_ROOT_ACCESS_KEY: ROOT.accessKey,
    MAWS_ROOT_SECRET_KEY: ROOT.secretKey,
    MAWS_PROJECT_ID: ROOT.projectId,
    MAWS_REGIONS: ROOT.projectName,
    MAWS_MASTER_KEY: ROOT.masterKey,
    ...extra,
  };
}
