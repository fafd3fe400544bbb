/**
 * `npm run bench:console`: how fast the web console's first screens are interactive on localhost,
 * against the target of 1 s. It builds the console, starts the server on an empty SQLite
 * database in a temporary folder and opens each screen 5 times in Chromium, each time in a fresh
 * browser context (an empty cache, as a first visit).
 *
 *   sign-in: from the navigation to the sign-in form ready to be filled (its button enabled)
 *   workspaces: from the navigation, signed in, to the first row of the workspace list
 */
import { performance } from 'node:perf_hooks';
import { withConsoleServer } from './console-server.js';

const ROUNDS = 5;
const TARGET_MS = 1000;
const PASSWORD = 'Bench-Passw0rd';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  await withConsoleServer(PASSWORD, async ({ server, browser }) => {
    const timings: Record<'sign-in' | 'workspaces', number[]> = { 'sign-in': [], workspaces: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      let start = performance.now();
      await page.goto(`${server.url}/console/sign-in`, { waitUntil: 'commit' });
      await page.locator('button[type="submit"]:enabled').waitFor();
      timings['sign-in'].push(performance.now() - start);

      await page.locator('input[name="domain"]').fill('admin');
      await page.locator('input[name="user"]').fill('admin');
      await page.locator('input[name="password"]').fill(PASSWORD);
      await page.locator('input[name="project"]').fill(server.config.regions[0]!);
      await page.locator('button[type="submit"]').click();
      await page.locator('tbody tr[data-workspace-id]').first().waitFor();
      // A fresh tab of the same visitor: signed in, nothing cached in memory.
      const session = await page.evaluate("sessionStorage.getItem('maws.console.session')");
      const second = await context.newPage();
      await second.addInitScript(`sessionStorage.setItem('maws.console.session', ${JSON.stringify(session)})`);
      start = performance.now();
      await second.goto(`${server.url}/console/workspaces`, { waitUntil: 'commit' });
      await second.locator('tbody tr[data-workspace-id]').first().waitFor();
      timings.workspaces.push(performance.now() - start);
      await context.close();
    }
    let failed = false;
    for (const [screen, values] of Object.entries(timings)) {
      const ms = median(values);
      failed ||= ms > TARGET_MS;
      process.stdout.write(`${screen.padEnd(11)} median ${ms.toFixed(0).padStart(5)} ms of ${ROUNDS} (${values.map((v) => v.toFixed(0)).join(', ')}); target < ${TARGET_MS} ms: ${ms > TARGET_MS ? 'MISSED' : 'met'}\n`);
    }
    process.exitCode = failed && process.argv.includes('--strict') ? 1 : 0;
  });
}

await main();
