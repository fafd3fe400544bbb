/**
 * BENCH_DB=postgres with a PostgreSQL on this machine: its processes (the postmaster, its backends
 * and background workers) are found, so that their CPU time is read around every measured run
 * ("db µs/req", and not counted as other load), and with BENCH_PIN_POSTGRES=server or client they
 * are put on that CPU for the run and put back afterwards. The server's µs/req never include
 * PostgreSQL's CPU.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';
import { childrenOf, parentOf } from './proc.js';

/** The CPU list a process may run on ("0,1"). */
function affinityOf(pid: number): string {
  return execFileSync('taskset', ['-c', '-p', String(pid)], { encoding: 'utf8' }).trim().split(': ').at(-1)!;
}

function setAffinity(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-c', '-p', cpus, String(pid)], { stdio: 'ignore' });
}

/** A backend may exit meanwhile: moving it then has nothing left to do. */
function setAffinityIfThere(pid: number, cpus: string): void {
  try {
    setAffinity(pid, cpus);
  } catch {
    // exited
  }
}

function isPostgres(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres');
  } catch {
    return false;
  }
}

/**
 * The postmaster's process id, or null when PostgreSQL does not run on this machine (another
 * machine, a container with its own process numbers).
 */
export async function findPostmaster(adminUrl: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const backend = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    // read while the backend lives: it exits with the connection
    const postmaster = parentOf(backend);
    return postmaster !== null && postmaster > 1 && isPostgres(postmaster) ? postmaster : null;
  } finally {
    await client.end();
  }
}

/** Moves the postmaster and its children to cpus; returns how to put them back, or null when not ours to move. */
export function pinPostgres(postmaster: number, cpus: string): { restore: () => void } | null {
  let before: string;
  try {
    before = affinityOf(postmaster);
    setAffinity(postmaster, cpus);
  } catch {
    return null;
  }
  // new backends inherit the postmaster's affinity
  for (const pid of childrenOf(postmaster)) setAffinityIfThere(pid, cpus);
  return {
    restore() {
      setAffinityIfThere(postmaster, before);
      for (const pid of childrenOf(postmaster)) setAffinityIfThere(pid, before);
    },
  };
}
