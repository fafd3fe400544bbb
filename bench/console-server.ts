// A server with a freshly built web console on an empty SQLite database in a temporary folder,
// and Chromium to look at it: what the console's benchmark and its screenshot both start from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildConsole } from '../scripts/build-console.mjs';
import { CHROMIUM_PATH, launchChromium } from '../scripts/chromium.mjs';
import { loadConfig } from '../src/config.js';
import { type RunningServer, startServer } from '../src/server.js';

/** Runs use with the server (root admin/password) and the browser; everything is removed after. */
export async function withConsoleServer(
  password: string,
  use: (parts: { server: RunningServer; browser: Browser }) => Promise<void>,
  options: { buildLog?: (line: string) => void } = {},
): Promise<void> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium)`);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'maws-console-'));
  try {
    const consoleDir = path.join(dir, 'console');
    await buildConsole(consoleDir, options.buildLog ? { log: options.buildLog } : {});
    const server = await startServer(
      loadConfig({ MAWS_DATA_DIR: dir, MAWS_PORT: '0', MAWS_LOG_LEVEL: 'silent', MAWS_ROOT_PASSWORD: password, MAWS_CONSOLE_DIR: consoleDir }),
      { onOperatorToken: () => undefined },
    );
    try {
      const browser = await launchChromium();
      try {
        await use({ server, browser });
      } finally {
        await browser.close();
      }
    } finally {
      await server.close();
    }
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
