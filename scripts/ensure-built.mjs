// Runs before `npm start` and `npm run maws`. It builds dist/ only when dist/ is missing or was
// built from other sources, so a production install (built once, then `npm ci --omit=dev`, which
// leaves out esbuild) starts the build it was shipped with and never rewrites it.
// Stale and no esbuild: it refuses (exit 1) rather than run code that is not what the sources say.
import { fileURLToPath } from 'node:url';
import { staleness } from './build-stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

async function loadBuilder() {
  try {
    return (await import('./build-dist.mjs')).buildDist;
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && /'(esbuild|vite|@preact\/preset-vite)'/.test(error.message)) return null;
    throw error;
  }
}

const reason = staleness(root);
if (reason !== null) {
  const buildDist = await loadBuilder();
  if (buildDist === null) {
    process.stderr.write(
      [
        `modelarts-workspaces: ${reason}, and esbuild and Vite, which build it, are not installed`,
        '  (a production install: npm ci --omit=dev). Build where the dev dependencies are installed:',
        '  npm ci && npm run build, then npm ci --omit=dev. To run the existing build anyway:',
        '  node --enable-source-maps dist/main.js (the CLI: dist/cli/main.js).',
        '',
      ].join('\n'),
    );
    process.exit(1);
  }
  process.stderr.write(`modelarts-workspaces: ${reason}; building it\n`);
  await buildDist(root);
}
