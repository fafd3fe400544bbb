// Bundles the server and the CLI into dist/: one file each loads far faster than the
// ~1,500 modules of node_modules would (cold start), and keeps less code in memory.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: { main: 'src/main.ts', 'cli/main': 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minify: process.env.MAWS_BUILD_MINIFY !== "0",
  // A native addon, a package that serves files from its own folder, and pg's optional native binding.
  external: ['better-sqlite3', '@fastify/swagger-ui', 'pg-native'],
  // Bundled CommonJS dependencies still call require() for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
