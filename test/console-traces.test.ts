// The console's Traces page (CTS ListTraces): the console's own changes are ConsoleAction, filters
// live in the URL, Load more follows the marker to the end, a row opens its details; root only.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { type ConsoleHarness, describeConsole, eventually, signIn } from './helpers/browser.js';
import type { TestUser } from './helpers/server.js';
import type { TraceView as Trace } from '../src/audit/trace.schemas.js';

let harness: ConsoleHarness;
let bob: TestUser;
let bobToken: string;


async function seed(started: ConsoleHarness): Promise<void> {
  harness = started;
  bob = await harness.srv.newUser('bob');
  bobToken = await harness.srv.login(bob);
  // bob's changes through the API: five workspaces, then the same names again (refused: warnings).
  // His sign-ins are traces too: the pages below look at his ModelArts ones.
  for (const name of ['bob-1', 'bob-2', 'bob-3', 'bob-4', 'bob-5', 'bob-1', 'bob-2']) {
    await harness.srv.api('POST', `/v1/${harness.srv.projectId}/workspaces`, { token: bobToken, body: { name } });
  }
}

/** The account's traces as the API lists them, newest first. */
async function apiTraces(query: string): Promise<Trace[]> {
  const res = await harness.srv.api('GET', `/v3/${harness.srv.projectId}/traces?trace_type=system&limit=200${query}`, { token: await harness.srv.rootToken() });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.traces;
}

const shownTraceIds = (page: Page) => page.locator('tbody tr[data-trace-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-id')));

describeConsole('console: the Traces page', { seed }, (test) => {
  test('a workspace created in the console is a ConsoleAction trace; its row opens the request, the response and its ids', async (page) => {
    await signIn(harness, page);
    await page.getByRole('link', { name: 'Create workspace' }).click();
    await page.getByLabel('Name').fill('traced-space');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'traced-space', level: 1 }).waitFor();

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Traces' }).click();
    await page.getByRole('heading', { name: 'Traces', level: 1 }).waitFor();
    await page.getByLabel('Resource name').fill('traced-space');
    await page.getByLabel('Resource name').press('Enter');
    await page.waitForURL(/resource_name=traced-space/);
    const [trace] = await apiTraces('&resource_name=traced-space');
    assert.equal(trace!.trace_type, 'ConsoleAction');
    await eventually(async () => assert.deepEqual(await shownTraceIds(page), [trace!.trace_id]));
    const row = page.locator(`tr[data-trace-id="${trace!.trace_id}"]`);
    assert.equal(await row.getAttribute('data-trace-type'), 'ConsoleAction');
    assert.deepEqual(
      (await row.locator('td').allTextContents()).slice(1).map((s) => s.trim()),
      ['ModelArts', `workspace traced-space${trace!.resource_id}`, harness.srv.root.name, 'Normal', '200', trace!.source_ip],
    );

    const details = row.getByRole('button', { name: 'Details of createWorkspace' });
    assert.equal(await details.getAttribute('aria-expanded'), 'false');
    await details.focus();
    await page.keyboard.press('Enter');
    assert.equal(await details.getAttribute('aria-expanded'), 'true');
    const detail = page.locator(`#${await details.getAttribute('aria-controls')}`);
    await detail.getByText(trace!.request_id, { exact: true }).waitFor();
    await detail.getByText(trace!.trace_id, { exact: true }).waitFor();
    await detail.getByText(trace!.api_version, { exact: true }).waitFor();
    await detail.getByText('Console action').waitFor();
    // pretty-printed JSON, as sent and as answered
    const [request, response] = await detail.locator('pre').allTextContents();
    assert.match(request!, /^{\n {2}"name": "traced-space"/);
    assert.equal(JSON.parse(response!).name, 'traced-space');
    await details.click();
    await detail.waitFor({ state: 'detached' });

    // Applying the same filters again asks again: a change made since then comes in, on top.
    const token = await harness.srv.rootToken();
    const update = await harness.srv.api('PUT', `/v1/${harness.srv.projectId}/workspaces/${trace!.resource_id}`, { token, body: { description: 'later' } });
    assert.equal(update.status, 200, JSON.stringify(update.body));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const now = await apiTraces('&resource_name=traced-space');
    assert.deepEqual(now.map((t) => [t.trace_name, t.trace_type]), [['updateWorkspace', 'ApiCall'], ['createWorkspace', 'ConsoleAction']]);
    await eventually(async () => assert.deepEqual(await shownTraceIds(page), now.map((t) => t.trace_id)));
  });

  test('keeps filters typed before the page has run its first effects', async (page) => {
    // The page's clock is held: its effects (which run after the first paint) come after the typing.
    await page.clock.install();
    await signIn(harness, page);
    await page.clock.pauseAt(Date.now() + 1000);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Traces' }).click();
    await page.getByRole('heading', { name: 'Traces', level: 1 }).waitFor();
    await page.getByLabel('User').fill(bob.name);
    await page.clock.runFor(1000);
    await page.getByLabel('User').press('Enter');
    await eventually(async () => assert.equal(await page.evaluate('location.search'), `?user=${bob.name}`));
    assert.equal(await page.getByLabel('User').inputValue(), bob.name);
    await page.clock.resume();
    const bobs = await apiTraces(`&user=${bob.name}`);
    await eventually(async () => assert.deepEqual(await shownTraceIds(page), bobs.slice(0, 20).map((t) => t.trace_id)));
  });

  test('pages with Load more until the marker runs out, and filters by rating, all kept in the URL', async (page) => {
    await signIn(harness, page);
    await page.goto(harness.url(`/traces?user=${bob.name}&service_type=ModelArts&limit=3`));
    const all = await apiTraces(`&user=${bob.name}&service_type=ModelArts`);
    assert.equal(all.length, 7);
    await eventually(async () => assert.deepEqual(await shownTraceIds(page), all.slice(0, 3).map((t) => t.trace_id)));
    await page.getByRole('button', { name: 'Load more' }).click();
    await eventually(async () => assert.deepEqual(await shownTraceIds(page), all.slice(0, 6).map((t) => t.trace_id)));
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('End of the trail for this time range.').waitFor();
    // the button is gone: the focus is on the text that says why, not lost to the page
    await eventually(async () => assert.equal(await page.evaluate('document.activeElement?.textContent'), 'End of the trail for this time range.'));
    assert.deepEqual(await shownTraceIds(page), all.map((t) => t.trace_id));
    assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0);
    await page.getByText('7 traces shown').waitFor();

    await page.getByLabel('Rating').selectOption('warning');
    await page.waitForURL(/trace_rating=warning/);
    const warnings = all.filter((t) => t.trace_rating === 'warning');
    assert.equal(warnings.length, 2);
    await eventually(async () => assert.deepEqual(await shownTraceIds(page), warnings.map((t) => t.trace_id)));
    assert.deepEqual(await page.locator('tbody .badge').allTextContents(), ['Warning', 'Warning']);
    assert.equal(new URL(page.url()).searchParams.get('user'), bob.name);

    // Back returns to the unfiltered view; Clear filters keeps the range and page size.
    await page.goBack();
    await eventually(async () => assert.equal((await shownTraceIds(page)).length, 3));
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(() => assert.equal(new URL(page.url()).search, '?limit=3'));
    // The form follows the URL on its next render.
    await eventually(async () => {
      assert.equal(await page.getByLabel('Service').inputValue(), '');
      assert.equal(await page.getByLabel('User name').inputValue(), '');
    });
  });

  test('an IAM user has no Traces in the navigation and is refused at its URL', async (page) => {
    await signIn(harness, page, bob);
    await page.goto(harness.url('/traces'));
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
    assert.deepEqual(await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').allTextContents(), ['Workspaces']);
  });

  test('works at 360 px wide, in English and in Chinese: no page overflow, the table scrolls in its frame', async (page) => {
    const overflow = () => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    await signIn(harness, page);
    await page.goto(harness.url(`/traces?user=${bob.name}&service_type=ModelArts`));
    await page.getByText('7 traces shown').waitFor();
    await page.locator('tbody tr[data-trace-id] button').first().click();
    await page.getByText('Response', { exact: true }).waitFor();
    assert.equal(await overflow(), 0);

    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('heading', { name: '审计事件', level: 1 }).waitFor();
    await page.getByText('已显示 7 条事件').waitFor();
    await page.getByText('响应', { exact: true }).waitFor();
    assert.equal(await overflow(), 0);
  }, { viewport: { width: 360, height: 740 } });
});
