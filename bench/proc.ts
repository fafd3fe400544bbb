/** Child processes (tracked so that every one is killed on exit), CPU pinning, /proc readings, HTTP probes. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const children = new Set<ChildProcess>();

/** Kills every child still running, by pid. Synchronous so that it also works from process.on('exit'). */
export function killAllChildren(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, signal);
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

let tasksetAvailable: boolean | undefined;
export function hasTaskset(): boolean {
  if (tasksetAvailable === undefined) {
    try {
      execFileSync('taskset', ['-V'], { stdio: 'ignore' });
      tasksetAvailable = true;
    } catch {
      tasksetAvailable = false;
    }
  }
  return tasksetAvailable;
}

/** Pins every thread of this process (and so its future threads and children) to the given CPU list. */
export function pinSelf(cpus: string): boolean {
  if (!hasTaskset()) return false;
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
  return true;
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  startedAt: number;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after the grace period; resolves with the exit code */
  stop(graceMs?: number): Promise<number | null>;
}

/** Spawns `node <args>`, under `taskset -c <cpu>` when pinning (taskset execs node, so the pid is node's). */
export function spawnNode(args: string[], opts: { cwd: string; env: Record<string, string>; cpu?: string }): Spawned {
  const pinned = opts.cpu !== undefined && hasTaskset();
  const command = pinned ? 'taskset' : process.execPath;
  const argv = pinned ? ['-c', opts.cpu!, process.execPath, ...args] : args;
  const startedAt = performance.now();
  const child = spawn(command, argv, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    });
    child.on('error', (error) => {
      output += `\nspawn error: ${error.message}`;
      children.delete(child);
      resolve(null);
    });
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  return {
    child,
    pid: child.pid,
    startedAt,
    output: () => output,
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection (no keep-alive agent). */
export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * Polls `url` every `everyMs` until it answers with `okStatus`; returns the time of that answer
 * (performance.now()). Fails when the process exits or the deadline passes.
 */
export async function waitUntilServing(
  proc: Spawned,
  url: string,
  opts: { headers?: Record<string, string>; okStatus?: number; everyMs?: number; timeoutMs?: number } = {},
): Promise<number> {
  const deadline = performance.now() + (opts.timeoutMs ?? 30_000);
  const okStatus = opts.okStatus ?? 200;
  let last = '';
  for (;;) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`server exited (${proc.child.exitCode ?? proc.child.signalCode}) before serving:\n${proc.output().slice(-4000)}`);
    }
    try {
      const res = await request(url, { headers: opts.headers, timeoutMs: 5000 });
      if (res.status === okStatus) return performance.now();
      last = `HTTP ${res.status}: ${res.body.slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (performance.now() > deadline) throw new Error(`server not serving ${url} in time (last: ${last}):\n${proc.output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, opts.everyMs ?? 3));
  }
}

function statusField(pid: number, field: string): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** VmRSS (resident set) of a process in bytes, or null when /proc is unavailable. */
export function rssBytes(pid: number): number | null {
  return statusField(pid, 'VmRSS');
}

/** VmHWM (peak resident set) of a process in bytes, or null when /proc is unavailable. */
export function peakRssBytes(pid: number): number | null {
  return statusField(pid, 'VmHWM');
}

let clockTicks: number | undefined;
function clkTck(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/**
 * The fields of /proc/<pid>/stat after "pid (comm) " (comm may hold spaces and parentheses):
 * [0] is field 3 (state), [1] the parent, [11]–[14] utime, stime, cutime, cstime. Null when the
 * process is gone or /proc is unavailable.
 */
function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** user+system CPU seconds a process has used so far, or null when /proc is unavailable. */
export function cpuSeconds(pid: number): number | null {
  const fields = statFields(pid);
  return fields === null ? null : (Number(fields[11]) + Number(fields[12])) / clkTck();
}

/** The parent of a process, or null when it is gone (or not ours to see). */
export function parentOf(pid: number): number | null {
  const fields = statFields(pid);
  return fields === null ? null : Number(fields[1]);
}

export function childrenOf(parent: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => parentOf(pid) === parent);
}

/**
 * CPU seconds of a process and of all its children, those alive now and those that exited and
 * were waited for (PostgreSQL: the postmaster, its backends and background workers; a backend's
 * time moves to the postmaster's cutime/cstime when it is reaped; one reaped between the two
 * readings here is in neither, see dbSecondsBetween).
 */
export function treeCpuSeconds(root: number): number | null {
  const fields = statFields(root);
  if (fields === null) return null;
  const own = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / clkTck();
  return childrenOf(root).reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), own);
}

export interface CpuTimes {
  /** all jiffies of the CPU (or of all CPUs) */
  total: number;
  /** time the hypervisor ran something else while this virtual CPU wanted to run */
  steal: number;
  idle: number;
}

/** Counters of /proc/stat for one CPU ("0") or for all of them (undefined). */
export function cpuTimes(cpu?: string): CpuTimes | null {
  try {
    const name = cpu === undefined ? 'cpu' : `cpu${cpu}`;
    const line = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name} `));
    if (!line) return null;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice (guest is included in user)
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { total, steal: v[7] ?? 0, idle: (v[3] ?? 0) + (v[4] ?? 0) };
  } catch {
    return null;
  }
}
