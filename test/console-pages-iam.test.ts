import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { type ConsoleHarness, describeConsole, eventually, signIn } from './helpers/browser.js';

let harness: ConsoleHarness;

describeConsole('console: the IAM pages of the root user', { seed: async (started) => void (harness = started) }, (test) => {
  const usersNamed = async (name: string) => (await harness.srv.api('GET', `/v3/users?name=${name}`, { token: await harness.srv.rootToken() })).body.users;

  test('creates a user, disables and enables it, resets its password and deletes it, confirming each', async (page) => {
    await signIn(harness, page);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'IAM users' }).waitFor();
    await page.getByRole('rowheader', { name: /^root/ }).waitFor();

    // The password rule is checked before sending.
    await page.getByLabel('User name').fill('carol');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create user' }).click();
    assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Password', { exact: true }).fill('Carol-Passw0rd');
    await page.getByLabel('Description').fill('data scientist');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('User carol created.').waitFor();
    const row = page.locator('tr[data-user="carol"]');
    await row.getByText('Enabled').waitFor();
    assert.equal((await usersNamed('carol'))[0].description, 'data scientist');
    // The account's only root user has neither a disable nor a delete button.
    assert.equal(await page.locator('tr[data-user="root"]').getByRole('button', { name: /Delete|Disable/ }).count(), 0);

    await row.getByRole('button', { name: 'Disable: carol' }).click();
    await page.getByRole('dialog', { name: 'Disable carol?' }).getByRole('button', { name: 'Disable' }).click();
    await row.getByText('Disabled').waitFor();
    assert.equal((await usersNamed('carol'))[0].enabled, false);
    await row.getByRole('button', { name: 'Enable: carol' }).click();
    await page.getByRole('dialog', { name: 'Enable carol?' }).getByRole('button', { name: 'Enable' }).click();
    await row.getByText('Enabled').waitFor();

    await row.getByRole('button', { name: 'Reset password: carol' }).click();
    const reset = page.getByRole('dialog', { name: 'Reset the password of carol' });
    await reset.getByLabel('New password').fill('New-Passw0rd');
    await reset.getByRole('button', { name: 'Reset password' }).click();
    await reset.waitFor({ state: 'detached' });
    await harness.srv.login({ name: 'carol', password: 'New-Passw0rd' });

    await row.getByRole('button', { name: 'Delete: carol' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete user carol?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await usersNamed('carol')).length, 1);
    await row.getByRole('button', { name: 'Delete: carol' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(await usersNamed('carol'), []);
  });

  test('shows a new access key\'s secret once, with copy buttons and credentials.csv, then enables, disables and deletes the key', async (page) => {
    const dave = await harness.srv.newUser('dave');
    await signIn(harness, page);
    await page.goto(harness.url('/iam/access-keys'));
    await page.getByRole('heading', { name: 'Access keys' }).waitFor();
    await page.getByRole('combobox', { name: /^User/ }).selectOption({ label: 'dave' });
    await page.getByLabel('Description').fill('for the CI');
    await page.getByRole('button', { name: 'Create access key' }).click();
    await page.getByRole('heading', { name: 'Access key created' }).waitFor();
    const accessKey = (await page.getByTestId('new-access-key').textContent())!;
    const secret = (await page.getByTestId('new-secret-key').textContent())!;
    assert.match(secret, /\S{20,}/);
    await page.getByRole('button', { name: 'Copy secret access key' }).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download credentials.csv' }).click()]);
    assert.equal(download.suggestedFilename(), 'credentials.csv');
    const csv = await fs.readFile((await download.path())!, 'utf8');
    assert.equal(csv, `User Name,Access Key Id,Secret Access Key\r\ndave,${accessKey},${secret}\r\n`);

    // The key works: the API lists it for dave, with the description.
    const listed = await harness.srv.api('GET', `/v3.0/OS-CREDENTIAL/credentials?user_id=${dave.id}`, { token: await harness.srv.rootToken() });
    const key = listed.body.credentials.find((c: { access: string }) => c.access === accessKey);
    assert.equal(key.description, 'for the CI');

    // Leaving the page forgets the secret: it is not in the page any more, nor after coming back.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Workspaces' }).click();
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    await page.goBack();
    const row = page.locator(`tr[data-access-key="${accessKey}"]`);
    await row.waitFor();
    assert.equal(await page.getByText(secret).count(), 0);
    assert.equal((await page.content()).includes(secret), false);

    await row.getByRole('button', { name: `Disable: ${accessKey}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
    await row.getByText('Disabled').waitFor();
    await row.getByRole('button', { name: `Enable: ${accessKey}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Enable' }).click();
    await row.getByText('Enabled').waitFor();
    await row.getByRole('button', { name: `Delete: ${accessKey}` }).click();
    await page.getByRole('dialog', { name: `Delete access key ${accessKey}?` }).getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    const after = await harness.srv.api('GET', `/v3.0/OS-CREDENTIAL/credentials?user_id=${dave.id}`, { token: await harness.srv.rootToken() });
    assert.equal(after.body.credentials.some((c: { access: string }) => c.access === accessKey), false);
  });

  test('creates, renames, disables and enables an enterprise project; a disabled one is not offered for new workspaces', async (page) => {
    await signIn(harness, page);
    await page.goto(harness.url('/iam/enterprise-projects'));
    await page.getByRole('heading', { name: 'Enterprise projects' }).waitFor();
    await page.getByLabel('Name').fill('default');
    await page.getByRole('button', { name: 'Create enterprise project' }).click();
    assert.equal(await page.getByLabel('Name').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Name').fill('vision');
    await page.getByRole('button', { name: 'Create enterprise project' }).click();
    const row = page.locator('tr[data-enterprise-project="vision"]');
    await row.getByText('Enabled').waitFor();

    await row.getByRole('button', { name: 'Rename: vision' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename vision' });
    await rename.getByLabel('New name').fill('vision-lab');
    await rename.getByRole('button', { name: 'Rename' }).click();
    const renamed = page.locator('tr[data-enterprise-project="vision-lab"]');
    await renamed.waitFor();

    await renamed.getByRole('button', { name: 'Disable: vision-lab' }).click();
    await page.getByRole('dialog', { name: 'Disable vision-lab?' }).getByRole('button', { name: 'Disable' }).click();
    await renamed.getByText('Disabled').waitFor();
    const eps = await harness.srv.api('GET', '/v1.0/enterprise-projects?name=vision-lab', { token: await harness.srv.rootToken() });
    assert.equal(eps.body.enterprise_projects[0].status, 2);

    // The form offers "default" before the list has come (a placeholder): an enabled project shows that it has.
    const speech = await harness.srv.api('POST', '/v1.0/enterprise-projects', { token: await harness.srv.rootToken(), body: { name: 'speech' } });
    assert.equal(speech.status, 200, JSON.stringify(speech.body));
    await page.goto(harness.url('/workspaces/new'));
    const select = page.getByLabel('Enterprise project');
    await select.locator('option', { hasText: 'speech' }).waitFor({ state: 'attached' });
    assert.equal(await select.locator('option', { hasText: 'vision-lab' }).count(), 0);

    await page.goBack();
    await renamed.getByRole('button', { name: 'Enable: vision-lab' }).click();
    await page.getByRole('dialog', { name: 'Enable vision-lab?' }).getByRole('button', { name: 'Enable' }).click();
    await renamed.getByText('Enabled').waitFor();
    await page.goto(harness.url('/workspaces/new'));
    await eventually(async () => assert.equal(await page.getByLabel('Enterprise project').locator('option', { hasText: 'vision-lab' }).count(), 1));
  });

  test('works at 360 px wide: the navigation wraps and the IAM tables scroll inside their frame', async (page) => {
    await signIn(harness, page);
    await page.goto(harness.url('/iam/users'));
    await page.getByRole('rowheader', { name: /^root/ }).waitFor();
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.equal(overflow, 0);
  }, { viewport: { width: 360, height: 740 } });
});
