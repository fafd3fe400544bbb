// The README's maws walkthrough, run top to bottom as written (placeholders filled in) against a
// fresh server: every command must succeed in that order and with that syntax.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './helpers/server.js';
import { type CliHome, cliHome, succeeded } from './helpers/cli.js';

/** The maws lines of the sh block under "### The `maws` CLI", without comments. */
function walkthrough(readme: string): string[][] {
  const section = readme.slice(readme.indexOf('### The `maws` CLI'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the README has a maws sh block');
  return block.split('\n').filter((l) => l.startsWith('maws ')).map(shellWords);
}

/** Words of one shell line: quotes grouped, a word starting with # ends the line. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m[3]?.startsWith('#')) break;
    // one plain command a line: no ; | & $ ` or redirections (a <placeholder> is fine)
    assert.ok(!/[;|&<>$`]/.test((m[3] ?? '').replace(/^<\w+>$/, '')), `a plain command line: ${line}`);
    words.push(m[1] ?? m[2] ?? m[3]!);
  }
  return words.slice(1);
}

describe('README: the maws walkthrough', () => {
  let srv: TestServer;
  let home: CliHome;
  before(async () => {
    srv = await startTestServer();
    home = await cliHome();
  });
  after(async () => {
    await home?.cleanup();
    await srv?.close();
  });

  test('works when followed top to bottom', async () => {
    const commands = walkthrough(await readFile('README.md', 'utf8'));
    assert.ok(commands.length >= 8, `the walkthrough has its commands: ${JSON.stringify(commands)}`);
    // the README's values for a first start with the defaults, and this test server's
    const values: Record<string, string> = {
      'http://127.0.0.1:8080': srv.url,
      '<AK>': srv.root.accessKey,
      '<SK>': srv.root.secretKey,
      '<password>': 'Alice-Passw0rd',
    };
    const afterFlag: Record<string, string> = { '--user admin': srv.root.name, '--domain admin': srv.domainName, '--project cn-north-4': srv.projectName };
    let workspaceId: string | undefined;
    const ran: string[] = [];
    for (const words of commands) {
      if (words[0] === 'serve') continue; // the server itself: this test has its own
      const args = words.map((w, i) => {
        if (w === '<id>') {
          assert.ok(workspaceId, `a workspace was created before: ${words.join(' ')}`);
          return workspaceId;
        }
        return afterFlag[`${words[i - 1]} ${w}`] ?? values[w] ?? w;
      });
      const out = succeeded(await home.run(args, { input: args.includes('--password-stdin') ? srv.root.password : undefined }));
      workspaceId ??= /^Created workspace ([0-9a-f]{32})\.$/m.exec(out)?.[1];
      ran.push(words.slice(0, 2).join(' '));
    }
    assert.deepEqual(ran, ['login --endpoint', 'login --endpoint', 'admin users', 'admin keys', 'ws create', 'ws ls', 'ws update', 'quotas set', 'ws rm', 'traces ls']);
  });
});
