/**
 * `npm run screenshot:console`: the README's picture of the web console's workspace list
 * (docs/images/console-workspaces.png), taken in Chromium from a server on a temporary SQLite
 * database seeded through the public API with a few workspaces of each kind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { withConsoleServer } from './console-server.js';

const PASSWORD = 'Shot-Passw0rd';
const OUTPUT = path.resolve('docs/images/console-workspaces.png');

const WORKSPACES: Array<{ name: string; description: string; auth_type: string; enterprise?: string }> = [
  { name: 'fraud-detection', description: 'Card fraud models, weekly retraining', auth_type: 'INTERNAL', enterprise: 'risk' },
  { name: 'speech-to-text', description: 'ASR fine-tuning for call centres', auth_type: 'PUBLIC', enterprise: 'voice' },
  { name: 'recommendations', description: 'Home page ranking experiments', auth_type: 'PRIVATE' },
  { name: 'demand-forecast', description: 'Store-level demand, 28-day horizon', auth_type: 'PUBLIC', enterprise: 'risk' },
  { name: 'vision-qa', description: 'Defect detection on the assembly line', auth_type: 'INTERNAL', enterprise: 'voice' },
  { name: 'churn-2026', description: 'Subscriber churn, quarterly review', auth_type: 'PRIVATE' },
];

async function api(url: string, method: string, token: string, body?: unknown): Promise<any> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'x-auth-token': token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

async function main(): Promise<void> {
  await withConsoleServer(PASSWORD, async ({ server, browser }) => {
    const region = server.config.regions[0]!;
    const login = await fetch(`${server.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', password: PASSWORD, domain: { name: 'admin' } } } },
          scope: { project: { name: region } },
        },
      }),
    });
    const token = login.headers.get('x-subject-token')!;
    const projectId = ((await login.json()) as { token: { project: { id: string } } }).token.project.id;
    const enterprise: Record<string, string> = {};
    for (const name of ['risk', 'voice']) {
      const created = await api(`${server.url}/v1.0/enterprise-projects`, 'POST', token, { name, description: '' });
      enterprise[name] = created.enterprise_project.id;
    }
    for (const w of WORKSPACES) {
      await api(`${server.url}/v1/${projectId}/workspaces`, 'POST', token, {
        name: w.name,
        description: w.description,
        auth_type: w.auth_type,
        ...(w.enterprise ? { enterprise_project_id: enterprise[w.enterprise] } : {}),
      });
    }
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 640 }, locale: 'en-US' })).newPage();
    await page.goto(`${server.url}/console/sign-in`);
    await page.getByLabel('Account (domain)').fill('admin');
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Project (region)').fill(region);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(`tbody tr[data-workspace-id]`).nth(WORKSPACES.length).waitFor();
    await fs.promises.mkdir(path.dirname(OUTPUT), { recursive: true });
    await page.screenshot({ path: OUTPUT });
    process.stdout.write(`wrote ${path.relative(process.cwd(), OUTPUT)}\n`);
  }, { buildLog: () => undefined });
}

await main();
