// Builds the web console (console/) with Vite into outDir and checks the JavaScript against its budget.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

/** the budget for all of the console's JavaScript, gzip-compressed */
export const CONSOLE_JS_BUDGET_BYTES = 150 * 1024;

function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(file) : [file];
  });
}

/** Returns the gzip size of the built JavaScript; throws when it is over the budget. */
export async function buildConsole(outDir, { log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  const { default: viteConfig } = await import('../console/vite.config.mjs');
  await build({
    ...viteConfig,
    // The configuration is passed in: Vite would otherwise bundle the file into a temp folder of node_modules/.
    configFile: false,
    logLevel: 'warn',
    build: { ...viteConfig.build, outDir },
  });
  const jsGzipBytes = filesUnder(outDir)
    .filter((file) => file.endsWith('.js'))
    .reduce((sum, file) => sum + gzipSync(fs.readFileSync(file), { level: 9 }).length, 0);
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
  log(`web console: ${kb(jsGzipBytes)} of JavaScript gzip-compressed (budget ${kb(CONSOLE_JS_BUDGET_BYTES)})`);
  if (jsGzipBytes > CONSOLE_JS_BUDGET_BYTES) {
    throw new Error(`the web console's JavaScript is ${kb(jsGzipBytes)} gzip-compressed, over its budget of ${kb(CONSOLE_JS_BUDGET_BYTES)}`);
  }
  return jsGzipBytes;
}
