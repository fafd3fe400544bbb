import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';

// A copy of the repository's package files and build scripts around a two-file src/ that esbuild
// bundles in milliseconds. With esbuild it links the repository's node_modules; without, it is
// what `npm ci --omit=dev` leaves: no esbuild to import.
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs command to its end; onStdout sees the output so far and may signal the child. */
function run(cwd: string, command: string, args: string[], onStdout?: (stdout: string, child: ChildProcess) => void): Promise<Run> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', npm_config_update_notifier: 'false' };
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    onStdout?.(stdout, child);
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const ensureBuilt = (dir: string) => run(dir, process.execPath, ['scripts/ensure-built.mjs']);

// Throws from line 2, or with --serve runs until SIGTERM (at most 10 s, should the signal be lost).
function writeMain(dir: string, version: string): Promise<void> {
  const source = `function failOnPurpose(version: string): never {
  throw new Error(\`fixture \${version}\`);
}
if (process.argv.includes('--serve')) {
  process.on('SIGTERM', () => {
    console.log('stopped by SIGTERM');
    process.exit(0);
  });
  setTimeout(() => process.exit(3), 10_000);
  console.log('serving');
} else {
  failOnPurpose('${version}');
}
`;
  return fs.writeFile(path.join(dir, 'src/main.ts'), source);
}

async function fixture(t: TestContext, withEsbuild: boolean): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'maws-start-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json']) await fs.copyFile(path.join(REPO, file), path.join(dir, file));
  await fs.cp(path.join(REPO, 'scripts'), path.join(dir, 'scripts'), { recursive: true });
  await fs.mkdir(path.join(dir, 'src/cli'), { recursive: true });
  await writeMain(dir, 'v1');
  await fs.writeFile(path.join(dir, 'src/cli/main.ts'), "console.log(`fixture cli ${process.argv.slice(2).join(' ')}`);\n");
  if (withEsbuild) await linkNodeModules(dir);
  return dir;
}

async function linkNodeModules(dir: string): Promise<void> {
  await fs.symlink(await fs.realpath(path.join(REPO, 'node_modules')), path.join(dir, 'node_modules'));
}

/** A file the build does not write: it survives only if dist/ is not rebuilt. */
async function markDist(dir: string): Promise<() => Promise<boolean>> {
  const marker = path.join(dir, 'dist/not-rebuilt');
  await fs.writeFile(marker, '');
  const before = (await fs.stat(path.join(dir, 'dist/main.js'))).mtimeMs;
  return async () => {
    const kept = await fs.access(marker).then(() => true, () => false);
    return kept && (await fs.stat(path.join(dir, 'dist/main.js'))).mtimeMs === before;
  };
}

const built = (dir: string) => fs.readFile(path.join(dir, 'dist/main.js'), 'utf8');

test('a missing dist/ is built; a current one is left alone, even when the sources were touched', async (t) => {
  const dir = await fixture(t, true);
  const first = await ensureBuilt(dir);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /dist\/main\.js is missing; building it/);
  assert.match(await built(dir), /v1/);

  const untouched = await markDist(dir);
  const later = new Date(Date.now() + 60_000);
  await fs.utimes(path.join(dir, 'src/main.ts'), later, later);
  const again = await ensureBuilt(dir);
  assert.deepEqual([again.code, again.stderr], [0, '']);
  assert.ok(await untouched(), 'dist/ was rewritten');
});

test('a dist/ built from other sources is rebuilt', async (t) => {
  const dir = await fixture(t, true);
  assert.equal((await ensureBuilt(dir)).code, 0);
  const untouched = await markDist(dir);
  await writeMain(dir, 'v2');
  const result = await ensureBuilt(dir);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /changed since: src\/main\.ts\)/);
  assert.equal(await untouched(), false);
  assert.match(await built(dir), /v2/);
  assert.doesNotMatch(await built(dir), /v1/);
});

test('a tree shipped with its dist/ and without src/ starts as it is', async (t) => {
  const dir = await fixture(t, true);
  assert.equal((await ensureBuilt(dir)).code, 0);
  await fs.unlink(path.join(dir, 'node_modules'));
  await fs.rm(path.join(dir, 'src'), { recursive: true });
  const untouched = await markDist(dir);
  assert.deepEqual(await ensureBuilt(dir), { code: 0, stdout: '', stderr: '' });
  assert.ok(await untouched(), 'dist/ was rewritten');
  const entries = await fs.readdir(dir);
  assert.ok(!entries.some((e) => e.startsWith('dist.building-')), 'no staging folder is left');
});

test('without esbuild (npm ci --omit=dev) a current dist/ starts, a stale or missing one is refused with how to fix it', async (t) => {
  const dir = await fixture(t, true);
  assert.equal((await ensureBuilt(dir)).code, 0);
  await fs.unlink(path.join(dir, 'node_modules'));
  const untouched = await markDist(dir);
  assert.deepEqual(await ensureBuilt(dir), { code: 0, stdout: '', stderr: '' });

  await writeMain(dir, 'v2');
  const stale = await ensureBuilt(dir);
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /changed since: src\/main\.ts\), and esbuild and Vite, which build it, are not installed/);
  assert.match(stale.stderr, /npm ci && npm run build, then npm ci --omit=dev/);
  assert.ok(await untouched(), 'dist/ was changed');

  await fs.rm(path.join(dir, 'dist'), { recursive: true });
  const missing = await ensureBuilt(dir);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /dist\/main\.js is missing, and esbuild/);
});

test('npm start and npm run maws build first and map stack traces to the TypeScript sources', async (t) => {
  const dir = await fixture(t, true);
  const start = await run(dir, 'npm', ['start']);
  assert.notEqual(start.code, 0);
  assert.match(start.stderr, /Error: fixture v1\n\s+at failOnPurpose \(.*\/src\/main\.ts:2:\d+\)/);
  const cli = await run(dir, 'npm', ['run', '--silent', 'maws', '--', 'ws', 'ls']);
  assert.deepEqual([cli.code, cli.stdout, cli.stderr], [0, 'fixture cli ws ls\n', '']);
});

test('SIGTERM to npm start reaches the server, which stops and exits 0 with npm', async (t) => {
  const dir = await fixture(t, true);
  let signalled = false;
  const result = await run(dir, 'npm', ['start', '--', '--serve'], (stdout, child) => {
    if (signalled || !stdout.includes('serving')) return;
    signalled = true;
    child.kill('SIGTERM');
  });
  assert.deepEqual([result.code, result.stdout.includes('stopped by SIGTERM')], [0, true], result.stdout + result.stderr);
});
