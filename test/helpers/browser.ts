// Browser tests of the web console: the console built by Vite, served by a test server, driven in
// Debian's Chromium through playwright-core. One browser per test file, a fresh context per test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { buildConsole } from '../../scripts/build-console.mjs';
import { CHROMIUM_PATH as CHROMIUM, launchChromium } from '../../scripts/chromium.mjs';
import { startTestServer, type TestServer, type TestUser } from './server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** git-ignored: screenshots of the pages of failed tests */
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
/** Playwright's waits give up after this: a test fails in seconds rather than at the runner's timeout. */
const WAIT_MS = 10_000;

/** Why the browser tests cannot run here, for describe(…, { skip }); false when they can. */
function browserSkipReason(): string | false {
  return fs.existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
}

export interface ConsoleHarness {
  srv: TestServer;
  browser: Browser;
  /** the console's address for a path below /console, e.g. url('/workspaces?page=2') */
  url(pathAndQuery?: string): string;
  close(): Promise<void>;
}

/**
 * Builds the console into a temporary folder, starts a server serving it and launches Chromium.
 * now: the server's clock (see startTestServer), for tests that move time instead of waiting.
 */
async function startConsoleHarness(env: Record<string, string> = {}, now?: () => number): Promise<ConsoleHarness> {
  const consoleDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'maws-console-'));
  const cleanups: Array<() => Promise<unknown>> = [() => fs.promises.rm(consoleDir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    await buildConsole(consoleDir, { log: () => undefined });
    const srv = await startTestServer({ MAWS_CONSOLE_DIR: consoleDir, ...env }, now);
    cleanups.push(() => srv.close());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    return { srv, browser, url: (pathAndQuery = '/') => `${srv.url}/console${pathAndQuery}`, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function artifactName(t: TestContext): string {
  const name = t.fullName ?? t.name;
  return `${path.basename(process.argv[1] ?? 'test', '.ts')}-${name}`.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 150);
}

/**
 * A test body with a page of its own browser context (own storage: a fresh visitor). When the body
 * fails, the page as it was is saved to test-artifacts/<test>.png before the error is reported.
 */
function withPage(harness: () => ConsoleHarness, body: (page: Page, t: TestContext) => Promise<void>, options: PageOptions = {}) {
  return async (t: TestContext) => {
    const context = await harness().browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, locale: 'en-US' });
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    try {
      await body(page, t);
    } catch (error) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, `${artifactName(t)}.png`);
      await page.screenshot({ path: file, fullPage: true }).then(
        () => t.diagnostic(`screenshot: ${path.relative(ROOT, file)}`),
        () => undefined,
      );
      throw error;
    } finally {
      await context.close();
    }
  };
}

interface PageOptions {
  viewport?: { width: number; height: number };
}

type BrowserTest = (name: string, body: (page: Page, harness: ConsoleHarness, t: TestContext) => Promise<void>, options?: PageOptions) => void;

/**
 * A file's browser tests: one server and one browser for all of them (seed fills the server first),
 * a fresh page per test. Without Chromium every test is reported as skipped, with the reason.
 */
export function describeConsole(
  name: string,
  setup: { env?: Record<string, string>; now?: () => number; seed?(harness: ConsoleHarness): Promise<void> },
  define: (test: BrowserTest) => void,
): void {
  const skip = browserSkipReason();
  describe(name, () => {
    let harness: ConsoleHarness | undefined;
    before(async () => {
      if (skip) return;
      harness = await startConsoleHarness(setup.env, setup.now);
      await setup.seed?.(harness);
    });
    after(() => harness?.close());
    const current = () => harness!;
    define((testName, body, options) => it(testName, { skip }, withPage(current, (page, t) => body(page, current(), t), options)));
  });
}

/**
 * Retries check until it passes (the DOM or the API catches up), like Playwright's expect: the
 * last failure is thrown when the time is up.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await delay(25);
  }
}

/** What the console keeps in sessionStorage about the sign-in (null when signed out). */
export async function storedSession(page: Page): Promise<{ token: string; expiresAt: number } | null> {
  return JSON.parse((await page.evaluate("sessionStorage.getItem('maws.console.session')")) ?? 'null');
}

/** Moves the stored session's expiry into the past, as time passing would. */
export async function expireStoredSession(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const key = 'maws.console.session';
    sessionStorage.setItem(key, JSON.stringify({ ...JSON.parse(sessionStorage.getItem(key)), expiresAt: Date.now() - 1000 }));
  })()`);
}

/** The names in the workspace table, top to bottom. */
export function shownWorkspaceNames(page: Page): Promise<string[]> {
  return page.locator('tbody tr[data-workspace-id] th').allTextContents();
}

/** Signs in through the sign-in page, as a user would, and waits for the workspace list. */
export async function signIn(harness: ConsoleHarness, page: Page, user: Pick<TestUser, 'name' | 'password'> = harness.srv.root): Promise<void> {
  await page.goto(harness.url('/sign-in'));
  await fillSignIn(harness, page, user);
  await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
}

export async function fillSignIn(harness: ConsoleHarness, page: Page, user: Pick<TestUser, 'name' | 'password'>): Promise<void> {
  await page.getByLabel('Account (domain)').fill(harness.srv.domainName);
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByLabel('Project (region)').fill(harness.srv.projectName);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
