/** One autocannon run (programmatic API, in this process, which is pinned to the client CPU). */
import { performance } from 'node:perf_hooks';
import autocannon, { type AutocannonRequest, type Result } from 'autocannon';
import { cpuSeconds, cpuTimes } from './proc.js';

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
  /** busy time of the server's CPU that was not the server's (other processes), % of the run */
  foreignPct: number | null;
  /** req/s of each slice, when the run was taken in slices interleaved with its twin's (mergeLoads) */
  sliceRps?: number[];
}

export async function runLoad(spec: LoadSpec, serverPid: number | null, serverCpuId?: string): Promise<LoadResult> {
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
  const stealPct =
    stolenBefore && stolenAfter && stolenAfter.total > stolenBefore.total
      ? ((stolenAfter.steal - stolenBefore.steal) / (stolenAfter.total - stolenBefore.total)) * 100
      : null;
  const busyPct =
    stolenBefore && stolenAfter && stolenAfter.total > stolenBefore.total
      ? (1 - (stolenAfter.idle - stolenBefore.idle) / (stolenAfter.total - stolenBefore.total)) * 100
      : null;
  const serverCpu = serverCpuBefore !== null && serverCpuAfter !== null ? serverCpuAfter - serverCpuBefore : null;
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
    clientCpuPct: ((client.user + client.system) / 1e6 / wallSec) * 100,
    stealPct,
    // only meaningful when the server has a CPU of its own (pinned)
    foreignPct:
      serverCpuId !== undefined && busyPct !== null && serverCpu !== null
        ? Math.max(0, busyPct - (serverCpu / wallSec) * 100)
        : null,
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
    serverCpuPct: weighted((r) => r.serverCpuPct),
    clientCpuPct: weighted((r) => r.clientCpuPct)!,
    stealPct: weighted((r) => r.stealPct),
    foreignPct: weighted((r) => r.foreignPct),
    sliceRps: slices.map((r) => r.rps),
  };
}
