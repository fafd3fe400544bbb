// maws admin accounts (run in this process): the operator's commands, with MAWS_OPERATOR_TOKEN and
// MAWS_ENDPOINT in the CLI's environment; the secrets printed once by create log in and sign.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniq } from './helpers/fixtures.js';
import { apiFailed, type CliHome, cliHome, failed, succeeded, tableRows, usageFailed } from './helpers/cli.js';
import { OPERATOR_TOKEN, startTestServer, type TestServer } from './helpers/server.js';

describe('maws admin accounts', { concurrency: true }, () => {
  let srv: TestServer;
  let home: CliHome;
  let env: Record<string, string>;

  before(async () => {
    srv = await startTestServer();
    home = await cliHome();
    env = { MAWS_OPERATOR_TOKEN: OPERATOR_TOKEN, MAWS_ENDPOINT: srv.url };
  });
  after(async () => {
    await home?.cleanup();
    await srv?.close();
  });

  const run = (args: string[], input?: string) => home.run(args, { env, input });

  test('create prints the root secrets once, and they work; ls, show, disable, enable, rm', async () => {
    const name = uniq('acct').replace('_', '-');
    const created = succeeded(await run(['admin', 'accounts', 'create', name, '--description', 'from the CLI']));
    const id = /^Created account \S+ \(id ([0-9a-f]{32})\)/m.exec(created)?.[1];
    const password = /root password:\s+(\S+)/.exec(created)?.[1];
    const ak = /root access key:\s+(\S+)/.exec(created)?.[1];
    const sk = /root secret key:\s+(\S+)/.exec(created)?.[1];
    const projectId = /project: cn-test-1 \(id ([0-9a-f]{32})\)/.exec(created)?.[1];
    assert.ok(id && password && ak && sk && projectId, created);
    assert.match(created, /shown only this once/);

    // the root user's AK/SK profile and a token profile both work
    const user = await cliHome();
    after(() => user.cleanup());
    succeeded(await user.run(['login', '--endpoint', srv.url, '--ak', ak, '--sk', sk]));
    assert.equal(JSON.parse(succeeded(await user.run(['ws', 'ls', '--json']))).workspaces[0].id, '0');
    succeeded(
      await user.run(['login', '--profile', 'tok', '--endpoint', srv.url, '--user', name, '--domain', name, '--project', 'cn-test-1', '--password-stdin'], {
        input: `${password}\n`,
      }),
    );

    const listed = tableRows(succeeded(await run(['admin', 'accounts', 'ls'])));
    const row = listed.find((r) => r.NAME === name);
    assert.deepEqual(
      row && [row.ID, row.STATUS, row.PROJECTS, row.USERS, row.WORKSPACES, row.DESCRIPTION],
      [id, 'enabled', 'cn-test-1', '1', '1', 'from the CLI'],
    );
    assert.ok(!JSON.stringify(listed).includes(sk), 'never shown again');
    const shown = succeeded(await run(['admin', 'accounts', 'show', name]));
    assert.match(shown, new RegExp(`^ID:\\s+${id}$`, 'm'));
    assert.match(shown, new RegExp(`${projectId}\\s+cn-test-1`));
    assert.equal(JSON.parse(succeeded(await run(['admin', 'accounts', 'show', id, '--json']))).account.name, name);

    assert.match(succeeded(await run(['admin', 'accounts', 'disable', name])), /is disabled\.$/m);
    apiFailed(await user.run(['ws', 'ls']), 'APIGW.0301');
    apiFailed(await user.run(['ws', 'ls', '--profile', 'tok']), 'APIGW.0301');
    assert.match(succeeded(await run(['admin', 'accounts', 'enable', id])), /is enabled\.$/m);
    succeeded(await user.run(['ws', 'ls', '--profile', 'tok']));

    usageFailed(await run(['admin', 'accounts', 'rm', name]), /add --yes/);
    assert.match(succeeded(await run(['admin', 'accounts', 'rm', name, '--yes'])), new RegExp(`Deleted account ${name} \\(id ${id}\\) with its 1 user\\(s\\) and 1 workspace\\(s\\)`));
    apiFailed(await run(['admin', 'accounts', 'show', name]), 'MAWS.0004');
    apiFailed(await user.run(['ws', 'ls']), 'APIGW.0301');
  });

  test('create with --password-stdin prints no password; --json answers the API body', async () => {
    const name = uniq('acct').replace('_', '-');
    const created = JSON.parse(succeeded(await run(['admin', 'accounts', 'create', name, '--password-stdin', '--json'], 'Piped-Passw0rd\n')));
    assert.equal(created.account.name, name);
    assert.equal(created.password, undefined);
    assert.equal(typeof created.secret_key, 'string');
    const again = succeeded(await run(['admin', 'accounts', 'create', uniq('acct').replace('_', '-'), '--password-stdin'], 'Piped-Passw0rd\n'));
    assert.doesNotMatch(again, /root password/);
    assert.match(again, /The secret key is shown only this once/);
    apiFailed(await run(['admin', 'accounts', 'create', name]), 'MAWS.0009');
    apiFailed(await run(['admin', 'accounts', 'create', uniq('acct'), '--password-stdin'], 'weakweakweak\n'), 'MAWS.0001', /password/);
    const ls = JSON.parse(succeeded(await run(['admin', 'accounts', 'list', '--json'])));
    assert.ok(ls.accounts.some((a: any) => a.name === name));
  });

  test('without the operator token, or with a wrong one, it says what to do', async () => {
    failed(await home.run(['admin', 'accounts', 'ls'], { env: { MAWS_ENDPOINT: srv.url } }), /MAWS_OPERATOR_TOKEN/);
    const refused = await home.run(['admin', 'accounts', 'ls'], { env: { MAWS_ENDPOINT: srv.url, MAWS_OPERATOR_TOKEN: 'wrong' } });
    apiFailed(refused, 'APIGW.0301', /check MAWS_OPERATOR_TOKEN/);
    usageFailed(await run(['admin', 'accounts', 'show']), /missing ACCOUNT/);
    apiFailed(await run(['admin', 'accounts', 'disable', 'nobody-here']), 'MAWS.0004');
  });
});
