// Runs the maws CLI as a real child process (tsx, from the repository), with its config file in a
// temporary directory and HOME pointing there too, so nothing touches the real home directory.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  args: string[];
}

export interface RunOptions {
  /** written to the CLI's standard input, which is closed afterwards */
  input?: string;
  timeoutMs?: number;
}

export interface CliHome {
  dir: string;
  /** the MAWS_CONFIG file */
  config: string;
  run(args: string[], options?: RunOptions): Promise<CliResult>;
  cleanup(): Promise<void>;
}

export async function cliHome(): Promise<CliHome> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'maws-cli-'));
  const config = path.join(dir, '.maws', 'config.json');
  return {
    dir,
    config,
    run: (args, options) => runMaws(args, { home: dir, config, ...options }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export function runMaws(args: string[], options: RunOptions & { home: string; config: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: options.home, MAWS_CONFIG: options.config, TZ: 'UTC' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`maws ${args.join(' ')} did not finish:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, args });
    });
    child.stdin.on('error', () => {}); // the CLI may exit without reading its input
    child.stdin.end(options.input ?? '');
  });
}

function describe(res: CliResult): string {
  return `maws ${res.args.join(' ')} → exit ${res.code}\n--- stdout\n${res.stdout}--- stderr\n${res.stderr}`;
}

/** Never a stack trace or a source location on stderr. */
export function assertNoStack(res: CliResult): void {
  assert.doesNotMatch(res.stderr, /\n\s+at\s|\.ts:\d+|node_modules|node:internal/, describe(res));
}

/** Exit 0 with nothing on stderr; returns stdout. */
export function succeeded(res: CliResult): string {
  assert.equal(res.code, 0, describe(res));
  assert.equal(res.stderr, '', describe(res));
  return res.stdout;
}

/** Exit 1 with the documented one-line API error on stderr. */
export function apiFailed(res: CliResult, code: string, message?: RegExp): void {
  assert.equal(res.code, 1, describe(res));
  assert.match(res.stderr, new RegExp(`^maws: ${code.replace('.', '\\.')}: .+ \\(request id [0-9a-f]{32}\\)$`, 'm'), describe(res));
  if (message) assert.match(res.stderr, message, describe(res));
  assertNoStack(res);
}

/** Exit 1 with "maws: <message>" on stderr. */
export function failed(res: CliResult, message: RegExp): void {
  assert.equal(res.code, 1, describe(res));
  assert.match(res.stderr, message, describe(res));
  assert.match(res.stderr, /^maws: /m, describe(res));
  assertNoStack(res);
}

/** Exit 2 with a message and a usage line on stderr, nothing on stdout. */
export function usageFailed(res: CliResult, message?: RegExp): void {
  assert.equal(res.code, 2, describe(res));
  assert.match(res.stderr, /^maws: .+\nusage: maws/m, describe(res));
  assert.equal(res.stdout, '', describe(res));
  if (message) assert.match(res.stderr, message, describe(res));
  assertNoStack(res);
}

/** The rows of a table printed by the CLI: header names → cells, split on two or more spaces. */
export function tableRows(stdout: string): Record<string, string>[] {
  const [header, ...lines] = stdout.trimEnd().split('\n');
  assert.ok(header, 'a table header');
  const names = header.trim().split(/\s{2,}/);
  return lines.map((line) => {
    const cells = line.trim().split(/\s{2,}/);
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

/** A local TCP port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
