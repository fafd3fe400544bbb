import assert from 'node:assert/strict';
import { type ConsoleHarness, describeConsole, eventually, shownWorkspaceNames, signIn } from './helpers/browser.js';

const two = (n: number) => String(n).padStart(2, '0');

// The server's clock: a held deletion is released by moving it, not by waiting.
let clockOffsetMs = 0;
let base = '';

async function seed({ srv }: ConsoleHarness): Promise<void> {
  base = `/v1/${srv.projectId}/workspaces`;
  const token = await srv.rootToken();
  const ep = await srv.api('POST', '/v1.0/enterprise-projects', { token, body: { name: 'research' } });
  assert.equal(ep.status, 200, JSON.stringify(ep.body));
  const epId = ep.body.enterprise_project.id as string;
  const names = [...Array.from({ length: 20 }, (_, i) => `alpha-${two(i)}`), ...Array.from({ length: 12 }, (_, i) => `beta-${two(i)}`)];
  for (const name of names) {
    const created = await srv.api('POST', base, { token, body: { name, ...(name.startsWith('beta-0') ? { enterprise_project_id: epId } : {}) } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
  }
}

const setup = { env: { MAWS_TEST_CONTROLS: 'true' }, now: () => Date.now() + clockOffsetMs, seed };

describeConsole('console: the workspace list', setup, (test) => {
  test('searches, sorts and pages through 30+ workspaces, the URL saying how, and a reload restores the view', async (page, harness) => {
    await signIn(harness, page);
    await page.getByText('33 workspaces').waitFor();
    await page.getByText('Page 1 of 4').waitFor();
    assert.deepEqual(await shownWorkspaceNames(page), Array.from({ length: 10 }, (_, i) => `alpha-${two(i)}`));

    // The API's offset is a page index: page 2 holds the 11th to 20th names.
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.waitForURL(/\/workspaces\?page=2$/);
    await eventually(async () => assert.deepEqual(await shownWorkspaceNames(page), Array.from({ length: 10 }, (_, i) => `alpha-${two(i + 10)}`)));

    await page.getByLabel('Search by name').fill('ETA-1');
    await page.waitForURL(/\/workspaces\?name=ETA-1$/);
    await eventually(async () => assert.deepEqual(await shownWorkspaceNames(page), ['beta-10', 'beta-11']));
    await page.getByLabel('Search by name').fill('beta');
    await page.waitForURL(/\/workspaces\?name=beta$/);
    await page.getByText('12 workspaces').waitFor();

    // The column header sorts; pressing it again turns the order round.
    await page.getByRole('button', { name: 'Name' }).click();
    await page.waitForURL(/\/workspaces\?name=beta&order=desc$/);
    await eventually(async () => assert.equal((await shownWorkspaceNames(page))[0], 'beta-11'));
    await page.getByLabel('Rows per page').selectOption('20');
    await page.waitForURL(/limit=20/);
    await page.getByText('Page 1 of 1').waitFor();
    await eventually(async () => assert.deepEqual(await shownWorkspaceNames(page), Array.from({ length: 12 }, (_, i) => `beta-${two(11 - i)}`)));

    await page.getByLabel('Sort by').selectOption('update_time');
    await page.waitForURL(/sort_by=update_time/);
    await page.getByLabel('Enterprise project').selectOption({ label: 'research' });
    await page.waitForURL(/enterprise_project_id=/);
    await eventually(async () => assert.deepEqual(await shownWorkspaceNames(page), Array.from({ length: 10 }, (_, i) => `beta-${two(9 - i)}`)));
    await page.getByLabel('Only workspaces I can access').check();
    await page.waitForURL(/filter_accessible=true/);

    // The URL is the view: opened afresh (a bookmark, a reload), it shows the same.
    const bookmarked = page.url();
    assert.match(bookmarked, /name=beta/);
    await page.reload();
    await eventually(async () => assert.deepEqual(await shownWorkspaceNames(page), Array.from({ length: 10 }, (_, i) => `beta-${two(9 - i)}`)));
    assert.equal(await page.getByLabel('Search by name').inputValue(), 'beta');
    assert.equal(await page.getByLabel('Sort by').inputValue(), 'update_time');
    assert.equal(await page.getByLabel('Rows per page').inputValue(), '20');
    assert.equal(await page.getByLabel('Only workspaces I can access').isChecked(), true);

    // Back steps through the views.
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('filter_accessible'));

    await page.getByLabel('Search by name').fill('nothing-like-this');
    await page.getByText('No workspace matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(async () => assert.ok(!page.url().includes('name=')));
  });

  test('keeps a search the API would refuse to itself, and offers a way back from a page past the end', async (page, harness) => {
    await signIn(harness, page);
    await page.goto(harness.url('/workspaces?page=9'));
    await page.getByText('This page is past the end of the list.').waitFor();
    await page.getByRole('button', { name: 'Go to the first page' }).click();
    await page.getByRole('rowheader', { name: 'alpha-00' }).waitFor();
    assert.match(page.url(), /\/workspaces$/);

    const searches: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/workspaces?')) searches.push(new URL(request.url()).searchParams.get('name') ?? '');
    });
    await page.getByLabel('Search by name').fill('alpha 01');
    await page.getByText('Names contain only Chinese characters, letters, digits, "-" and "_".').waitFor();
    assert.equal(await page.getByLabel('Search by name').getAttribute('aria-invalid'), 'true');
    // The field says which search its debounce last handed on: this one was, and nothing was sent.
    await page.locator('input[name="name"][data-settled="alpha 01"]').waitFor();
    assert.match(page.url(), /\/workspaces$/);
    assert.deepEqual(searches, []);
    await page.getByLabel('Search by name').fill('alpha-01');
    await eventually(async () => {
      assert.match(page.url(), /name=alpha-01$/);
      assert.deepEqual(await shownWorkspaceNames(page), ['alpha-01']);
    });
    await page.getByText('1 workspace', { exact: true }).waitFor();
    assert.deepEqual(searches, ['alpha-01']);
  });

  test('keeps a key typed while the debounced search is being written into the URL', async (page, harness) => {
    // The page's clock is stepped by hand: the key lands after the debounce has written the URL
    // and before the page has reacted to the URL's change, every time.
    await page.clock.install();
    await signIn(harness, page);
    await page.getByRole('rowheader', { name: 'alpha-00' }).waitFor();
    await page.clock.pauseAt(Date.now() + 1000);
    const box = page.getByLabel('Search by name');
    await box.click();
    await page.keyboard.type('beta-');
    await eventually(async () => {
      await page.clock.runFor(5);
      assert.equal(await page.evaluate('location.search'), '?name=beta-');
    });
    await page.keyboard.type('1');
    await page.clock.runFor(1000);
    assert.equal(await box.inputValue(), 'beta-1');
    await eventually(async () => assert.equal(await page.evaluate('location.search'), '?name=beta-1'));
    await page.clock.resume();
    await eventually(async () => assert.deepEqual(await shownWorkspaceNames(page), ['beta-10', 'beta-11']));
  });

  test('shows a DELETING row until its deletion job has run, then drops it', async (page, harness) => {
    const { srv } = harness;
    const token = await srv.rootToken();
    const created = await srv.api('POST', base, { token, body: { name: 'going-away' } });
    const id = created.body.id as string;
    const hold = await srv.operator('POST', '/maws/v1/test-controls/deletion-holds', { body: { project_id: srv.projectId, workspace_id: id, hold_seconds: 3600 } });
    assert.equal(hold.status, 200, JSON.stringify(hold.body));
    assert.equal((await srv.api('DELETE', `${base}/${id}`, { token })).status, 200);

    await signIn(harness, page);
    await page.goto(harness.url('/workspaces?name=going'));
    const row = page.locator(`tr[data-workspace-id="${id}"]`);
    await row.getByText('Deleting').waitFor();
    clockOffsetMs += 3601 * 1000;
    // No reload: the page asks again while a row is DELETING.
    await row.waitFor({ state: 'detached' });
    await page.getByText('No workspace matches these filters.').waitFor();
  });

  test('shows why a deletion failed and retries it', async (page, harness) => {
    const { srv } = harness;
    const token = await srv.rootToken();
    const created = await srv.api('POST', base, { token, body: { name: 'stubborn' } });
    const id = created.body.id as string;
    const failure = await srv.operator('POST', '/maws/v1/test-controls/deletion-failures', {
      body: { project_id: srv.projectId, workspace_id: id, count: 1, message: 'storage cleanup failed: volume busy' },
    });
    assert.equal(failure.status, 200, JSON.stringify(failure.body));
    assert.equal((await srv.api('DELETE', `${base}/${id}`, { token })).status, 200);
    await eventually(async () => assert.equal((await srv.api('GET', `${base}/${id}`, { token })).body.status, 'DELETE_FAILED'));

    await signIn(harness, page);
    await page.goto(harness.url('/workspaces?name=stubborn'));
    const row = page.locator(`tr[data-workspace-id="${id}"]`);
    await row.getByText('Delete failed').waitFor();
    await row.getByText('storage cleanup failed: volume busy').waitFor();
    await row.getByRole('button', { name: 'Retry delete: stubborn' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await srv.api('GET', `${base}/${id}`, { token })).status, 400);
  });

  test('switches to Simplified Chinese and remembers it after a reload', async (page, harness) => {
    await signIn(harness, page);
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '工作空间' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: '工作空间' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.equal(await page.getByRole('button', { name: '退出登录' }).count(), 1);
    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
  });

  test('is usable with the keyboard alone, the focus always visible', async (page, harness) => {
    await signIn(harness, page);
    await page.getByRole('rowheader', { name: 'alpha-00' }).waitFor();
    const focused = () => page.evaluate('(() => { const e = document.activeElement; return { tag: e.tagName, name: e.getAttribute("name"), text: e.textContent.trim(), outline: getComputedStyle(e).outlineStyle }; })()') as Promise<{ tag: string; name: string | null; text: string; outline: string }>;
    const tabTo = async (matches: (e: Awaited<ReturnType<typeof focused>>) => boolean) => {
      for (let presses = 0; presses < 30; presses++) {
        await page.keyboard.press('Tab');
        const element = await focused();
        assert.notEqual(element.outline, 'none', `no visible focus on ${JSON.stringify(element)}`);
        if (matches(element)) return;
      }
      assert.fail('never reached by Tab');
    };
    await tabTo((e) => e.name === 'name');
    await page.keyboard.type('beta-1');
    await page.waitForURL(/name=beta-1$/);
    await tabTo((e) => e.tag === 'BUTTON' && e.text.startsWith('Name'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/order=desc/);
    await eventually(async () => assert.deepEqual(await shownWorkspaceNames(page), ['beta-11', 'beta-10']));
  });

  test('fits a 360 px wide screen: the page does not scroll sideways, the table does', async (page, harness) => {
    await signIn(harness, page);
    await page.getByRole('rowheader', { name: 'alpha-00' }).waitFor();
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.equal(overflow, 0);
  }, { viewport: { width: 360, height: 740 } });

  test('shows a message, not a blank page, when an answer cannot be displayed, and the navigation still works', async (page, harness) => {
    await signIn(harness, page);
    await page.getByRole('rowheader', { name: 'alpha-00' }).waitFor();
    // An answer of a shape the page does not expect (a proxy's, a newer server's) makes it throw while rendering.
    await page.route('**/workspaces?**', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{}' }));
    await page.reload();
    await page.getByRole('heading', { name: 'This page could not be shown' }).waitFor();
    assert.equal(await page.getByText(/TypeError|at \S+:\d+/).count(), 0);
    await page.unroute('**/workspaces?**');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('rowheader', { name: 'alpha-00' }).waitFor();
  });

  test('shows an API failure with its error code and a copyable request id', async (page, harness) => {
    const { srv } = harness;
    await signIn(harness, page);
    // The sign-in page's own list request must be answered first, or it could take the one injected failure.
    await page.getByRole('rowheader', { name: 'alpha-00' }).waitFor();
    const fault = await srv.operator('POST', '/maws/v1/test-controls/faults', {
      body: { project_id: srv.projectId, operations: ['ListWorkspace'], count: 1, error: { status: 500, error_code: 'ModelArts.7001', error_msg: 'injected list failure' } },
    });
    assert.equal(fault.status, 200, JSON.stringify(fault.body));
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'injected list failure' });
    await alert.waitFor();
    await alert.getByText('ModelArts.7001').waitFor();
    assert.match(await alert.locator('.request-id').innerText(), /\S{8,}/);
    // The button says what it copies, and a screen reader hears that it did.
    await alert.getByRole('button', { name: 'Copy request ID' }).click();
    await alert.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('rowheader', { name: 'alpha-00' }).waitFor();
  });
});
