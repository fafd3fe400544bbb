import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import { quotaProblem } from '../console/src/pages/workspace-rules.js';
import { type ConsoleHarness, describeConsole, eventually, signIn } from './helpers/browser.js';
import type { TestUser } from './helpers/server.js';

let harness: ConsoleHarness;
let alice: TestUser;
let bob: TestUser;
let base: string;

async function seed(started: ConsoleHarness): Promise<void> {
  harness = started;
  base = `/v1/${harness.srv.projectId}/workspaces`;
  alice = await harness.srv.newUser('alice');
  bob = await harness.srv.newUser('bob');
}

describeConsole('console: creating, editing, quotas and deleting workspaces', { seed }, (test) => {
  const workspaceNamed = async (name: string) => {
    const list = await harness.srv.api('GET', `${base}?name=${encodeURIComponent(name)}`, { token: await harness.srv.rootToken() });
    return list.body.workspaces.find((w: { name: string }) => w.name === name) as { id: string } | undefined;
  };
  const showWorkspace = async (id: string) => (await harness.srv.api('GET', `${base}/${id}`, { token: await harness.srv.rootToken() })).body;
  const openCreateForm = async (page: Page) => {
    await page.getByRole('link', { name: 'Create workspace' }).click();
    await page.getByRole('heading', { name: 'Create workspace' }).waitFor();
  };

  test('creates a public, a private and an internal workspace with grants picked from the account\'s users', async (page) => {
    await signIn(harness, page);
    for (const [name, access] of [['pub-space', 'Public'], ['priv-space', 'Private']] as const) {
      await openCreateForm(page);
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Description').fill(`the ${access} one`);
      await page.getByRole('radio', { name: new RegExp(`^${access}`) }).check();
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      await page.getByText(`the ${access} one`).waitFor();
      const created = await showWorkspace((await workspaceNamed(name))!.id);
      assert.equal(created.auth_type, access.toLowerCase());
      await page.getByRole('link', { name: 'Workspaces' }).first().click();
    }

    await openCreateForm(page);
    await page.getByLabel('Name').fill('team-space');
    await page.getByRole('radio', { name: /^Internal/ }).check();
    // Only internal workspaces have grants: the users of the account are offered, not the root user.
    await page.getByRole('checkbox', { name: 'alice' }).check();
    await page.getByRole('checkbox', { name: 'bob' }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: 'root' }).count(), 0);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'team-space', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Granted users' }).waitFor();
    await page.getByRole('rowheader', { name: 'alice' }).waitFor();
    const team = await showWorkspace((await workspaceNamed('team-space'))!.id);
    assert.equal(team.auth_type, 'internal');
    assert.deepEqual(team.grants.map((g: { user_name: string; user_id: string }) => [g.user_name, g.user_id]), [['alice', alice.id]]);
  });

  test('checks the name as it is typed and shows the server\'s refusals with their code and request id', async (page) => {
    await signIn(harness, page);
    await page.goto(harness.url('/workspaces/new'));
    const name = page.getByLabel('Name');
    const create = page.getByRole('button', { name: 'Create', exact: true });
    let posts = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/workspaces')) posts += 1;
    });
    for (const [typed, message] of [
      ['abc', 'The name must be 4 to 64 characters long.'],
      ['has space', 'Use only Chinese characters, letters, digits, "-" and "_".'],
      ['default', '"default" is reserved for the default workspace.'],
    ] as const) {
      await name.fill(typed);
      await create.click();
      await page.getByText(message).waitFor();
      assert.equal(await name.getAttribute('aria-invalid'), 'true');
    }
    assert.equal(posts, 0, 'an invalid name is not sent');

    // Chinese characters are allowed; a name taken in the project is the server's answer, shown at the field.
    await name.fill('pub-space');
    await create.click();
    await page.getByText('A workspace with this name already exists in the project.').waitFor();
    const alert = page.getByRole('alert');
    await alert.getByText('ModelArts.0103').waitFor();
    assert.match((await alert.locator('.request-id').textContent()) ?? '', /\S+/);
    assert.equal(posts, 1);
    await name.fill('数据-实验室');
    await create.click();
    await page.getByRole('heading', { name: '数据-实验室', level: 1 }).waitFor();
  });

  test('edits and renames a workspace, keeping its enterprise project fixed, and changes its grants', async (page) => {
    const token = await harness.srv.rootToken();
    const made = await harness.srv.api('POST', base, { token, body: { name: 'to-rename', description: 'before' } });
    assert.equal(made.status, 200);
    await signIn(harness, page);
    await page.getByRole('link', { name: 'to-rename' }).click();
    await page.getByRole('heading', { name: 'to-rename', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit workspace' }).waitFor();
    assert.equal(await page.getByLabel('Enterprise project').isDisabled(), true);
    await page.getByLabel('Name').fill('renamed-space');
    await page.getByLabel('Description').fill('after');
    await page.getByRole('radio', { name: /^Internal/ }).check();
    await page.getByRole('checkbox', { name: 'bob' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'renamed-space', level: 1 }).waitFor();
    await page.getByText('after', { exact: true }).waitFor();
    const shown = await showWorkspace(made.body.id);
    assert.equal(shown.name, 'renamed-space');
    assert.equal(shown.description, 'after');
    assert.deepEqual(shown.grants.map((g: { user_name: string }) => g.user_name), ['bob']);

    // Back to public: the grants go (the API clears them when none are sent).
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('radio', { name: /^Public/ }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'renamed-space', level: 1 }).waitFor();
    await eventually(async () => assert.equal((await showWorkspace(made.body.id)).auth_type, 'public'));
    assert.deepEqual((await showWorkspace(made.body.id)).grants, []);
  });

  test('keeps an internal workspace internal when the API names its access in upper case', async (page) => {
    const token = await harness.srv.rootToken();
    const made = await harness.srv.api('POST', base, { token, body: { name: 'upper-case', auth_type: 'internal', grants: [{ user_name: 'alice' }] } });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    // The cloud's own examples answer "INTERNAL": the form must not read that as unknown and save it as public.
    await page.route(`**${base}/${made.body.id}`, async (route) => {
      const response = await route.fetch();
      route.fulfill({ response, json: { ...(await response.json()), auth_type: 'INTERNAL' } });
    });
    await signIn(harness, page);
    await page.goto(harness.url(`/workspaces/${made.body.id}/edit`));
    await page.getByRole('heading', { name: 'Edit workspace' }).waitFor();
    assert.equal(await page.getByRole('radio', { name: /^Internal/ }).isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: 'alice' }).isChecked(), true);
  });

  test('edits a quota in place and refuses a value out of its range before sending it', async (page) => {
    const token = await harness.srv.rootToken();
    const made = await harness.srv.api('POST', base, { token, body: { name: 'quota-space' } });
    await signIn(harness, page);
    await page.goto(harness.url(`/workspaces/${made.body.id}`));
    const row = page.locator('tr[data-resource="exemlProject.gpu_duration"]');
    await row.getByText('6000', { exact: true }).waitFor();
    await row.getByText('60000', { exact: true }).waitFor();
    let puts = 0;
    page.on('request', (request) => {
      if (request.method() === 'PUT' && request.url().endsWith('/quotas')) puts += 1;
    });
    await row.getByRole('button', { name: /^Edit quota/ }).click();
    const input = row.getByRole('textbox');
    for (const [value, message] of [
      ['60001', 'Enter a value from 0 to 60000, or -1 for unlimited.'],
      ['-2', 'Enter a value from 0 to 60000, or -1 for unlimited.'],
      ['1.5', 'Enter a whole number.'],
    ] as const) {
      await input.fill(value);
      await input.press('Enter');
      await row.getByText(message).waitFor();
    }
    assert.equal(puts, 0, 'a value out of range is not sent');

    await input.fill('1234');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByText('1234', { exact: true }).waitFor();
    assert.equal(puts, 1);
    // The keyboard user is back on the row's Edit button.
    await eventually(async () => assert.match(String(await page.evaluate("document.activeElement?.getAttribute('aria-label')")), /^Edit quota: ExeML/));
    const quotas = await harness.srv.api('GET', `${base}/${made.body.id}/quotas`, { token });
    assert.equal(quotas.body.quotas.find((q: { resource: string }) => q.resource === 'exemlProject.gpu_duration').quota, 1234);

    // -1 is unlimited where the minimum allows it; Escape leaves the editor unchanged.
    await row.getByRole('button', { name: /^Edit quota/ }).click();
    await row.getByRole('textbox').fill('-1');
    await row.getByRole('textbox').press('Enter');
    // The minimum's cell says Unlimited all along: the quota's own cell is the one to wait for.
    await row.locator('td').first().getByText('Unlimited', { exact: true }).waitFor();
    assert.equal(puts, 2);

    // The language switch shows the Chinese name and unit.
    await page.getByLabel('Language').selectOption('zh-CN');
    await row.getByText('自动学习（图像分类、物体检测、声音分类）训练时长').waitFor();
    await row.getByText('分钟', { exact: true }).waitFor();
  });


  test('deletes a workspace once its name is typed, and the list shows it until the deletion job has removed it', async (page) => {
    const token = await harness.srv.rootToken();
    const made = await harness.srv.api('POST', base, { token, body: { name: 'doomed-space' } });
    await signIn(harness, page);
    await page.goto(harness.url(`/workspaces/${made.body.id}`));
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete workspace doomed-space?' });
    const confirm = dialog.getByRole('button', { name: 'Delete' });
    assert.equal(await confirm.isDisabled(), true);
    await dialog.getByLabel('Type doomed-space to confirm').fill('doomed-spac');
    assert.equal(await confirm.isDisabled(), true);
    // Escape closes it without deleting.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await showWorkspace(made.body.id)).status, 'NORMAL');

    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByLabel('Type doomed-space to confirm').fill('doomed-space');
    await confirm.click();
    await page.waitForURL(/\/console\/workspaces$/);
    await page.getByRole('rowheader', { name: 'default' }).waitFor();
    await page.locator(`tr[data-workspace-id="${made.body.id}"]`).waitFor({ state: 'detached' });
    assert.equal((await harness.srv.api('GET', `${base}/${made.body.id}`, { token })).body.error_code, 'ModelArts.7005');
  });

  test('a user who is not root sees what the API lets them see: no IAM pages, a refusal for their URLs, names typed for grants', async (page) => {
    const token = await harness.srv.rootToken();
    const secret = await harness.srv.api('POST', base, { token, body: { name: 'root-private', auth_type: 'private' } });
    await signIn(harness, page, bob);
    await page.getByRole('link', { name: 'root-private' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Workspaces' }).waitFor();
    assert.equal(await nav.getByRole('link').count(), 1);

    for (const path of ['/iam/users', '/iam/access-keys', '/iam/enterprise-projects']) {
      await page.goto(harness.url(path));
      await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
    }
    // The API has answered that bob is not root by now: still only the workspaces in the navigation.
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Workspaces']);

    // The root user's private workspace is listed, but opening it is refused by the API.
    await page.goto(harness.url(`/workspaces/${secret.body.id}`));
    await page.getByRole('alert').getByText('ModelArts.0108').waitFor();

    // Bob cannot list the account's users: he types the names to grant.
    await page.goto(harness.url('/workspaces/new'));
    await page.getByLabel('Name').fill('bobs-team');
    await page.getByRole('radio', { name: /^Internal/ }).check();
    await page.getByLabel('IAM user name').fill('alice');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('button', { name: 'Remove alice' }).waitFor();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'bobs-team', level: 1 }).waitFor();
    const made = await showWorkspace((await workspaceNamed('bobs-team'))!.id);
    assert.equal(made.owner, 'bob');
    assert.deepEqual(made.grants.map((g: { user_name: string }) => g.user_name), ['alice']);
  });
});

it('the quota rule: -1 only where the minimum is -1, otherwise within [max(min, 0), max]', () => {
  assert.equal(quotaProblem('-1', { min_quota: -1, max_quota: 10 }), null);
  assert.equal(quotaProblem('-1', { min_quota: 0, max_quota: 10 })?.key, 'quota.noUnlimited');
  assert.equal(quotaProblem('0', { min_quota: 1, max_quota: 10 })?.key, 'quota.range');
  assert.equal(quotaProblem('10', { min_quota: 1, max_quota: 10 }), null);
  assert.equal(quotaProblem('11', { min_quota: 1, max_quota: 10 })?.key, 'quota.range');
  assert.equal(quotaProblem('', { min_quota: 1, max_quota: 10 })?.key, 'quota.notInteger');
});
