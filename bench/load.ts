/** One autocannon run (programmatic API, in this process, which is pinned to the client CPU). */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon, { type AutocannonRequest, type Result } from 'autocannon';
import { type CpuTimes, cpuSeconds, cpuTimes, treeCpuSeconds } from './proc.js';

export interface LoadSpec {
  url: string;
  connections: number;
  /** seconds */
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** rewrites each request (path, body) before it is sent */
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}

export interface LoadResult {
  requests: number;
  durationSec: number;
  rps: number;
  latencyMs: { avg: number; p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  bytesPerSec: number;
  /** server CPU time per completed request (utime+stime from /proc) */
  serverCpuUsPerReq: number | null;
  /** server CPU use over the run, % of one core */
  serverCpuPct: number | null;
  /** this (load generator) process's CPU use, % of one core: near 100 means the client is the limit */
  clientCpuPct: number;
  /** steal time of the server's CPU over the run (%): the hypervisor gave the core to someone else */
  stealPct: number | null;
  /** the database's CPU time per completed request (PostgreSQL on this machine) */
  dbCpuUsPerReq: number | null;
  /** busy time that was not the server's, the load generator's or the database's (see otherLoadPct), % of one CPU */
  foreignPct: number | null;
  /** req/s of each slice, when the run was taken in slices interleaved with its twin's (mergeLoads) */
  sliceRps?: number[];
}

/** A database on this machine: its processes' CPU is read around a run. */
export interface DbProcesses {
  /** the root of its processes (PostgreSQL's postmaster) */
  root: number;
  /** the CPU its processes are pinned to for the run, or anywhere (where the scheduler puts them) */
  where: 'server' | 'client' | 'anywhere';
}

export const readDbCpu = (db: DbProcesses | undefined): number | null => (db ? treeCpuSeconds(db.root) : null);

/** A backend reaped between the reading of the postmaster and of its children is in neither: never below 0. */
export const dbSecondsBetween = (before: number | null, after: number | null): number | null =>
  before !== null && after !== null ? Math.max(0, after - before) : null;

/** Busy share (0–1) of a CPU, or of all of them, between two readings of cpuTimes. */
export function busyShare(before: CpuTimes | null, after: CpuTimes | null): number | null {
  return before && after && after.total > before.total ? 1 - (after.idle - before.idle) / (after.total - before.total) : null;
}

/** Steal time of a CPU between two readings of cpuTimes, % of the time between them. */
export function stealPctBetween(before: CpuTimes | null, after: CpuTimes | null): number | null {
  return before && after && after.total > before.total ? ((after.steal - before.steal) / (after.total - before.total)) * 100 : null;
}

interface OtherLoadInput {
  wallSec: number;
  /** busy share of the server's CPU (pinned), or null */
  serverCpuBusy: number | null;
  /** busy share of all CPUs */
  machineBusy: number | null;
  serverSec: number | null;
  /** the load generator's CPU seconds (0 where the server is its own client) */
  clientSec: number;
  dbSec: number | null;
  db: DbProcesses | undefined;
}

/**
 * Other load, % of one CPU over the run: busy time that was not the system under test's. Where
 * the database runs decides what can be told apart: pinned to the server's CPU, its time is taken
 * off that CPU's busy time; where the scheduler puts it, the whole machine's busy time less the
 * server's, the load generator's and the database's; otherwise (no database, or one pinned to the
 * load generator's CPU) the server CPU's busy time less the server's.
 */
export function otherLoadPct(o: OtherLoadInput): number | null {
  if (o.serverCpuBusy === null || o.serverSec === null) return null;
  const pct = (sec: number) => (sec / o.wallSec) * 100;
  if (o.db?.where === 'anywhere') {
    if (o.machineBusy === null || o.dbSec === null) return null;
    return Math.max(0, o.machineBusy * os.cpus().length * 100 - pct(o.serverSec + o.clientSec + o.dbSec));
  }
  const dbThere = o.db?.where === 'server' ? (o.dbSec ?? 0) : 0;
  return Math.max(0, o.serverCpuBusy * 100 - pct(o.serverSec + dbThere));
}

export async function runLoad(spec: LoadSpec, serverPid: number | null, serverCpuId?: string, db?: DbProcesses): Promise<LoadResult> {
  const dbBefore = readDbCpu(db);
  const machineBefore = cpuTimes();
  const stolenBefore = cpuTimes(serverCpuId);
  const serverCpuBefore = serverPid === null ? null : cpuSeconds(serverPid);
  const clientBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const result: Result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    timeout: 30,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    requests: spec.setupRequest ? [{ setupRequest: spec.setupRequest }] : undefined,
  });
  const wallSec = (performance.now() - wallBefore) / 1000;
  const client = process.cpuUsage(clientBefore);
  const serverCpuAfter = serverPid === null ? null : cpuSeconds(serverPid);
  const stolenAfter = cpuTimes(serverCpuId);
  const machineAfter = cpuTimes();
  const dbAfter = readDbCpu(db);
  const stealPct = stealPctBetween(stolenBefore, stolenAfter);
  const serverCpu = serverCpuBefore !== null && serverCpuAfter !== null ? serverCpuAfter - serverCpuBefore : null;
  const dbCpu = dbSecondsBetween(dbBefore, dbAfter);
  const clientSec = (client.user + client.system) / 1e6;
  const requests = result.requests.total;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, Number(v.count)]));
  return {
    requests,
    durationSec: result.duration,
    rps: requests / result.duration,
    latencyMs: {
      avg: result.latency.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    bytesPerSec: result.throughput.average,
    serverCpuUsPerReq: serverCpu !== null && requests > 0 ? (serverCpu * 1e6) / requests : null,
    serverCpuPct: serverCpu !== null ? (serverCpu / wallSec) * 100 : null,
    clientCpuPct: (clientSec / wallSec) * 100,
    stealPct,
    dbCpuUsPerReq: dbCpu !== null && requests > 0 ? (dbCpu * 1e6) / requests : null,
    // only meaningful when the server has a CPU of its own (pinned)
    foreignPct:
      serverCpuId === undefined
        ? null
        : otherLoadPct({
            wallSec,
            serverCpuBusy: busyShare(stolenBefore, stolenAfter),
            machineBusy: busyShare(machineBefore, machineAfter),
            serverSec: serverCpu,
            clientSec,
            dbSec: dbCpu,
            db,
          }),
  };
}

/**
 * One result from runs of the same scenario taken in slices (interleaved with its twin's): counts
 * and CPU add up; latency percentiles cannot be merged, so they are the slices' medians (p50,
 * p90) and maxima (p99, max).
 */
export function mergeLoads(slices: readonly LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number) => slices.reduce((n, r) => n + f(r), 0);
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const requests = sum((r) => r.requests);
  const durationSec = sum((r) => r.durationSec);
  const weighted = (f: (r: LoadResult) => number | null) =>
    slices.some((r) => f(r) === null) ? null : sum((r) => f(r)! * r.durationSec) / durationSec;
  const serverCpuSec = slices.some((r) => r.serverCpuUsPerReq === null) ? null : sum((r) => (r.serverCpuUsPerReq! * r.requests) / 1e6);
  const dbCpuSec = slices.some((r) => r.dbCpuUsPerReq === null) ? null : sum((r) => (r.dbCpuUsPerReq! * r.requests) / 1e6);
  const statusCodes: Record<string, number> = {};
  for (const r of slices) for (const [k, v] of Object.entries(r.statusCodes)) statusCodes[k] = (statusCodes[k] ?? 0) + v;
  return {
    requests,
    durationSec,
    rps: requests / durationSec,
    latencyMs: {
      avg: requests > 0 ? sum((r) => r.latencyMs.avg * r.requests) / requests : 0,
      p50: mid(slices.map((r) => r.latencyMs.p50)),
      p90: mid(slices.map((r) => r.latencyMs.p90)),
      p99: Math.max(...slices.map((r) => r.latencyMs.p99)),
      max: Math.max(...slices.map((r) => r.latencyMs.max)),
    },
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    statusCodes,
    bytesPerSec: sum((r) => r.bytesPerSec * r.durationSec) / durationSec,
    serverCpuUsPerReq: serverCpuSec !== null && requests > 0 ? (serverCpuSec * 1e6) / requests : null,
    dbCpuUsPerReq: dbCpuSec !== null && requests > 0 ? (dbCpuSec * 1e6) / requests : null,
    serverCpuPct: weighted((r) => r.serverCpuPct),
    clientCpuPct: weighted((r) => r.clientCpuPct)!,
    stealPct: weighted((r) => r.stealPct),
    foreignPct: weighted((r) => r.foreignPct),
    sliceRps: slices.map((r) => r.rps),
  };
}
