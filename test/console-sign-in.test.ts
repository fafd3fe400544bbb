import assert from 'node:assert/strict';
import { describeConsole, eventually, expireStoredSession, fillSignIn, signIn, storedSession } from './helpers/browser.js';

describeConsole('console: signing in and out', {}, (test) => {
  test('signs in with the account, user, password and project, and lands on the workspace list', async (page, harness) => {
    await page.goto(harness.url('/'));
    await page.waitForURL(/\/console\/sign-in/);
    await fillSignIn(harness, page, harness.srv.root);
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    assert.match(page.url(), /\/console\/workspaces$/);
    // The default workspace is in every project's list.
    await page.getByRole('rowheader', { name: 'default' }).waitFor();
    const token = (await storedSession(page))?.token;
    assert.equal((await harness.srv.api('GET', `/v1/${harness.srv.projectId}/workspaces`, { token })).status, 200);
  });

  test('says so when the password is wrong, and stays on the sign-in page', async (page, harness) => {
    await page.goto(harness.url('/sign-in'));
    await page.getByLabel('Account (domain)').waitFor();
    await eventually(async () => assert.equal(await page.evaluate('document.activeElement.name'), 'domain'));
    await fillSignIn(harness, page, { name: harness.srv.root.name, password: 'Wrong-Passw0rd' });
    await page.getByRole('alert').filter({ hasText: 'The account, user name or password is wrong' }).waitFor();
    assert.match(page.url(), /\/console\/sign-in/);
    assert.equal(await storedSession(page), null);
    // Another try: the fields stay filled but the password, which has the focus.
    assert.equal(await page.getByLabel('User name').inputValue(), harness.srv.root.name);
    await eventually(async () => assert.equal(await page.evaluate('document.activeElement.name'), 'password'));
    assert.equal(await page.getByLabel('Password').inputValue(), '');
  });

  test('says so when the user is locked after too many wrong passwords, even with the right one', async (page, harness) => {
    const user = await harness.srv.newUser();
    const wrong = { auth: { identity: { methods: ['password'], password: { user: { id: user.id, password: 'Wrong-Passw0rd' } } } } };
    for (let i = 0; i < 5; i++) assert.equal((await harness.srv.api('POST', '/v3/auth/tokens', { body: wrong })).status, 401);
    await page.goto(harness.url('/sign-in'));
    await fillSignIn(harness, page, user);
    await page.getByRole('alert').filter({ hasText: 'This user is locked after too many wrong passwords' }).waitFor();
    assert.equal(await storedSession(page), null);
  });

  test('signs out by revoking the token: the API refuses it afterwards', async (page, harness) => {
    await signIn(harness, page);
    const token = (await storedSession(page))!.token;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    assert.equal(await storedSession(page), null);
    await eventually(async () => assert.equal((await harness.srv.api('GET', `/v1/${harness.srv.projectId}/workspaces`, { token })).status, 401));
  });

  test('sends a user whose token was revoked elsewhere back to sign in, saying the session expired, and returns after', async (page, harness) => {
    await signIn(harness, page);
    await page.goto(harness.url('/workspaces?sort_by=status'));
    await page.getByRole('rowheader', { name: 'default' }).waitFor();
    const token = (await storedSession(page))!.token;
    const revoked = await harness.srv.api('DELETE', '/v3/auth/tokens', { token, headers: { 'x-subject-token': token } });
    assert.equal(revoked.status, 204);
    await page.reload();
    await page.getByText('Your session has expired. Please sign in again.').waitFor();
    await fillSignIn(harness, page, harness.srv.root);
    await page.waitForURL(/\/console\/workspaces\?sort_by=status$/);
  });

  test('opens a deep link after signing in, and says so for a page that does not exist', async (page, harness) => {
    await page.goto(harness.url('/workspaces/?limit=20&order=desc'));
    await page.waitForURL(/\/console\/sign-in\?next=/);
    await fillSignIn(harness, page, harness.srv.root);
    await page.waitForURL(/\/console\/workspaces\/?\?limit=20&order=desc$/);
    assert.equal(await page.getByLabel('Rows per page').inputValue(), '20');
    await page.goto(harness.url('/no/such/page'));
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Go to workspaces' }).click();
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    assert.match(page.url(), /\/console\/workspaces$/);
  });

  test('treats a token past its expiry time as expired without asking the API', async (page, harness) => {
    await signIn(harness, page);
    await expireStoredSession(page);
    await page.reload();
    await page.getByText('Your session has expired. Please sign in again.').waitFor();
  });
});
