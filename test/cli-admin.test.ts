// The maws CLI (run in this process): admin users / keys / enterprise projects, a second profile
// signing with a key the CLI created, and rm --wait ending in DELETE_FAILED or a timeout (on the
// CLI's own clock, which moves only while it waits).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type HookServer, startHookServer, uniq } from './helpers/fixtures.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { apiFailed, type CliHome, cliHome, failed, succeeded, tableRows, usageFailed } from './helpers/cli.js';

describe('maws CLI: admin commands', { concurrency: true }, () => {
  let srv: TestServer;
  let home: CliHome; // root, AK/SK, profile "default"

  before(async () => {
    srv = await startTestServer();
    home = await cliHome();
    succeeded(await home.run(['login', '--endpoint', srv.url, '--ak', srv.root.accessKey, '--sk', srv.root.secretKey]));
  });
  after(async () => {
    await home?.cleanup();
    await srv?.close();
  });

  test('users and keys: create a user and a key for it, log in with the key as a second profile, disable the key', async () => {
    // its own config: logging in makes "second" the current profile
    const home = await cliHome();
    after(() => home.cleanup());
    succeeded(await home.run(['login', '--endpoint', srv.url, '--ak', srv.root.accessKey, '--sk', srv.root.secretKey]));
    const name = uniq('cliuser').replace('_', '-');
    const created = succeeded(await home.run(['admin', 'users', 'create', name, '--password', 'Cli-Passw0rd', '--description', 'from the CLI']));
    const userId = /\(id ([0-9a-f]{32})\)/.exec(created)?.[1];
    assert.ok(userId, created);
    const users = tableRows(succeeded(await home.run(['admin', 'users', 'ls'])));
    assert.deepEqual(users.find((u) => u.NAME === name), {
      ID: userId,
      NAME: name,
      ENABLED: 'yes',
      ROOT: 'no',
      CREATED: users.find((u) => u.NAME === name)?.CREATED,
      DESCRIPTION: 'from the CLI',
    });

    // the secret is printed once, clearly
    const key = succeeded(await home.run(['admin', 'keys', 'create', '--user', name, '--description', 'cli key']));
    const ak = /access key: (\S+)/.exec(key)?.[1];
    const sk = /secret key: (\S+)/.exec(key)?.[1];
    assert.ok(ak && sk, key);
    assert.match(key, /shown only this once/);
    const listed = tableRows(succeeded(await home.run(['admin', 'keys', 'ls', '--user', name])));
    assert.deepEqual(
      listed.map((k) => [k['ACCESS KEY'], k.USER, k.STATUS, k.DESCRIPTION]),
      [[ak, name, 'active', 'cli key']],
    );
    assert.ok(!JSON.stringify(listed).includes(sk), 'listing never shows a secret');

    // a second profile signing with the new key; the current profile stays usable with --profile
    const login = succeeded(await home.run(['login', '--profile', 'second', '--endpoint', srv.url, '--ak', ak, '--sk', sk]));
    assert.match(login, new RegExp(`access key ${ak} \\(user ${name}\\)`));
    const [asUser, ownKeys, notRoot] = await Promise.all([
      home.run(['ws', 'ls', '--json', '--profile', 'second']),
      home.run(['admin', 'keys', 'ls', '--profile', 'second', '--json']),
      home.run(['admin', 'users', 'ls', '--profile', 'second']),
    ]);
    assert.ok(JSON.parse(succeeded(asUser)).workspaces.some((w: any) => w.id === '0'));
    assert.deepEqual(JSON.parse(succeeded(ownKeys)).credentials.map((c: any) => c.access), [ak]);
    apiFailed(notRoot, 'IAM.0002');

    succeeded(await home.run(['profiles', 'use', 'default']));
    assert.match(succeeded(await home.run(['admin', 'keys', 'disable', ak])), new RegExp(`${ak} is inactive`));
    apiFailed(await home.run(['ws', 'ls', '--profile', 'second']), 'APIGW.0301', /AK is invalid or disabled/);
    assert.match(succeeded(await home.run(['admin', 'keys', 'enable', ak])), /is active/);
    succeeded(await home.run(['ws', 'ls', '--profile', 'second']));

    // users by name: disable (its key stops working), enable, delete
    assert.match(succeeded(await home.run(['admin', 'users', 'disable', name])), /is disabled/);
    apiFailed(await home.run(['ws', 'ls', '--profile', 'second']), 'APIGW.0301');
    assert.match(succeeded(await home.run(['admin', 'users', 'enable', userId])), /is enabled/);
    succeeded(await home.run(['admin', 'keys', 'rm', ak]));
    apiFailed(await home.run(['ws', 'ls', '--profile', 'second']), 'APIGW.0301');
    succeeded(await home.run(['admin', 'users', 'rm', name]));
    failed(await home.run(['admin', 'users', 'rm', name]), new RegExp(`no user named "${name}"`));
  });

  test('keys create without --user makes a key for the profile\'s own user', async () => {
    const user = await srv.newUser();
    const h = await cliHome();
    try {
      succeeded(await h.run(['login', '--endpoint', srv.url, '--ak', user.accessKey, '--sk', user.secretKey]));
      // the owner is named by its name, then its id, whether given by --user (an id) or not
      for (const extra of [[], ['--user', user.id]]) {
        const shown = succeeded(await h.run(['admin', 'keys', 'create', ...extra]));
        assert.match(shown, new RegExp(`^Created an access key for user ${user.name} \\(${user.id}\\):$`, 'm'));
        succeeded(await h.run(['admin', 'keys', 'rm', /access key: (\S+)/.exec(shown)![1]!]));
      }
      const created = JSON.parse(succeeded(await h.run(['admin', 'keys', 'create', '--json'])));
      assert.equal(created.credential.user_id, user.id);
      assert.equal(typeof created.credential.secret, 'string');
      // a third key is over the limit of two
      apiFailed(await h.run(['admin', 'keys', 'create']), 'IAM.0004');
    } finally {
      await h.cleanup();
    }
  });

  test('enterprise projects: create, ls, update (name kept), disable/enable; a workspace in one', async () => {
    const name = uniq('ep');
    const created = succeeded(await home.run(['admin', 'eps', 'create', name, '--description', 'first']));
    const id = /\(id ([0-9a-f-]{36})\)/.exec(created)?.[1];
    assert.ok(id, created);
    succeeded(await home.run(['admin', 'eps', 'update', id, '--description', 'second']));
    const listed = tableRows(succeeded(await home.run(['admin', 'eps', 'ls', '--name', name])));
    assert.deepEqual(listed.map((e) => [e.ID, e.NAME, e.STATUS, e.DESCRIPTION]), [[id, name, 'enabled', 'second']]);

    succeeded(await home.run(['admin', 'eps', 'disable', id]));
    const json = JSON.parse(succeeded(await home.run(['admin', 'eps', 'ls', '--name', name, '--json'])));
    assert.equal(json.enterprise_projects[0].status, 2);
    apiFailed(await home.run(['ws', 'create', uniq('cliep'), '--ep', id]), 'ModelArts.0104', /disabled/);
    succeeded(await home.run(['admin', 'eps', 'enable', id]));
    const ws = JSON.parse(succeeded(await home.run(['ws', 'create', uniq('cliep'), '--ep', id, '--json'])));
    assert.equal(ws.enterprise_project_id, id);
    const inEp = JSON.parse(succeeded(await home.run(['ws', 'ls', '--ep', id, '--json'])));
    assert.deepEqual(inEp.workspaces.map((w: any) => w.id), [ws.id]);
    usageFailed(await home.run(['admin', 'eps', 'update', id]), /nothing to update/);
  });
});

// one deletion worker runs the jobs one at a time: the held-up job must come last
describe('maws CLI: workspace rm --wait when deletion fails or takes too long', { concurrency: false }, () => {
  let srv: TestServer;
  let hook: HookServer;
  let home: CliHome;
  const release: (() => void)[] = [];

  before(async () => {
    hook = await startHookServer();
    hook.handle = (call) => {
      const name = String(call.body?.workspace_name ?? '');
      if (name.startsWith('fail')) return 500;
      if (name.startsWith('slow')) return new Promise((resolve) => release.push(() => resolve(200)));
      return 200;
    };
    srv = await startTestServer({ MAWS_DELETE_HOOK_URL: hook.url, MAWS_JOB_MAX_ATTEMPTS: '1' });
    home = await cliHome();
    succeeded(await home.run(['login', '--endpoint', srv.url, '--ak', srv.root.accessKey, '--sk', srv.root.secretKey]));
  });
  after(async () => {
    release.forEach((r) => r());
    await home?.cleanup();
    await srv?.close();
    await hook?.close();
  });

  const create = async (name: string) => {
    const res = await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token: await srv.rootToken(), body: { name } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.id as string;
  };

  test('DELETE_FAILED: status changes printed, then status_info, exit 1', async () => {
    const id = await create(uniq('fail'));
    const res = await home.run(['ws', 'rm', id, '--wait']);
    failed(res, new RegExp(`^maws: deleting workspace ${id} failed: .*500`, 'm'));
    assert.match(res.stdout, new RegExp(`${id}: DELETING\\n${id}: DELETE_FAILED\\n`));
  });

  test('--timeout: gives up while the workspace is still DELETING, exit 1', async () => {
    const id = await create(uniq('slow'));
    const res = await home.run(['ws', 'rm', id, '--wait', '--timeout', '1']);
    failed(res, new RegExp(`^maws: gave up after 1 s: workspace ${id} is still DELETING`, 'm'));
    assert.match(res.stdout, new RegExp(`^${id}: DELETING\\n$`));
    // rm --wait again on a workspace being deleted follows it
    const again = await home.run(['ws', 'rm', id, '--wait', '--timeout', '1', '--json']);
    assert.equal(again.code, 1, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), { workspace_id: id }, 'with --json, stdout is the API\'s answer and progress goes to stderr');
    // progress lines, then the error as JSON on the last line
    const [progress, error, end] = again.stderr.split('\n');
    assert.equal(progress, `${id}: DELETING`);
    assert.deepEqual(JSON.parse(error!), { error: 'failure', message: `gave up after 1 s: workspace ${id} is still DELETING` });
    assert.equal(end, '');
  });
});
