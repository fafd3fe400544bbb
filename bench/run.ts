/**
 * `npm run bench`: the real server (dist/main.js, pinned to one CPU) on a database seeded with
 * 100k workspaces, driven by autocannon from this process (pinned to the other CPU), against a
 * bare Fastify route measured in the same run. See bench/README.md.
 *
 *   npm run bench [-- --strict]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AutocannonRequest } from 'autocannon';
import { WORDS } from './data.js';
import { BENCH_DIR, type BenchEnv, REPO, ROOT, readEnv, type ScenarioName, serverEnv } from './env.js';
import { type DbProcesses, type LoadResult, type LoadSpec, mergeLoads, runLoad } from './load.js';
import {
  cpuSeconds,
  freePort,
  hasTaskset,
  killAllChildren,
  peakRssBytes,
  pinSelf,
  request,
  rssBytes,
  type Spawned,
  spawnNode,
  waitUntilServing,
} from './proc.js';
import { findPostmaster, pinPostgres } from './pin-postgres.js';
import { formatProfile, type ProfileSummary, summarizeProfile } from './profile.js';
import {
  comparePair,
  formatPairs,
  formatScenarios,
  formatTargets,
  mb,
  median,
  type PairReport,
  roundRatios,
  type ScenarioReport,
  summarizeScenario,
  type Target,
  target,
} from './report.js';
import { type RunDatabase, runCopy, type SeedInfo, seedDatabase, workspaceIds } from './seed.js';

const RESULTS_DIR = path.join(BENCH_DIR, 'results');

/** create with traces ÷ create without, req/s in the same round: the issue allows traces 15 % */
const TRACED_CREATE_MIN = 0.85;
/** show with ÷ without: reads have no trace hook; the margin is the noise of an A/A run on this machine (README) */
const TRACED_SHOW_MIN = 0.9;
/** The server's PostgreSQL pool size (connectDb's default): the raw-insert reference commits on as many sessions */
const RAW_PG_CONNECTIONS = 10;
const T0 = performance.now();

function log(line: string): void {
  process.stdout.write(`[${((performance.now() - T0) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// cleanup: children are killed by pid on every way out; the run's database copy is removed.

const cleanups: Array<() => Promise<void>> = [];
let cleaningUp = false;

async function cleanupAll(): Promise<void> {
  if (cleaningUp) return;
  cleaningUp = true;
  killAllChildren('SIGKILL');
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (error) {
      process.stderr.write(`cleanup failed: ${(error as Error).message}\n`);
    }
  }
}

process.on('exit', () => killAllChildren('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping the benchmark, killing its servers\n`);
    const force = setTimeout(() => process.exit(130), 5000);
    force.unref();
    void cleanupAll().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------

interface MawsServer {
  proc: Spawned;
  base: string;
}


async function startMaws(
  env: BenchEnv,
  run: RunDatabase,
  cpu: string | undefined,
  ready: { path: string; headers?: Record<string, string>; okStatus: number },
  nodeArgs: string[] = [],
  extraEnv: Record<string, string> = {},
  main = env.serverMain,
): Promise<{ server: MawsServer; readyMs: number }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawnNode([...env.serverNodeArgs, ...nodeArgs, main], {
    cwd: REPO,
    env: { ...serverEnv({ ...run.env, MAWS_PORT: String(port) }), ...env.serverExtraEnv, ...extraEnv },
    cpu,
  });
  const at = await waitUntilServing(proc, base + ready.path, { headers: ready.headers, okStatus: ready.okStatus, everyMs: 2 });
  return { server: { proc, base }, readyMs: at - proc.startedAt };
}

/**
 * One run of the create reference: bench/raw-insert.ts, pinned like the server, inserting into its
 * own copy of the seeded database (`lanes`: sequential on SQLite, one per pool session on
 * PostgreSQL). It warms up and measures itself; its CPU stands in for the server's.
 */
async function rawInserts(env: BenchEnv, run: RunDatabase, cpu: string | undefined, lanes: number, seconds: number, db?: DbProcesses): Promise<LoadResult> {
  const dbArgs = db ? [String(db.root), db.where] : [];
  const proc = spawnNode(
    ['--import', 'tsx', path.join(BENCH_DIR, 'raw-insert.ts'), String(env.warmup), String(seconds), cpu ?? '', String(lanes), ...dbArgs],
    // the server's extra environment too: MAWS_SQLITE_MMAP_MB there is the reference's memory map
    { cwd: REPO, env: { ...serverEnv(run.env), ...env.serverExtraEnv }, cpu },
  );
  const code = await proc.exited;
  const line = proc.output().trimEnd().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`raw inserts failed (exit code ${code}):\n${proc.output().slice(-4000)}`);
  return JSON.parse(line) as LoadResult;
}

async function stopServer(proc: Spawned, what: string): Promise<void> {
  const code = await proc.stop();
  if (code !== 0 && code !== null) log(`warning: ${what} exited with code ${code}:\n${proc.output().slice(-2000)}`);
}

async function issueToken(base: string): Promise<string> {
  const res = await request(`${base}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: ROOT.name, password: ROOT.password, domain: { name: ROOT.name } } },
        },
        scope: { project: { id: ROOT.projectId } },
      },
    }),
  });
  const token = res.headers['x-subject-token'];
  if (res.status !== 201 || typeof token !== 'string') {
    throw new Error(`POST /v3/auth/tokens answered ${res.status} without a token: ${res.body.slice(0, 500)}`);
  }
  return token;
}

function build(): number {
  const started = performance.now();
  try {
    execFileSync(process.execPath, [path.join(REPO, 'scripts/build.mjs')], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`build failed (npm run build):\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
  if (!fs.existsSync(path.join(REPO, 'dist/main.js'))) throw new Error('build produced no dist/main.js');
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------
// scenarios

interface Scenario {
  name: ScenarioName;
  label: string;
  /**
   * `untraced`: a second server on its own copy of the seeded database, with MAWS_AUDIT_TRAIL=false;
   * `raw`: no server, bench/raw-insert.ts on a copy of its own (its sample and load are unused)
   */
  server: 'bare' | 'maws' | 'untraced' | 'raw';
  /** the scenario this one repeats against the untraced server */
  twinOf?: ScenarioName;
  connections: number;
  /** a single request checked before the load runs */
  sample: { method: string; path: string; body?: string; check?: (body: unknown) => string | null };
  /** `token`: the root's token on the server at `base` (each server has its own database) */
  load(base: string, token: string): LoadSpec;
}

/** Writes pay for their trace; reads have no trace hook, and their twin shows that they pay nothing. */
const UNTRACED_TWINS: Partial<Record<ScenarioName, ScenarioName>> = { show: 'showUntraced', create: 'createUntraced' };

/** The same requests against the server that records no traces (with BENCH_TWIN_MAIN: against the other build). */
function untracedTwin(twin: Scenario, name: ScenarioName, twinMain: string | undefined): Scenario {
  const label = twinMain === undefined ? `${twin.label}, traces off` : `${twin.label}, ${twinMain}`;
  return { ...twin, name, label, server: 'untraced', twinOf: twin.name };
}

/** The scenarios in order, a scenario and its untraced twin together (measured interleaved). */
function twinGroups(list: readonly Scenario[]): Scenario[][] {
  const groups: Scenario[][] = [];
  for (const s of list) {
    const last = groups.at(-1);
    if (last?.length === 1 && s.twinOf === last[0]!.name) last.push(s);
    else groups.push([s]);
  }
  return groups;
}

function pickRandom<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

function scenarios(env: BenchEnv, ids: readonly string[]): Scenario[] {
  const p = ROOT.projectId;
  const auth = (token: string) => ({ 'x-auth-token': token });
  const showPath = () => `/v1/${p}/workspaces/${pickRandom(ids)}`;
  const runTag = Date.now().toString(36);
  let created = 0;
  const createBody = () =>
    JSON.stringify({ name: `bench-${runTag}-${++created}`, description: 'created by npm run bench', auth_type: 'public' });
  const listCheck = (expected: number) => (body: unknown) => {
    const b = body as { count?: number; total_count?: number; workspaces?: unknown[] };
    if (b.count !== expected || b.workspaces?.length !== expected) return `expected ${expected} workspaces, got ${b.count}`;
    if ((b.total_count ?? 0) < env.workspaces) return `total_count ${b.total_count} < ${env.workspaces}`;
    return null;
  };
  const all: Scenario[] = [
    {
      name: 'bare',
      label: 'bare Fastify (reference)',
      server: 'bare',
      connections: env.connections,
      sample: { method: 'GET', path: `/v1/${p}/workspaces/${ids[0] ?? '0'}` },
      // A fixed path: autocannon re-encodes nothing, so the client is as cheap as it gets.
      load: (base, token) => ({
        url: `${base}/v1/${p}/workspaces/${ids[0] ?? '0'}`,
        connections: env.connections,
        duration: env.duration,
        headers: auth(token),
      }),
    },
    {
      name: 'show',
      label: `show (random of ${ids.length >= 1000 ? `${Math.round(ids.length / 1000)}k` : ids.length})`,
      server: 'maws',
      connections: env.connections,
      sample: { method: 'GET', path: showPath(), check: (b) => ((b as { id?: string }).id ? null : 'no id in the response') },
      load: (base, token) => ({
        url: `${base}${showPath()}`,
        connections: env.connections,
        duration: env.duration,
        headers: auth(token),
        setupRequest: (req: AutocannonRequest) => ({ ...req, path: showPath() }),
      }),
    },
    {
      name: 'list10',
      label: 'list limit=10',
      server: 'maws',
      connections: env.connections,
      sample: { method: 'GET', path: `/v1/${p}/workspaces?limit=10`, check: listCheck(10) },
      load: (base, token) => ({
        url: `${base}/v1/${p}/workspaces?limit=10`,
        connections: env.connections,
        duration: env.duration,
        headers: auth(token),
      }),
    },
    {
      name: 'list1000',
      label: 'list limit=1000',
      server: 'maws',
      connections: env.connectionsLarge,
      sample: { method: 'GET', path: `/v1/${p}/workspaces?limit=1000`, check: listCheck(Math.min(1000, env.workspaces + 1)) },
      load: (base, token) => ({
        url: `${base}/v1/${p}/workspaces?limit=1000`,
        connections: env.connectionsLarge,
        duration: env.duration,
        headers: auth(token),
      }),
    },
    {
      name: 'list1000Ref',
      label: 'list 1000, JSON.stringify (reference)',
      server: 'bare',
      connections: env.connectionsLarge,
      sample: { method: 'GET', path: `/v1/${p}/workspaces?limit=1000`, check: listCheck(Math.min(1000, env.workspaces + 1)) },
      load: (base, token) => ({
        url: `${base}/v1/${p}/workspaces?limit=1000`,
        connections: env.connectionsLarge,
        duration: env.duration,
        headers: auth(token),
      }),
    },
    {
      name: 'listName',
      label: 'list name=<word> limit=10',
      server: 'maws',
      connections: env.connections,
      sample: {
        method: 'GET',
        path: `/v1/${p}/workspaces?limit=10&name=analytics`,
        check: (b) => ((b as { count?: number }).count === 10 || env.workspaces < 1000 ? null : 'expected 10 hits for "analytics"'),
      },
      load: (base, token) => {
        const namePath = () => `/v1/${p}/workspaces?limit=10&name=${pickRandom(WORDS)}`;
        return {
          url: `${base}${namePath()}`,
          connections: env.connections,
          duration: env.duration,
          headers: auth(token),
          setupRequest: (req: AutocannonRequest) => ({ ...req, path: namePath() }),
        };
      },
    },
    {
      name: 'create',
      label: 'create',
      server: 'maws',
      connections: env.connections,
      sample: { method: 'POST', path: `/v1/${p}/workspaces`, body: createBody(), check: (b) => ((b as { id?: string }).id ? null : 'no id') },
      load: (base, token) => ({
        url: `${base}/v1/${p}/workspaces`,
        connections: env.connections,
        duration: env.duration,
        method: 'POST',
        headers: { ...auth(token), 'content-type': 'application/json' },
        body: createBody(),
        setupRequest: (req: AutocannonRequest) => ({ ...req, body: createBody() }),
      }),
    },
    {
      name: 'createRef',
      label: 'raw inserts (reference)',
      server: 'raw',
      connections: env.db === 'sqlite' ? 1 : RAW_PG_CONNECTIONS,
      sample: { method: 'POST', path: '' },
      load: () => {
        throw new Error('createRef is measured by bench/raw-insert.ts, not by autocannon');
      },
    },
  ];
  return all
    .flatMap((s) => (UNTRACED_TWINS[s.name] ? [s, untracedTwin(s, UNTRACED_TWINS[s.name]!, env.twinMain)] : [s]))
    .filter((s) => env.only.includes(s.name));
}

// ---------------------------------------------------------------------------------------------

interface ColdStart {
  samplesMs: number[];
  medianMs: number | null;
  idleRssBytes: number[];
  medianIdleRssBytes: number | null;
}

async function coldStarts(env: BenchEnv, run: RunDatabase, cpu: string | undefined, token: string): Promise<ColdStart> {
  const samplesMs: number[] = [];
  const idleRssBytes: number[] = [];
  for (let i = 0; i < env.coldStarts; i++) {
    const { server, readyMs } = await startMaws(env, run, cpu, {
      path: `/v1/${ROOT.projectId}/workspaces/0`,
      headers: { 'x-auth-token': token },
      okStatus: 200,
    });
    samplesMs.push(readyMs);
    await sleep(env.idleMs);
    const rss = rssBytes(server.proc.pid);
    if (rss !== null) idleRssBytes.push(rss);
    await stopServer(server.proc, 'cold-start server');
    log(`  cold start ${i + 1}/${env.coldStarts}: first 200 after ${readyMs.toFixed(0)} ms; RSS after ${env.idleMs} ms idle ${mb(rss)}`);
  }
  return {
    samplesMs,
    medianMs: samplesMs.length > 0 ? median(samplesMs) : null,
    idleRssBytes,
    medianIdleRssBytes: idleRssBytes.length > 0 ? median(idleRssBytes) : null,
  };
}

/**
 * The comparison means something only if one server records traces and the other does not: after
 * the sanity requests, the ModelArts traces of the last hour are counted on both. `sameTwice`: the
 * audit trail was turned off on purpose for both (BENCH_SERVER_ENV), which shows the noise floor.
 */
async function checkTracing(
  list: readonly Scenario[],
  sameTwice: boolean,
  base: string,
  token: string,
  untracedBase: string,
  untracedToken: string,
): Promise<void> {
  const count = async (at: string, tok: string) => {
    const res = await request(`${at}/v3/${ROOT.projectId}/traces?trace_type=system&service_type=ModelArts&limit=1`, {
      headers: { 'x-auth-token': tok },
    });
    if (res.status !== 200) throw new Error(`GET …/traces answered ${res.status}: ${res.body.slice(0, 500)}`);
    return (JSON.parse(res.body) as { traces: unknown[] }).traces.length;
  };
  if (!sameTwice && list.some((s) => s.name === 'create') && (await count(base, token)) === 0) {
    throw new Error('the server under test recorded no trace of the sample create: is the audit trail off (BENCH_SERVER_ENV)?');
  }
  if ((await count(untracedBase, untracedToken)) > 0) {
    throw new Error('the server started with MAWS_AUDIT_TRAIL=false recorded a trace: the comparison would be meaningless');
  }
}

async function sanityCheck(s: Scenario, base: string, token: string): Promise<number | null> {
  if (s.server === 'raw') return null;
  const res = await request(base + s.sample.path, {
    method: s.sample.method,
    headers: { 'x-auth-token': token, ...(s.sample.body ? { 'content-type': 'application/json' } : {}) },
    body: s.sample.body,
  });
  if (res.status !== 200) throw new Error(`${s.label}: ${s.sample.method} ${s.sample.path} answered ${res.status}: ${res.body.slice(0, 500)}`);
  const problem = s.sample.check?.(JSON.parse(res.body));
  if (problem) throw new Error(`${s.label}: ${s.sample.method} ${s.sample.path}: ${problem}`);
  return Buffer.byteLength(res.body);
}

function describeFailure(s: Scenario, r: LoadResult): string {
  return `${s.label}: ${r.non2xx} non-2xx responses and ${r.errors} errors (${r.timeouts} timeouts) of ${r.requests}; status codes ${JSON.stringify(r.statusCodes)}`;
}

/**
 * A PostgreSQL on this machine: left where the scheduler puts it, or put on the CPU
 * BENCH_PIN_POSTGRES names, for the run; its processes' CPU is read around every measured run.
 */
async function postgresProcesses(env: BenchEnv, pinned: boolean): Promise<DbProcesses | undefined> {
  const root = await findPostmaster(env.pgAdminUrl);
  if (root === null) {
    log('PostgreSQL does not run on this machine: its CPU is not measured, and counts as other load where it runs');
    return undefined;
  }
  if (!pinned || env.pinPostgres === 'anywhere') {
    log(
      `PostgreSQL (postmaster ${root}) runs where the scheduler puts it` +
        (pinned ? ": other load is the machine's busy time less the server's, autocannon's and PostgreSQL's" : ''),
    );
    return { root, where: 'anywhere' };
  }
  const where = env.pinPostgres;
  const moved = pinPostgres(root, where === 'server' ? env.serverCpu : env.clientCpu);
  if (!moved) {
    log(`PostgreSQL (postmaster ${root}) is not ours to move: it runs where the scheduler puts it`);
    return { root, where: 'anywhere' };
  }
  cleanups.push(async () => moved.restore());
  log(`PostgreSQL (postmaster ${root} and its backends) moved to the ${where === 'server' ? "server's" : "load generator's"} CPU for the run`);
  return { root, where };
}

async function main(): Promise<number> {
  const strict = process.argv.includes('--strict');
  const env = readEnv();
  const startedAt = new Date();
  const problems: string[] = [];

  const startLoadAvg = os.loadavg();
  const twoCpus = os.cpus().length >= 2;
  const pinned = env.pin && twoCpus && pinSelf(env.clientCpu);
  const serverCpu = pinned ? env.serverCpu : undefined;
  log(
    `npm run bench: ${env.db}, ${env.workspaces.toLocaleString('en-US')} workspaces, ${env.rounds} round(s) × ` +
      `${env.only.length} scenario(s), ${env.warmup} s warm-up + ${env.duration} s each; ` +
      (pinned ? `server on CPU ${env.serverCpu}, load generator on CPU ${env.clientCpu}` : `not pinned (${hasTaskset() ? 'BENCH_PIN=0 or one CPU' : 'no taskset'})`),
  );

  let buildMs: number | null = null;
  if (env.build) {
    log('building: npm run build (esbuild bundle)');
    buildMs = build();
    log(`  built in ${(buildMs / 1000).toFixed(1)} s`);
  }

  if (!fs.existsSync(path.resolve(REPO, env.serverMain))) throw new Error(`no server entry point ${env.serverMain} (BENCH_SERVER_MAIN)`);
  if (env.twinMain !== undefined && !fs.existsSync(path.resolve(REPO, env.twinMain))) throw new Error(`no entry point ${env.twinMain} (BENCH_TWIN_MAIN)`);
  if (env.serverMain !== 'dist/main.js' || env.serverNodeArgs.length > 0 || Object.keys(env.serverExtraEnv).length > 0) {
    const extra = Object.entries(env.serverExtraEnv).map(([k, v]) => `${k}=${v} `).join('');
    log(`server command: ${extra}node ${[...env.serverNodeArgs, env.serverMain].join(' ')}`);
  }

  const db = env.db === 'postgres' ? await postgresProcesses(env, pinned) : undefined;
  log(`seeding: cache ${env.db === 'sqlite' ? env.cacheDir : env.pgAdminUrl}`);
  const seed: SeedInfo = await seedDatabase(env, (line) => log(line));
  log(
    seed.reused
      ? `  reusing the seeded database ${seed.location} (key ${seed.key}; BENCH_NO_CACHE=1 to reseed)`
      : `  seeded ${seed.workspaces.toLocaleString('en-US')} workspaces in ${((seed.seedMs ?? 0) / 1000).toFixed(1)} s into ${seed.location}`,
  );
  const run = await runCopy(env, seed);
  if (!env.keep) cleanups.push(() => run.cleanup());
  else log(`  BENCH_KEEP=1: keeping the run's database (${JSON.stringify(run.env)})`);
  const ids = await workspaceIds(run);
  if (ids.length < env.workspaces) throw new Error(`the seeded database has ${ids.length} workspaces, expected ${env.workspaces}`);

  // 1. a first start to get the root's token (POST /v3/auth/tokens) for everything that follows
  log('first start: issuing the root token');
  const first = await startMaws(env, run, serverCpu, { path: `/v1/${ROOT.projectId}/workspaces/0`, okStatus: 401 });
  const token = await issueToken(first.server.base);
  await stopServer(first.server.proc, 'first server');

  // 2. cold starts on the seeded database
  let cold: ColdStart = { samplesMs: [], medianMs: null, idleRssBytes: [], medianIdleRssBytes: null };
  if (env.coldStarts > 0) {
    log(`cold start: ${env.coldStarts} × spawn node ${env.serverMain} → first 200 on GET …/workspaces/0`);
    cold = await coldStarts(env, run, serverCpu, token);
  }

  // 3. the server under load, and the bare reference
  const list = scenarios(env, ids);
  const profileDir = path.join(RESULTS_DIR, 'profiles', startedAt.toISOString().replace(/[:.]/g, '-'));
  const nodeArgs = env.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  log(`load: starting the server${env.cpuProf ? ` with --cpu-prof (→ ${path.relative(REPO, profileDir)})` : ''}`);
  const { server: maws } = await startMaws(
    env,
    run,
    serverCpu,
    { path: `/v1/${ROOT.projectId}/workspaces/0`, headers: { 'x-auth-token': token }, okStatus: 200 },
    nodeArgs,
  );
  await sleep(env.idleMs);
  const idleRss = rssBytes(maws.proc.pid);
  log(`  RSS after ${env.idleMs} ms idle: ${mb(idleRss)}`);

  let bare: { proc: Spawned; base: string } | null = null;
  if (list.some((s) => s.server === 'bare')) {
    const port = await freePort();
    // The list reference serves the real server's own first page, so that both send the same bytes.
    const pageFile = path.join(run.dataDir, 'list-page.json');
    const pageArgs: string[] = [];
    if (list.some((s) => s.name === 'list1000Ref')) {
      const page = await request(`${maws.base}/v1/${ROOT.projectId}/workspaces?limit=1000`, { headers: { 'x-auth-token': token } });
      if (page.status !== 200) throw new Error(`GET …/workspaces?limit=1000 answered ${page.status}: ${page.body.slice(0, 500)}`);
      fs.writeFileSync(pageFile, page.body);
      pageArgs.push(pageFile);
    }
    const proc = spawnNode(['--import', 'tsx', path.join(BENCH_DIR, 'bare-server.ts'), String(port), ...pageArgs], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      cpu: serverCpu,
    });
    const base = `http://127.0.0.1:${port}`;
    await waitUntilServing(proc, `${base}/v1/${ROOT.projectId}/workspaces/x`, { okStatus: 200 });
    bare = { proc, base };
  }

  // The server without traces gets a copy of the seeded database of its own: the creates of the
  // other server must not make its tables bigger, nor its traces, and tokens live in the database.
  let untraced: { proc: Spawned; base: string; token: string; loadStartMs: number } | null = null;
  const untracedProfileDir = path.join(profileDir, 'untraced');
  if (list.some((s) => s.server === 'untraced')) {
    log(
      env.twinMain === undefined
        ? 'load: starting a second server with MAWS_AUDIT_TRAIL=false on its own copy of the seeded database'
        : `load: starting a second server, node ${env.twinMain} (BENCH_TWIN_MAIN), on its own copy of the seeded database`,
    );
    const untracedRun = await runCopy(env, seed, 'untraced');
    if (!env.keep) cleanups.push(() => untracedRun.cleanup());
    const { server } = await startMaws(
      env,
      untracedRun,
      serverCpu,
      { path: `/v1/${ROOT.projectId}/workspaces/0`, okStatus: 401 },
      env.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${untracedProfileDir}`] : [],
      env.twinMain === undefined ? { MAWS_AUDIT_TRAIL: 'false' } : {},
      env.twinMain,
    );
    untraced = { ...server, token: await issueToken(server.base), loadStartMs: 0 };
  }
  // The create reference inserts into a copy of its own, on the same disk as the server's.
  let rawRun: RunDatabase | null = null;
  if (list.some((s) => s.server === 'raw')) {
    rawRun = await runCopy(env, seed, 'raw');
    if (!env.keep) cleanups.push(() => rawRun!.cleanup());
  }
  const destination = (s: Scenario) =>
    s.server === 'bare'
      ? { ...bare!, token }
      : s.server === 'untraced'
        ? untraced!
        : { proc: maws.proc, base: maws.base, token };

  const responseBytes = new Map<string, number>();
  for (const s of list) {
    const dest = destination(s);
    const bytes = await sanityCheck(s, dest.base, dest.token);
    if (bytes !== null) responseBytes.set(s.name, bytes);
  }
  const sameTwice = env.twinMain === undefined && env.serverExtraEnv.MAWS_AUDIT_TRAIL === 'false';
  if (sameTwice) log('BENCH_SERVER_ENV turns the audit trail off on both servers: the traces on ÷ off ratios show only the noise');
  if (untraced && env.twinMain === undefined) await checkTracing(list, sameTwice, maws.base, token, untraced.base, untraced.token);

  const loadStartMs = performance.now() - maws.proc.startedAt;
  if (untraced) untraced.loadStartMs = performance.now() - untraced.proc.startedAt;
  const results = new Map<string, LoadResult[]>(list.map((s) => [s.name, []]));
  const cpuBefore = cpuSeconds(maws.proc.pid);
  const record = async (round: number, s: Scenario, r: LoadResult) => {
    const dest = destination(s);
    results.get(s.name)!.push(r);
    log(
      `  round ${round}/${env.rounds} ${s.label.padEnd(34)} ${Math.round(r.rps).toLocaleString('en-US').padStart(7)} req/s  ` +
        `p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}  ` +
        `server ${r.serverCpuPct?.toFixed(0) ?? '?'} % CPU (${r.serverCpuUsPerReq?.toFixed(0) ?? '?'} µs/req), ` +
        (r.dbCpuUsPerReq !== null ? `database ${r.dbCpuUsPerReq.toFixed(0)} µs/req, ` : '') +
        `client ${r.clientCpuPct.toFixed(0)} % CPU, steal ${r.stealPct?.toFixed(1) ?? '?'} %` +
        (r.foreignPct !== null ? `, other load ${r.foreignPct.toFixed(0)} %` : '') +
        (r.sliceRps ? `; slices ${r.sliceRps.map((x) => Math.round(x).toLocaleString('en-US')).join(' / ')} req/s` : ''),
    );
    if (r.non2xx > 0 || r.errors > 0) {
      const message = describeFailure(s, r);
      problems.push(message);
      log(`  !!! ${message}`);
      try {
        const probe = await request(dest.base + s.sample.path, { headers: { 'x-auth-token': dest.token } });
        log(`  !!! a single ${s.sample.path} now answers ${probe.status}: ${probe.body.slice(0, 300)}`);
      } catch (error) {
        log(`  !!! a single request now fails: ${(error as Error).message}`);
      }
    }
  };
  const measure = (s: Scenario, duration: number) => {
    if (s.server === 'raw') return rawInserts(env, rawRun!, serverCpu, s.connections, duration, db);
    const dest = destination(s);
    return runLoad({ ...s.load(dest.base, dest.token), duration }, dest.proc.pid, serverCpu, db);
  };
  const warmUp = async (s: Scenario) => {
    // the raw inserts warm up in their own process, which starts anew every round
    if (s.server === 'raw') return;
    const dest = destination(s);
    if (env.warmup > 0) await runLoad({ ...s.load(dest.base, dest.token), duration: env.warmup }, null);
  };
  for (let round = 1; round <= env.rounds; round++) {
    for (const group of twinGroups(list)) {
      if (group.length === 1) {
        await warmUp(group[0]!);
        await record(round, group[0]!, await measure(group[0]!, env.duration));
        continue;
      }
      // A scenario and its twin take turns in slices (A B B A …, the other one first every second
      // round): other processes' bursts, which last seconds, then fall on both about alike.
      const [a, b] = round % 2 === 1 ? group : [group[1]!, group[0]!];
      await warmUp(a!);
      await warmUp(b!);
      const slices = new Map<string, LoadResult[]>(group.map((s) => [s.name, []]));
      for (let i = 0; i < env.pairSlices; i++) {
        for (const s of i % 2 === 0 ? [a!, b!] : [b!, a!]) slices.get(s.name)!.push(await measure(s, env.duration / env.pairSlices));
      }
      for (const s of group) await record(round, s, mergeLoads(slices.get(s.name)!));
    }
  }
  const cpuAfter = cpuSeconds(maws.proc.pid);
  const rssAfterLoad = rssBytes(maws.proc.pid);
  const peakRss = peakRssBytes(maws.proc.pid);
  await sleep(env.idleMs);
  const rssAfterLoadIdle = rssBytes(maws.proc.pid);
  log(`  RSS right after the load: ${mb(rssAfterLoad)}, ${env.idleMs} ms later ${mb(rssAfterLoadIdle)}, peak (VmHWM) ${mb(peakRss)}`);

  if (bare) await stopServer(bare.proc, 'bare server');
  if (untraced) await stopServer(untraced.proc, 'server without traces');
  await stopServer(maws.proc, 'server');

  const profiles: ProfileSummary[] = [];
  for (const [dir, skipMs] of [[profileDir, loadStartMs], [untracedProfileDir, untraced?.loadStartMs ?? 0]] as const) {
    if (!env.cpuProf || !fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
      // leave out the start-up: the profile should show the request path
      profiles.push(summarizeProfile(path.join(dir, file), 25, skipMs));
    }
  }

  // ------------------------------------------------------------------------------------------
  const bareRounds = results.get('bare') ?? null;
  const reports: ScenarioReport[] = list.map((s) =>
    summarizeScenario(
      s.name,
      s.label,
      s.connections,
      responseBytes.get(s.name) ?? null,
      results.get(s.name)!,
      // raw inserts answer no request: a ratio to the bare route would mean nothing
      s.name === 'bare' || s.server === 'raw' ? null : bareRounds,
    ),
  );
  const byName = new Map(reports.map((r) => [r.name, r]));
  const pairs: PairReport[] = list
    .filter((s) => s.twinOf && byName.has(s.twinOf))
    .map((s) => comparePair(byName.get(s.twinOf!)!, byName.get(s.name)!));
  const pair = (name: string) => pairs.find((p) => p.name === name);
  const pairText = (p: PairReport) => (v: number) =>
    `${(v * 100).toFixed(0)} % of the req/s without traces (rounds ${p.ratioRounds.map((x) => x.toFixed(2)).join(', ')}); ` +
    `server CPU ${p.cpuRatio === null ? '?' : `${p.cpuRatio >= 1 ? '+' : ''}${((p.cpuRatio - 1) * 100).toFixed(0)} %`} per request`;
  const createPair = pair('create');
  const showPair = pair('show');
  const show = byName.get('show');
  const list10 = byName.get('list10');
  const idleTargetRss = cold.medianIdleRssBytes ?? idleRss;
  // The reference targets: per round, ours ÷ the reference measured in the same round; their median.
  const againstRef = (ours: ScenarioReport | undefined, ref: ScenarioReport | undefined, of: (r: LoadResult) => number | null) => {
    const rounds = ours && ref ? roundRatios(ours, ref, of) : [];
    return { value: rounds.length > 0 ? median(rounds) : null, rounds: rounds.map((x) => x.toFixed(2)).join(', ') };
  };
  const usPerReq = (r: LoadResult) => r.serverCpuUsPerReq;
  const int = (v: number) => Math.round(v).toLocaleString('en-US');
  const perCore = (r: ScenarioReport | undefined) => (v: number) => `${int(v)} req/s @1 core (${int(r?.serverCpuUsPerReq ?? 0)} µs/req)`;
  const bareReport = byName.get('bare');
  const list1000 = byName.get('list1000');
  const listName = byName.get('listName');
  const create = byName.get('create');
  const showCpu = againstRef(bareReport, show, usPerReq);
  const listVsRef = againstRef(list1000, byName.get('list1000Ref'), usPerReq);
  const createVsRef = againstRef(create, byName.get('createRef'), (r) => r.rps);
  const onSqlite = env.db === 'sqlite';
  const createPerCore = target('create >= 1,200 req/s @1 core (SQLite)', onSqlite ? (create?.rpsPerCore ?? null) : null, 1200, 'min', perCore(create));
  if (!onSqlite) createPerCore.measured = 'a SQLite target';
  const targets: Target[] = [
    target('show >= 50% of bare Fastify', show?.ratioToBare ?? null, 0.5, 'min', (v) =>
      `${Math.round(show!.rps).toLocaleString('en-US')} req/s = ${(v * 100).toFixed(0)} % of ${Math.round(byName.get('bare')?.rps ?? 0).toLocaleString('en-US')}`,
    ),
    target('show >= 50% of bare on server CPU', showCpu.value, 0.5, 'min', (v) =>
      `bare µs/req ÷ show µs/req = ${v.toFixed(2)} (rounds ${showCpu.rounds})`,
    ),
    target('list limit=10 >= 2000 req/s', list10?.rps ?? null, 2000, 'min', (v) => `${Math.round(v).toLocaleString('en-US')} req/s`),
    target('list limit=1000 >= 300 req/s @1 core', list1000?.rpsPerCore ?? null, 300, 'min', perCore(list1000)),
    target('list limit=1000 <= 2x JSON.stringify (CPU)', listVsRef.value, 2, 'max', (v) =>
      `server µs/req ${v.toFixed(2)}× the reference's (rounds ${listVsRef.rounds})`,
    ),
    target(
      `list name= >= ${onSqlite ? 500 : 300} req/s @1 core (${onSqlite ? 'SQLite' : 'PostgreSQL'})`,
      listName?.rpsPerCore ?? null,
      onSqlite ? 500 : 300,
      'min',
      perCore(listName),
    ),
    createPerCore,
    target('create >= 50% of raw inserts', createVsRef.value, 0.5, 'min', (v) =>
      `${(v * 100).toFixed(0)} % of the raw inserts/s (rounds ${createVsRef.rounds})`,
    ),
    target('cold start < 0.5 s (median)', cold.medianMs === null ? null : cold.medianMs / 1000, 0.5, 'max', (v) =>
      `${v.toFixed(3)} s (${cold.samplesMs.map((x) => (x / 1000).toFixed(3)).join(', ')})`,
    ),
    target('idle RSS < 100 MB', idleTargetRss === null ? null : idleTargetRss / 1024 / 1024, 100, 'max', (v) => `${v.toFixed(1)} MB`),
    // Ratios of two servers in the same round: the band of a marginal verdict is a few points, not 20 %.
    target('traces cost create <= 15 %', env.twinMain === undefined ? (createPair?.ratio ?? null) : null, TRACED_CREATE_MIN, 'min', createPair ? pairText(createPair) : String, 0.05),
    target('reads unchanged: show >= 90 % w/o traces', env.twinMain === undefined ? (showPair?.ratio ?? null) : null, TRACED_SHOW_MIN, 'min', showPair ? pairText(showPair) : String, 0.05),
  ];

  const out: string[] = [];
  out.push('');
  out.push(`modelarts-workspaces benchmark: ${env.db}, ${env.workspaces.toLocaleString('en-US')} workspaces, ${env.rounds} round(s), ` +
    `${env.duration} s per run; medians over rounds; "x bare" = req/s ÷ bare Fastify req/s in the same round`);
  out.push(`seeded database: ${seed.reused ? `reused from the cache (${seed.location})` : `seeded now in ${((seed.seedMs ?? 0) / 1000).toFixed(1)} s (${seed.location})`}`);
  out.push(pinned ? `server pinned to CPU ${env.serverCpu}, autocannon to CPU ${env.clientCpu}` : 'NOT pinned: numbers are less comparable');
  out.push('');
  out.push(formatScenarios(reports));
  out.push('');
  if (pairs.length > 0) {
    if (sameTwice) out.push('NOTE: BENCH_SERVER_ENV turned the audit trail off on both servers: the ratios below are noise only (an A/A run)');
    if (env.twinMain !== undefined) {
      out.push(`A/B of two builds (BENCH_TWIN_MAIN): the same scenario against ${env.serverMain} ÷ against ${env.twinMain}, with the same settings;`);
      out.push('the columns below say "traces on ÷ off" for this build ÷ the other, and the two audit-trail targets are skipped');
    } else out.push('audit trail: the same scenario against the server with traces ÷ against the server without (MAWS_AUDIT_TRAIL=false),');
    out.push('each round on its own; the targets take the median of the rounds');
    out.push(formatPairs(pairs));
    out.push('');
  }
  out.push(
    `memory: idle RSS ${mb(idleRss)} (bench server, before load); cold-start servers after ${env.idleMs} ms idle: ` +
      `median ${mb(cold.medianIdleRssBytes)}; after the load ${mb(rssAfterLoad)} (${mb(rssAfterLoadIdle)} ${env.idleMs} ms later), peak ${mb(peakRss)}`,
  );
  if (cpuBefore !== null && cpuAfter !== null) out.push(`server CPU during the load phase: ${(cpuAfter - cpuBefore).toFixed(1)} s`);
  out.push('');
  out.push(formatTargets(targets));
  out.push('');
  out.push('The machine drifts by ±30–50 % over minutes (see perf-baseline.md): compare ratios to bare, not absolute numbers across runs.');
  const loadAvg = os.loadavg();
  const contended = reports.flatMap((r) => r.rounds.map((x) => x.foreignPct ?? 0)).filter((x) => x > 10);
  if (contended.length > 0 || startLoadAvg[0]! > 2.5) {
    out.push(
      `WARNING: other processes competed for the CPUs (load average ${startLoadAvg.map((x) => x.toFixed(1)).join(' ')} at the start, ` +
        `${loadAvg.map((x) => x.toFixed(1)).join(' ')} at the end; ${contended.length} run(s) had > 10 % other load): ` +
        'req/s are pessimistic, µs/req and "x bare (CPU)" are more trustworthy.' +
        (db?.where === 'client' ? " PostgreSQL's backends ran beside autocannon: the server was not saturated." : ''),
    );
  }
  for (const r of reports) {
    if (r.clientCpuPct > 90) out.push(`note: autocannon used ${r.clientCpuPct.toFixed(0)} % of its CPU in "${r.label}": the client may be the limit there.`);
  }
  for (const p of profiles) out.push('', formatProfile(p));
  if (problems.length > 0) {
    out.push('', '!!! INVALID RUN: requests failed (non-2xx or errors) — the numbers above are not comparable:');
    for (const p of problems) out.push(`!!!   ${p}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);

  const failed = targets.filter((t) => t.verdict === 'FAIL');
  const json = {
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    strict,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      totalMemBytes: os.totalmem(),
      loadAvgStart: startLoadAvg,
      loadAvgEnd: os.loadavg(),
    },
    settings: { ...env, pinned },
    buildMs,
    seed,
    coldStart: cold,
    memory: { idleRssBytes: idleRss, rssAfterLoadBytes: rssAfterLoad, rssAfterLoadIdleBytes: rssAfterLoadIdle, peakRssBytes: peakRss },
    scenarios: Object.fromEntries(reports.map((r) => [r.name, r])),
    auditTrail: pairs,
    targets,
    profiles,
    problems,
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'latest.json');
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  fs.copyFileSync(file, path.join(RESULTS_DIR, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`));
  log(`results written to ${path.relative(REPO, file)}`);

  if (problems.length > 0) return 2;
  if (strict && failed.length > 0) {
    log(`--strict: ${failed.length} target(s) failed`);
    return 1;
  }
  return 0;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  process.stderr.write(`\nbenchmark failed: ${(error as Error)?.stack ?? error}\n`);
  exitCode = 1;
} finally {
  await cleanupAll();
}
process.exit(exitCode);
