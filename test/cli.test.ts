// The maws CLI (run in this process) against a real server: sessions and profiles, workspaces,
// quotas, usage errors, unreachable servers and expired logins, and once as a real process.
// Admin commands and deletion failures are in cli-admin.test.ts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addProject, insertExpiredToken, uniq } from './helpers/fixtures.js';
import { cleanupFor } from './helpers/process.js';
import { startTestServer, type TestServer, type TestUser } from './helpers/server.js';
import {
  apiFailed,
  assertNoStack,
  type CliHome,
  type CliResult,
  cliHome,
  closedPort,
  failed,
  runMawsProcess,
  succeeded,
  tableRows,
  usageFailed,
} from './helpers/cli.js';

describe('maws CLI: sessions, workspaces, quotas, errors', { concurrency: true }, () => {
  let srv: TestServer;
  let home: CliHome; // logged in as root with AK/SK
  let firstLogin: CliResult;
  let member: TestUser;
  let secondProject: { id: string; name: string };
  const homes: CliHome[] = [];
  const newHome = async () => {
    const h = await cliHome();
    homes.push(h);
    return h;
  };
  const akLogin = (h: CliHome, ...extra: string[]) =>
    h.run(['login', '--endpoint', srv.url, '--ak', srv.root.accessKey, '--sk', srv.root.secretKey, ...extra]);

  before(async () => {
    srv = await startTestServer();
    home = await newHome();
    // while the account has a single project, AK/SK login needs no project
    firstLogin = await akLogin(home);
    secondProject = await addProject(srv);
    member = await srv.newUser();
  });
  after(async () => {
    await Promise.all(homes.map((h) => h.cleanup()));
    await srv?.close();
  });

  test('login with AK/SK verifies the keys, picks the only project and saves a 0600 profile without echoing secrets', async () => {
    const out = succeeded(firstLogin);
    assert.match(out, new RegExp(`project ${srv.projectName} \\(${srv.projectId}\\)`));
    assert.match(out, /Profile "default" saved/);
    assert.doesNotMatch(out, new RegExp(srv.root.secretKey));
    const mode = (await stat(home.config)).mode & 0o777;
    assert.equal(mode, 0o600);
    const config = JSON.parse(await readFile(home.config, 'utf8'));
    assert.equal(config.current, 'default');
    assert.equal(config.profiles.default.auth, 'aksk');
    assert.equal(config.profiles.default.projectId, srv.projectId);
    assert.equal(config.profiles.default.endpoint, srv.url);

    const listed = succeeded(await home.run(['profiles']));
    assert.match(listed, /^\*\s+default\s+/m);
    assert.match(listed, new RegExp(srv.root.accessKey));
    assert.doesNotMatch(listed, new RegExp(srv.root.secretKey));
    const json = JSON.parse(succeeded(await home.run(['profiles', '--json'])));
    assert.equal(json.current, 'default');
    assert.doesNotMatch(JSON.stringify(json), new RegExp(srv.root.secretKey));
  });

  test('login with AK/SK and several projects: an error listing them, or the project named by --project / --project-id', async () => {
    const h = await newHome();
    const [none, byName, byId, unknown] = await Promise.all([
      akLogin(h, '--profile', 'none'),
      akLogin(h, '--profile', 'byname', '--project', secondProject.name),
      akLogin(h, '--profile', 'byid', '--project-id', srv.projectId),
      akLogin(h, '--profile', 'unknown', '--project', 'no-such-project'),
    ]);
    failed(none, /the account has 2 projects, choose one with --project NAME or --project-id ID/);
    assert.match(none.stderr, new RegExp(`${srv.projectName} \\(${srv.projectId}\\)`));
    assert.match(none.stderr, new RegExp(`${secondProject.name} \\(${secondProject.id}\\)`));
    failed(unknown, /no project named "no-such-project"/);
    assert.match(succeeded(byName), new RegExp(`project ${secondProject.name} \\(${secondProject.id}\\)`));
    assert.match(succeeded(byId), new RegExp(`project ${srv.projectName} \\(${srv.projectId}\\)`));
    const config = JSON.parse(await readFile(h.config, 'utf8'));
    assert.deepEqual(Object.keys(config.profiles).sort(), ['byid', 'byname']);
    assert.equal(config.profiles.byname.projectId, secondProject.id);
  });

  test('password login (--password and --password-stdin), profiles, --profile, profiles use, logout', async () => {
    const h = await newHome();
    const base = ['login', '--endpoint', srv.url, '--user', srv.root.name, '--domain', srv.domainName, '--project', srv.projectName];
    const [stdinLogin, argLogin, badPassword] = await Promise.all([
      h.run([...base, '--profile', 'piped', '--password-stdin'], { input: `${srv.root.password}\n` }),
      h.run([...base, '--profile', 'inline', '--password', srv.root.password]),
      h.run([...base, '--profile', 'bad', '--password', 'Wrong-Passw0rd']),
    ]);
    assert.match(succeeded(stdinLogin), /Logged in to .* as root .*The token is valid until \d{4}-\d\d-\d\dT/s);
    succeeded(argLogin);
    apiFailed(badPassword, 'APIGW.0301', /password is wrong/);

    const config = JSON.parse(await readFile(h.config, 'utf8'));
    assert.deepEqual(Object.keys(config.profiles).sort(), ['inline', 'piped']);
    for (const p of Object.values<any>(config.profiles)) {
      assert.equal(p.auth, 'token');
      assert.equal(p.projectId, srv.projectId);
      assert.ok(Date.parse(p.expiresAt) > Date.now());
      assert.ok(!JSON.stringify(p).includes(srv.root.password), 'the password is never stored');
    }

    // the token profile works; --profile selects a profile without making it current
    const ws = JSON.parse(succeeded(await h.run(['ws', 'ls', '--json', '--profile', 'piped'])));
    assert.ok(ws.workspaces.some((w: any) => w.id === '0'));
    succeeded(await h.run(['profiles', 'use', 'inline']));
    const listed = succeeded(await h.run(['profiles']));
    assert.match(listed, /^\*\s+inline\s+.*token\s+root@/m);
    assert.match(listed, /^\s+piped\s+/m);
    assert.doesNotMatch(listed, /MAWS[A-Za-z0-9_-]{20,}/, 'tokens are never printed');

    const inlineToken: string = JSON.parse(await readFile(h.config, 'utf8')).profiles.inline.token;
    assert.match(succeeded(await h.run(['logout'])), /Removed profile "inline" and revoked its token/);
    assert.equal((await srv.api('GET', `/v1/${srv.projectId}/workspaces`, { token: inlineToken })).status, 401);
    failed(await h.run(['ws', 'ls']), /^maws: not logged in: run maws login$/m);
    succeeded(await h.run(['ws', 'ls', '--profile', 'piped']));
    succeeded(await h.run(['logout', '--profile', 'piped']));
    assert.deepEqual(JSON.parse(await readFile(h.config, 'utf8')).profiles, {});
  });

  test('workspace create / ls / show / update (grants kept, replaced, cleared) / rm --wait', async () => {
    const name = uniq('cli');
    const created = JSON.parse(
      succeeded(await home.run(['ws', 'create', name, '--description', 'made by the CLI', '--auth-type', 'internal', '--grant', member.name, '--json'])),
    );
    assert.equal(created.name, name);
    assert.equal(created.auth_type, 'internal');
    assert.deepEqual(created.grants, [{ user_id: member.id, user_name: member.name, user_type: 'IAM' }]);
    const id: string = created.id;

    // ls: a table by default, the API's JSON with --json, filters passed through
    const [table, json, filtered, paged] = await Promise.all([
      home.run(['workspace', 'ls']),
      home.run(['ws', 'ls', '--json', '--name', name]),
      home.run(['ws', 'ls', '--name', name, '--sort-by', 'update_time', '--order', 'asc']),
      home.run(['ws', 'ls', '--limit', '1', '--page', '1']),
    ]);
    const rows = tableRows(succeeded(table));
    const row = rows.find((r) => r.ID === id);
    assert.deepEqual(
      { name: row?.NAME, status: row?.STATUS, auth: row?.AUTH, owner: row?.OWNER },
      { name, status: 'NORMAL', auth: 'internal', owner: srv.root.name },
    );
    assert.match(row?.UPDATED ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(rows.some((r) => r.ID === '0' && r.NAME === 'default'));
    const body = JSON.parse(succeeded(json));
    assert.equal(body.total_count, 1);
    assert.equal(body.workspaces[0].id, id);
    assert.deepEqual(tableRows(succeeded(filtered)).map((r) => r.ID), [id]);
    assert.equal(paged.code, 0, paged.stderr);
    assert.equal(tableRows(paged.stdout).length, 1);
    assert.match(paged.stderr, /1 shown of \d+ workspaces \(page 1\); next page: --page 2/);

    const shown = succeeded(await home.run(['ws', 'show', id]));
    assert.match(shown, new RegExp(`^Name:\\s+${name}$`, 'm'));
    assert.match(shown, /^Description:\s+made by the CLI$/m);
    assert.match(shown, new RegExp(`${member.id}\\s+${member.name}\\s+IAM`));

    const grantsOf = async () => (await srv.api('GET', `/v1/${srv.projectId}/workspaces/${id}`, { token: await srv.rootToken() })).body.grants;

    // an update without --grant keeps the grants (the API alone would clear them)
    const updated = succeeded(await home.run(['ws', 'update', id, '--description', 'changed']));
    assert.match(updated, /^Description:\s+changed$/m);
    assert.deepEqual(await grantsOf(), [{ user_id: member.id, user_name: member.name, user_type: 'IAM' }]);
    const renamed = `${name}_r`;
    assert.deepEqual(JSON.parse(succeeded(await home.run(['ws', 'update', id, '--name', renamed, '--json']))), { workspace_id: id });
    assert.equal((await grantsOf()).length, 1);

    // --grant replaces the list (names, ids and FEDERATE:NAME)
    succeeded(await home.run(['ws', 'update', id, '--grant', member.id, '--grant', 'federate:fed-user']));
    assert.deepEqual(await grantsOf(), [
      { user_id: member.id, user_name: member.name, user_type: 'IAM' },
      { user_id: '', user_name: 'fed-user', user_type: 'FEDERATE' },
    ]);
    succeeded(await home.run(['ws', 'update', id, '--description', 'again']));
    assert.equal((await grantsOf()).length, 2, 'FEDERATE grants survive too');

    assert.match(succeeded(await home.run(['ws', 'update', id, '--clear-grants'])), /^Grants:\s+none$/m);
    assert.deepEqual(await grantsOf(), []);

    const removed = succeeded(await home.run(['ws', 'rm', id, '--wait']));
    assert.match(removed, new RegExp(`${id}: DELETING\\n`));
    assert.match(removed, new RegExp(`${id}: deleted\\n$`));
    apiFailed(await home.run(['ws', 'show', id]), 'ModelArts.7005');
  });

  test('workspace commands: argument problems found before or by the server', async () => {
    const [dupGrantFlags, grantPublic, defaultRename, noSuch] = await Promise.all([
      home.run(['ws', 'update', '0', '--grant', 'x', '--clear-grants']),
      home.run(['ws', 'create', uniq('cli'), '--auth-type', 'public', '--grant', member.name]),
      home.run(['ws', 'update', '0', '--name', 'renamed0']),
      home.run(['ws', 'show', 'ffffffffffffffffffffffffffffffff']),
    ]);
    usageFailed(dupGrantFlags, /--grant or --clear-grants, not both/);
    usageFailed(grantPublic, /--grant applies only to --auth-type internal/);
    apiFailed(defaultRename, 'ModelArts.3566');
    apiFailed(noSuch, 'ModelArts.7005', /not existed/);
  });

  test('quotas get / set; a value the catalog refuses exits 1 with ModelArts.0104', async () => {
    const token = await srv.rootToken();
    const ws = (await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name: uniq('cliq') } })).body;
    const before = JSON.parse(succeeded(await home.run(['quotas', 'get', ws.id, '--json'])));
    const item = before.quotas.find((q: any) => q.resource === 'exemlProject.gpu_duration');
    assert.ok(item);
    const table = tableRows(succeeded(await home.run(['quotas', 'get', ws.id])));
    assert.equal(table.find((r) => r.RESOURCE === 'exemlProject.gpu_duration')?.QUOTA, String(item.quota));
    assert.ok(table.some((r) => r.QUOTA === 'unlimited'), 'unlimited items say so');

    const set = succeeded(await home.run(['quotas', 'set', ws.id, 'exemlProject.gpu_duration=120']));
    assert.match(set, /^Updated 1 quota of workspace/);
    assert.match(set, /exemlProject\.gpu_duration\s+\S.*\s+120\s+/);
    const after = JSON.parse(succeeded(await home.run(['quotas', 'get', ws.id, '--json'])));
    assert.equal(after.quotas.find((q: any) => q.resource === 'exemlProject.gpu_duration').quota, 120);

    const [tooBig, notNumber, unknownResource, noPair] = await Promise.all([
      home.run(['quotas', 'set', ws.id, `exemlProject.gpu_duration=${item.max_quota + 1}`]),
      home.run(['quotas', 'set', ws.id, 'exemlProject.gpu_duration=lots']),
      home.run(['quotas', 'set', ws.id, 'no.such_resource=1']),
      home.run(['quotas', 'set', ws.id, 'exemlProject.gpu_duration']),
    ]);
    apiFailed(tooBig, 'ModelArts.0104');
    apiFailed(notNumber, 'ModelArts.0104');
    apiFailed(unknownResource, 'ModelArts.0104');
    usageFailed(noPair, /expected RESOURCE=QUOTA/);
  });

  test('usage errors exit 2 with a usage line', async () => {
    const fresh = await newHome();
    const cases: [string[], RegExp][] = [
      [[], /missing command/],
      [['nope'], /unknown command "nope"/],
      [['ws'], /needs a subcommand/],
      [['ws', 'frobnicate'], /unknown command "workspace frobnicate"/],
      [['ws', 'create'], /missing NAME/],
      [['ws', 'show', 'a', 'b'], /unexpected argument "b"/],
      [['ws', 'ls', '--bogus'], /unknown option '--bogus'/],
      [['ws', 'ls', '--limit', 'ten'], /--limit must be a whole number/],
      [['ws', 'ls', '--sort-by', 'size'], /--sort-by must be one of name, update_time, status/],
      [['ws', 'update', '0'], /nothing to update/],
      [['ws', 'rm', '0', '--timeout', '5'], /--timeout goes with --wait/],
      [['quotas', 'set', '0'], /missing RESOURCE=QUOTA/],
      [['login', '--ak', 'X', '--sk', 'Y'], /--endpoint is required/],
      [['login', '--endpoint', 'ftp://example.com', '--ak', 'X', '--sk', 'Y'], /--endpoint must be an http\(s\) URL/],
      [['login', '--endpoint', srv.url, '--user', 'root', '--domain', 'root'], /--project is required/],
    ];
    const results = await Promise.all(cases.map(([args]) => fresh.run(args)));
    results.forEach((res, i) => usageFailed(res, cases[i]![1]));
  });

  test('an unreachable server: "cannot reach <endpoint>: <reason>", exit 1', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const h = await newHome();
    const login = await h.run(['login', '--endpoint', endpoint, '--ak', 'AK', '--sk', 'SK']);
    failed(login, new RegExp(`^maws: cannot reach ${endpoint}: .*ECONNREFUSED`, 'm'));
    // a saved profile whose server went away
    await mkdir(path.dirname(h.config), { recursive: true });
    await writeFile(
      h.config,
      JSON.stringify({ current: 'gone', profiles: { gone: { auth: 'aksk', endpoint, accessKey: 'AK', secretKey: 'SK', projectId: srv.projectId } } }),
    );
    failed(await h.run(['ws', 'ls']), new RegExp(`^maws: cannot reach ${endpoint}: `, 'm'));
  });

  test('--json: every failure is one JSON object on stderr, with the same exit codes', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const h = await newHome();
    const [usage, unknownOption, api, unreachable, notLoggedIn] = await Promise.all([
      home.run(['ws', 'create', '--json']),
      home.run(['ws', 'ls', '--json', '--bogus']),
      home.run(['ws', 'show', 'f'.repeat(32), '--json']),
      h.run(['login', '--endpoint', endpoint, '--ak', 'AK', '--sk', 'SK', '--json']),
      h.run(['ws', 'ls', '--json']),
    ]);
    const errorOf = (res: CliResult, code: number) => {
      assert.equal(res.code, code, `${res.args.join(' ')}: ${res.stderr}`);
      assert.equal(res.stdout, '');
      assert.equal(res.stderr.split('\n').filter(Boolean).length, 1, res.stderr);
      return JSON.parse(res.stderr);
    };
    assert.deepEqual(errorOf(usage, 2), { error: 'usage', message: 'missing NAME', usage: 'maws workspace create NAME [--description D] [--auth-type public|private|internal] [--ep ID] [--grant USER]...' });
    assert.equal(errorOf(unknownOption, 2).error, 'usage');
    const apiError = errorOf(api, 1);
    assert.deepEqual(Object.keys(apiError), ['error', 'message', 'status', 'error_code', 'error_msg', 'request_id']);
    assert.equal(apiError.error, 'api');
    assert.equal(apiError.status, 400);
    assert.equal(apiError.error_code, 'ModelArts.7005');
    assert.match(apiError.request_id, /^[0-9a-f]{32}$/);
    assert.equal(apiError.message, `ModelArts.7005: ${apiError.error_msg} (request id ${apiError.request_id})`);
    const network = errorOf(unreachable, 1);
    assert.equal(network.error, 'failure');
    assert.match(network.message, new RegExp(`^cannot reach ${endpoint}: .*ECONNREFUSED`));
    assert.deepEqual(errorOf(notLoggedIn, 1), { error: 'failure', message: 'not logged in: run maws login' });
  });

  test('absent login, a token expired locally, a token the server refuses', async () => {
    const h = await newHome();
    failed(await h.run(['ws', 'ls']), /^maws: not logged in: run maws login$/m);
    failed(await h.run(['quotas', 'get', '0', '--profile', 'nobody']), /not logged in with profile "nobody"/);

    const token = await insertExpiredToken(srv);
    const profile = { auth: 'token', endpoint: srv.url, token, projectId: srv.projectId, userName: 'root', domainName: srv.domainName };
    await mkdir(path.dirname(h.config), { recursive: true });
    await writeFile(
      h.config,
      JSON.stringify({
        current: 'old',
        profiles: {
          old: { ...profile, expiresAt: new Date(h.clock.now() - 60_000).toISOString() },
          // the server refuses a token the profile thinks is valid (an unknown one: an expired
          // token's row goes whenever a concurrent test logs in, so its message would vary)
          stale: { ...profile, token: `MAWS${randomBytes(32).toString('base64url')}`, expiresAt: new Date(h.clock.now() + 3_600_000).toISOString() },
        },
      }),
    );
    const [expired, refused, listed] = await Promise.all([h.run(['ws', 'ls']), h.run(['ws', 'ls', '--profile', 'stale']), h.run(['profiles'])]);
    failed(expired, /^maws: token expired, run maws login again/m);
    apiFailed(refused, 'APIGW.0301', /decrypt token fail/);
    assert.match(refused.stderr, /run maws login --profile stale again/);
    assert.match(succeeded(listed), /old .* expired /);
  });

  test('a token profile expires by the CLI\'s clock', async () => {
    const h = await newHome();
    const base = ['login', '--endpoint', srv.url, '--user', srv.root.name, '--domain', srv.domainName, '--project', srv.projectName];
    succeeded(await h.run([...base, '--password', srv.root.password]));
    const expiresAt = Date.parse(JSON.parse(await readFile(h.config, 'utf8')).profiles.default.expiresAt);
    succeeded(await h.run(['ws', 'ls']));
    h.clock.advance(expiresAt - h.clock.now());
    failed(await h.run(['ws', 'ls']), /^maws: token expired, run maws login again/m);
    assert.match(succeeded(await h.run(['profiles'])), /default .* expired /);
  });

  test('help and version', async () => {
    const [top, cmd, flagHelp, group, version, unknownHelp] = await Promise.all([
      home.run(['help']),
      home.run(['help', 'ws', 'update']),
      home.run(['workspace', 'rm', '--help']),
      home.run(['admin', '--help']),
      home.run(['--version']),
      home.run(['help', 'nope']),
    ]);
    assert.match(succeeded(top), /^usage: maws /m);
    assert.match(top.stdout, /maws workspace update/);
    assert.match(top.stdout, /With --json a failure is one\nJSON object on stderr: \{"error": "usage"\|"api"\|"failure"\|"unexpected", "message"/);
    assert.match(succeeded(cmd), /^usage: maws workspace update ID .*--clear-grants/m);
    assert.match(cmd.stdout, /--grant USER +the new grant list \(repeatable\)$/m);
    assert.doesNotMatch(cmd.stdout, /repeatable\).*repeatable/);
    assert.match(cmd.stdout, /--json +.*errors as one JSON object on stderr/);
    assert.match(succeeded(flagHelp), /--timeout SECONDS/);
    assert.match(succeeded(group), /maws admin keys create/);
    const pkg = JSON.parse(await readFile('package.json', 'utf8'));
    assert.equal(succeeded(version).trim(), `maws ${pkg.version}`);
    usageFailed(unknownHelp, /unknown command "nope"/);
    assertNoStack(unknownHelp);
  });

  test('the maws command as a real process: MAWS_CONFIG, standard input, output and exit codes', async (t) => {
    const h = await newHome();
    const cleanup = cleanupFor(t);
    const login = ['login', '--endpoint', srv.url, '--user', srv.root.name, '--domain', srv.domainName, '--project', srv.projectName];
    const [version, loggedIn, unknown] = await Promise.all([
      runMawsProcess(cleanup, h, ['--version']),
      runMawsProcess(cleanup, h, [...login, '--password-stdin'], { input: `${srv.root.password}\n` }),
      runMawsProcess(cleanup, h, ['nope']),
    ]);
    const pkg = JSON.parse(await readFile('package.json', 'utf8'));
    assert.equal(succeeded(version).trim(), `maws ${pkg.version}`);
    assert.match(succeeded(loggedIn), /Logged in to .* as root /);
    assert.equal(JSON.parse(await readFile(h.config, 'utf8')).profiles.default.auth, 'token');
    usageFailed(unknown, /unknown command "nope"/);
  });
});
