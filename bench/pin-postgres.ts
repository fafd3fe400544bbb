/**
 * With BENCH_DB=postgres on this machine, PostgreSQL's processes are moved to the load
 * generator's CPU for the run, and put back afterwards. Left where the scheduler puts them, its
 * backends share the server's CPU, and the "other load" column then measures PostgreSQL rather
 * than the machine's noise (the targets ask for runs whose other load is under 10 %). The
 * server's µs/req never included PostgreSQL's CPU either way.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';

function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function childrenOf(parent: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => parentOf(pid) === parent);
}

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
 * Moves the postmaster and its children to cpus; returns how to put them back, or null when
 * PostgreSQL does not run on this machine (or is not ours to move).
 */
export async function pinPostgres(adminUrl: string, cpus: string): Promise<{ postmaster: number; restore: () => void } | null> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  let postmaster: number | null;
  try {
    const backend = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    // read while the backend lives: it exits with the connection
    postmaster = parentOf(backend);
  } finally {
    await client.end();
  }
  // Not ours to see (another machine, a container with its own process numbers): left alone.
  if (postmaster === null || postmaster <= 1 || !isPostgres(postmaster)) return null;
  let before: string;
  try {
    before = affinityOf(postmaster);
    setAffinity(postmaster, cpus);
  } catch {
    return null; // not ours to move
  }
  for (const pid of childrenOf(postmaster)) setAffinityIfThere(pid, cpus);
  return {
    postmaster,
    restore() {
      setAffinityIfThere(postmaster, before);
      for (const pid of childrenOf(postmaster)) setAffinityIfThere(pid, before);
    },
  };
}
