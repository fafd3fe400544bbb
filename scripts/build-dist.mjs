// Bundles the server and the CLI into dist/, and the web console into dist/console: one file each loads far faster than the
// ~1,500 modules of node_modules would (cold start), and keeps less code in memory.
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { buildConsole } from './build-console.mjs';
import { digestInputs, ENTRY_POINTS, writeStamp } from './build-stamp.mjs';

export async function buildDist(root) {
  // Digested before bundling: a file edited during the build then reads as changed next time.
  const inputs = digestInputs(root);
  // Built beside dist/ and moved into place, so a server started from dist/ meanwhile does not
  // find it half written.
  const staging = `dist.building-${process.pid}`;
  rmSync(path.join(root, staging), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // `npm start` runs node --enable-source-maps, so stack traces name src/…ts lines.
    sourcemap: true,
    sourcesContent: false,
    minify: process.env.MAWS_BUILD_MINIFY !== '0',
    // A native addon, a package that serves files from its own folder, and pg's optional native binding.
    external: ['better-sqlite3', '@fastify/swagger-ui', 'pg-native'],
    // Bundled CommonJS dependencies still call require() for Node's own modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  // The web console, served by the server from dist/console (MAWS_CONSOLE_DIR). A tree without
  // its sources (a trimmed copy) builds the server alone, which then says the console is not built.
  if (existsSync(path.join(root, 'console', 'vite.config.mjs'))) await buildConsole(path.join(root, staging, 'console'));
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  renameSync(path.join(root, staging), path.join(root, 'dist'));
  // Last: an interrupted build leaves no stamp, so the next start builds again.
  writeStamp(root, inputs);
}
