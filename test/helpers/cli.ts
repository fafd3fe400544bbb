// Runs the maws CLI in this process (runCli with its output, input and clock injected), with its
// config file in a temporary directory. runMawsProcess runs it as a real child process, for the one
// test that checks the entry point itself.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/cli.js';
import { type Cleanup, runProcess } from './process.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  args: string[];
}

/**
 * The CLI's clock: frozen at its creation, moved only by the CLI's own sleeps (its poll interval)
 * or by advance(), so --wait deadlines and token expiry do not depend on the machine's speed.
 */
export interface CliClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  advance(ms: number): void;
}

/** what one CLI sleep really waits: the server in this process gets its turn between two polls */
const REAL_POLL_MS = 10;

export function cliClock(start = Date.now()): CliClock {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
    async sleep(ms) {
      time += ms;
      await new Promise((resolve) => setTimeout(resolve, REAL_POLL_MS));
    },
  };
}

export interface RunOptions {
  /** what the CLI reads as its standard input (--password-stdin) */
  input?: string;
  /** the CLI's environment (e.g. MAWS_OPERATOR_TOKEN); empty otherwise */
  env?: Record<string, string>;
}

export interface CliHome {
  dir: string;
  /** the config file (MAWS_CONFIG) */
  config: string;
  clock: CliClock;
  run(args: string[], options?: RunOptions): Promise<CliResult>;
  cleanup(): Promise<void>;
}

export async function cliHome(clock: CliClock = cliClock()): Promise<CliHome> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'maws-cli-'));
  const config = path.join(dir, '.maws', 'config.json');
  return {
    dir,
    config,
    clock,
    run: (args, options) => runMaws(args, { config, clock, ...options }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Only matters when something is truly broken: a command that never ends fails its test instead of hanging it. */
const COMMAND_CAP_MS = 60_000;

export async function runMaws(args: string[], options: RunOptions & { config: string; clock: CliClock }): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  let timer: NodeJS.Timeout | undefined;
  const tooLong = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`maws ${args.join(' ')} did not finish:\n${stdout}\n${stderr}`)), COMMAND_CAP_MS);
  });
  const run = runCli(args, {
    configPath: options.config,
    env: options.env ?? {},
    io: { out: (text) => void (stdout += line(text)), err: (text) => void (stderr += line(text)) },
    stdin: {
      isTTY: false,
      readAll: async () => options.input ?? '',
      promptHidden: () => Promise.reject(new Error('no terminal in tests')),
    },
    now: options.clock.now,
    sleep: options.clock.sleep,
  });
  try {
    const code = await Promise.race([run, tooLong]);
    return { code, stdout, stderr, args };
  } finally {
    clearTimeout(timer);
  }
}

/** The CLI as a real process (node, tsx, src/cli/main.ts), HOME and MAWS_CONFIG in the home's directory. */
export async function runMawsProcess(cleanup: Cleanup, home: CliHome, args: string[], options: RunOptions = {}): Promise<CliResult> {
  const res = await runProcess(cleanup, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home.dir, MAWS_CONFIG: home.config },
    input: options.input,
  });
  return { ...res, args };
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
