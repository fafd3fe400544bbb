// Child processes for the few tests whose point is a real process (signals, crashes, stdout of a
// first start, several replicas). Every child is handed to a Cleanup the moment it is spawned, so
// a failed start or a failed assertion never leaves one running (and `npm test` never hangs).
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Only matters when something is truly broken: readiness is the "Server listening" line, and a
 * loaded machine may take long to get there.
 */
export const START_CAP_MS = 60_000;

/** Undo actions run last-in first-out (servers stop before their database is dropped), all of them even when one fails. */
export interface Cleanup {
  defer(fn: () => unknown): void;
}

/**
 * A Cleanup run by t.after (pass a test's context) or, called in a describe body, by the suite's after hook.
 */
export function cleanupFor(t?: { after(fn: () => unknown): void }): Cleanup {
  const undo: (() => unknown)[] = [];
  const run = async () => {
    const errors: unknown[] = [];
    for (const fn of undo.splice(0).reverse()) {
      try {
        await fn();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'cleanup failed');
  };
  if (t) t.after(run);
  else after(run);
  return { defer: (fn) => void undo.push(fn) };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** resolves once the output (stdout and stderr) matches, e.g. a log line; fails if the process exits first */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** sends the signal (unless it already exited) and waits for the exit; resolves with its exit code */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** resolves with the exit code once the process exits by itself; fails past the cap */
  waitForExit(capMs?: number): Promise<number | null>;
}

/** A running child with its output collected; stopped with SIGKILL by the cleanup unless it exited before. */
function track(cleanup: Cleanup, child: ChildProcess) {
  let output = '';
  const listeners = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', (error) => {
      output += `\n[spawn failed: ${error.message}]`;
      resolve(null);
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    listeners.forEach((l) => l());
  });
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!hasExited && child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  cleanup.defer(() => stop('SIGKILL'));

  /** resolves with the first match of pattern; rejects when the process exits first or after timeoutMs */
  const waitFor = (pattern: RegExp, what: string, timeoutMs = START_CAP_MS) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const done = (error?: Error, match?: RegExpExecArray) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) reject(error);
        else resolve(match!);
      };
      const check = () => {
        const match = pattern.exec(output);
        if (match) done(undefined, match);
        else if (hasExited) done(new Error(`${what}: the process exited with ${child.exitCode ?? child.signalCode}:\n${output}`));
      };
      const timer = setTimeout(() => done(new Error(`${what}: nothing after ${timeoutMs} ms:\n${output}`)), timeoutMs);
      listeners.add(check);
      check();
    });
  return { output: () => output, exited, stop, waitFor };
}

/**
 * Runs src/main.ts as a real server process and resolves once it listens (its info log line says
 * where). The child is given to cleanup at once; if it does not get ready it is killed and awaited.
 */
export async function spawnServer(cleanup: Cleanup, env: Record<string, string>, startCapMs = START_CAP_MS): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MAWS_PORT: '0', ...env, MAWS_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = track(cleanup, child);
  let url: string;
  try {
    url = (await proc.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 'server did not start', startCapMs))[1]!;
  } catch (error) {
    await proc.stop('SIGKILL');
    throw error;
  }
  return {
    url,
    child,
    output: proc.output,
    waitForOutput: async (pattern, timeoutMs) => void (await proc.waitFor(pattern, `waiting for ${pattern}`, timeoutMs)),
    stop: proc.stop,
    waitForExit: (capMs = START_CAP_MS) => {
      let timer: NodeJS.Timeout | undefined;
      const tooLong = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the process did not exit in ${capMs} ms:\n${proc.output()}`)), capMs);
      });
      return Promise.race([proc.exited, tooLong]).finally(() => clearTimeout(timer));
    },
  };
}

/**
 * Starts several servers at once. When any fails, the ones that did start are stopped before
 * the first failure is thrown: a half-started group never outlives its test.
 */
export async function spawnServers(cleanup: Cleanup, envs: readonly Record<string, string>[]): Promise<ServerProcess[]> {
  const settled = await Promise.allSettled(envs.map((env) => spawnServer(cleanup, env)));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failure) return settled.map((s) => (s as PromiseFulfilledResult<ServerProcess>).value);
  await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.stop('SIGKILL') : undefined)));
  throw failure.reason;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end with input on its standard input; killed (and the cleanup fails the test) past the cap. */
export async function runProcess(
  cleanup: Cleanup,
  args: readonly string[],
  options: { env: Record<string, string>; input?: string; capMs?: number },
): Promise<ProcessResult> {
  const child = spawn(process.execPath, args, { cwd: REPO, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const proc = track(cleanup, child);
  child.stdin.on('error', () => {}); // it may exit without reading its input
  child.stdin.end(options.input ?? '');
  const cap = options.capMs ?? START_CAP_MS;
  let timer: NodeJS.Timeout | undefined;
  const tooLong = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not finish in ${cap} ms:\n${stdout}\n${stderr}`)), cap);
  });
  try {
    const code = await Promise.race([proc.exited, tooLong]);
    return { code, stdout, stderr };
  } catch (error) {
    await proc.stop('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
