// The console's Vite configuration: `npm run build` (scripts/build-console.mjs) and the browser
// tests build with it; `npx vite --config console/vite.config.mjs` serves it for development,
// passing API calls to a server on MAWS_DEV_API (default http://127.0.0.1:8080).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';

const consoleRoot = path.dirname(fileURLToPath(import.meta.url));
const api = process.env.MAWS_DEV_API ?? 'http://127.0.0.1:8080';

export default {
  root: consoleRoot,
  base: '/console/',
  // Kept out of node_modules/, which may be shared between checkouts.
  cacheDir: path.join(consoleRoot, '..', '.tmp', 'vite'),
  plugins: [preact()],
  build: {
    outDir: path.join(consoleRoot, '..', 'dist', 'console'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: Object.fromEntries(['/v1', '/v1.0', '/v3', '/v3.0'].map((prefix) => [prefix, api])),
  },
};
