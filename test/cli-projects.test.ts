// The maws CLI (run in this process) with two regions: maws admin projects ls / create, and
// logging in to either region's project, or to a sub-project, by name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniq } from './helpers/fixtures.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { apiFailed, type CliHome, cliHome, failed, succeeded, tableRows } from './helpers/cli.js';

describe('maws CLI: regions and projects', () => {
  let srv: TestServer;
  let home: CliHome; // root, AK/SK, profile "default", project cn-east-3
  let domainId: string;
  let eastId: string;

  before(async () => {
    srv = await startTestServer({ MAWS_REGIONS: 'cn-test-1,cn-east-3' });
    home = await cliHome();
    succeeded(await home.run(['login', '--endpoint', srv.url, '--ak', srv.root.accessKey, '--sk', srv.root.secretKey, '--project', 'cn-east-3']));
    const projects = JSON.parse(succeeded(await home.run(['admin', 'projects', 'ls', '--json']))).projects;
    domainId = projects[0].domain_id;
    eastId = projects.find((p: { name: string }) => p.name === 'cn-east-3').id;
  });
  after(async () => {
    await home?.cleanup();
    await srv?.close();
  });

  test('admin projects ls: one project per region, each a child of the account', async () => {
    const rows = tableRows(succeeded(await home.run(['admin', 'project', 'list'])));
    assert.deepEqual(
      rows.map((r) => [r.ID, r.NAME, r.REGION, r.PARENT]),
      [
        [eastId, 'cn-east-3', 'cn-east-3', domainId],
        [srv.projectId, 'cn-test-1', 'cn-test-1', domainId],
      ],
    );
  });

  test('admin projects create: a sub-project of a region, listed under it, with its own workspace "0" to log in to', async () => {
    const name = `cn-east-3_${uniq('team')}`;
    const created = succeeded(await home.run(['admin', 'projects', 'create', name, '--description', 'Team A']));
    const id = /^Created project (\S+) \(id ([0-9a-f]{32})\)\.$/m.exec(created);
    assert.equal(id?.[1], name, created);
    const row = tableRows(succeeded(await home.run(['admin', 'projects', 'ls']))).find((r) => r.NAME === name);
    assert.deepEqual(row, { ID: id![2], NAME: name, REGION: 'cn-east-3', PARENT: eastId, DESCRIPTION: 'Team A' });

    const json = JSON.parse(succeeded(await home.run(['admin', 'projects', 'create', `cn-test-1_${uniq('json')}`, '--json'])));
    assert.equal(json.project.parent_id, srv.projectId);
    assert.equal(json.project.description, '');

    // a token profile scoped to the sub-project by name
    const sub = await cliHome();
    after(() => sub.cleanup());
    succeeded(
      await sub.run(['login', '--endpoint', srv.url, '--user', srv.root.name, '--domain', srv.domainName, '--project', name, '--password-stdin'], {
        input: `${srv.root.password}\n`,
      }),
    );
    assert.deepEqual(JSON.parse(succeeded(await sub.run(['ws', 'ls', '--json']))).workspaces.map((w: { id: string }) => w.id), ['0']);
  });

  test('admin projects create: refusals are the API\'s', async () => {
    apiFailed(await home.run(['admin', 'projects', 'create', 'cn-west-9_team']), 'IAM.0001', /<region>_<name>/);
    apiFailed(await home.run(['admin', 'projects', 'create', 'cn-east-3_bad name']), 'IAM.0001');
    const name = `cn-east-3_${uniq('once')}`;
    succeeded(await home.run(['admin', 'projects', 'create', name]));
    apiFailed(await home.run(['admin', 'projects', 'create', name]), 'IAM.0004', /already exists/);

    const user = await srv.newUser();
    const other = await cliHome();
    after(() => other.cleanup());
    succeeded(await other.run(['login', '--endpoint', srv.url, '--ak', user.accessKey, '--sk', user.secretKey, '--project', 'cn-test-1']));
    apiFailed(await other.run(['admin', 'projects', 'create', `cn-test-1_${uniq('x')}`]), 'IAM.0002');
    // any user may list them
    assert.ok(tableRows(succeeded(await other.run(['admin', 'projects', 'ls']))).length >= 2);
  });

  test('login --project picks a region: each profile reaches its own region\'s workspaces', async () => {
    const h = await cliHome();
    after(() => h.cleanup());
    // with several projects an AK/SK login must name one
    failed(await h.run(['login', '--endpoint', srv.url, '--ak', srv.root.accessKey, '--sk', srv.root.secretKey]), /choose one with --project NAME/);
    const password = { input: `${srv.root.password}\n` };
    const asRoot = ['--endpoint', srv.url, '--user', srv.root.name, '--domain', srv.domainName, '--password-stdin'];
    assert.match(succeeded(await h.run(['login', ...asRoot, '--project', 'cn-east-3'], password)), new RegExp(`project cn-east-3 \\(${eastId}\\)`));
    succeeded(await h.run(['login', '--profile', 'test1', ...asRoot, '--project', 'cn-test-1'], password));
    const name = uniq('eastonly');
    const created = JSON.parse(succeeded(await h.run(['ws', 'create', name, '--json', '--profile', 'default'])));
    const inEast = JSON.parse(succeeded(await h.run(['ws', 'ls', '--name', name, '--json', '--profile', 'default'])));
    assert.deepEqual(inEast.workspaces.map((w: { id: string }) => w.id), [created.id]);
    const inTest = JSON.parse(succeeded(await h.run(['ws', 'ls', '--name', name, '--json', '--profile', 'test1'])));
    assert.equal(inTest.total_count, 0);
    // the AK/SK profile of cn-east-3 sees it too: the key is the account's, the project the profile's
    assert.equal(JSON.parse(succeeded(await home.run(['ws', 'ls', '--name', name, '--json']))).total_count, 1);
  });
});
