// Debian's Chromium driven by playwright-core, launched the one way the tests, the benchmark and
// the screenshot script need: headless, offline (this machine has no network), nothing remembered.
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.MAWS_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Playwright gives the browser a fresh --user-data-dir of its own and removes it on close. */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
