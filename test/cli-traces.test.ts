// maws traces ls (run in this process) against a real server: the audit trail as a table and as
// JSON, every filter, --from/--to in their three spellings, paging by --next and --all, and the
// refusal of an IAM user.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signedApi } from './helpers/fixtures.js';
import { startTestServer, type TestServer, type TestUser } from './helpers/server.js';
import { apiFailed, type CliHome, cliHome, succeeded, tableRows, usageFailed } from './helpers/cli.js';
import type { TraceView as Trace } from '../src/audit/trace.schemas.js';


describe('maws CLI: traces ls', { concurrency: true }, () => {
  let srv: TestServer;
  let home: CliHome; // root, AK/SK
  let carol: TestUser;
  /** before the seeded changes, on the server's clock (the same machine's) */
  let seededFrom: number;

  before(async () => {
    srv = await startTestServer();
    home = await cliHome();
    succeeded(await home.run(['login', '--endpoint', srv.url, '--ak', srv.root.accessKey, '--sk', srv.root.secretKey]));
    carol = await srv.newUser('carol');
    seededFrom = Date.now();
    // carol's five workspaces, then two of the names again: refused, so warnings. Signed with her
    // access key: a sign-in would be a trace of hers too.
    for (const name of ['cli-t1', 'cli-t2', 'cli-t3', 'cli-t4', 'cli-t5', 'cli-t1', 'cli-t2']) {
      await signedApi(srv, 'POST', `/v1/${srv.projectId}/workspaces`, { ak: carol.accessKey, sk: carol.secretKey, body: { name } });
    }
  });
  after(async () => {
    await home?.cleanup();
    await srv?.close();
  });

  async function apiTraces(query: string): Promise<Trace[]> {
    const res = await srv.api('GET', `/v3/${srv.projectId}/traces?trace_type=system&limit=200${query}`, { token: await srv.rootToken() });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.traces;
  }

  test('a table of the traces, newest first, and --json the API\'s page', async () => {
    const expected = await apiTraces(`&user=carol`);
    assert.equal(expected.length, 7);
    const rows = tableRows(succeeded(await home.run(['traces', 'ls', '--user', 'carol', '--limit', '200'])));
    assert.deepEqual(
      rows.map((r) => [r.TRACE, r.RATING, r.CODE, r.SERVICE, r['RESOURCE TYPE'], r['RESOURCE NAME'], r.USER, r.TYPE, r['TRACE ID']]),
      expected.map((t) => [t.trace_name, t.trace_rating, t.code, 'ModelArts', 'workspace', t.resource_name, 'carol', 'ApiCall', t.trace_id]),
    );
    assert.equal(rows[0]!.TIME, new Date(expected[0]!.time).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    assert.deepEqual(rows.map((r) => r['RESOURCE NAME']), ['cli-t2', 'cli-t1', 'cli-t5', 'cli-t4', 'cli-t3', 'cli-t2', 'cli-t1']);

    const json = JSON.parse(succeeded(await home.run(['traces', 'ls', '--user', 'carol', '--rating', 'WARNING', '--json'])));
    assert.deepEqual(json, { traces: expected.filter((t) => t.trace_rating === 'warning'), meta_data: { count: 2, marker: null } });
    assert.equal(succeeded(await home.run(['trace', 'list', '--user', 'nobody-here'])), 'No traces.\n');
  });

  test('every filter reaches the API', async () => {
    const [t3] = await apiTraces('&resource_name=cli-t3');
    const cases: Array<[string[], (t: Trace) => boolean]> = [
      [['--service', 'modelarts', '--user', 'carol'], (t) => t.user?.name === 'carol'],
      [['--resource-name', 'cli-t3'], (t) => t.resource_name === 'cli-t3'],
      [['--resource-id', t3!.resource_id], (t) => t.resource_id === t3!.resource_id],
      [['--trace-id', t3!.trace_id], (t) => t.trace_id === t3!.trace_id],
      [['--resource-type', 'workspace', '--trace-name', 'createWorkspace', '--rating', 'normal', '--user', 'carol'], (t) => t.user?.name === 'carol' && t.trace_rating === 'normal'],
    ];
    const all = await apiTraces('');
    for (const [flags, wanted] of cases) {
      const rows = tableRows(succeeded(await home.run(['traces', 'ls', '--limit', '200', ...flags])));
      assert.deepEqual(rows.map((r) => r['TRACE ID']), all.filter(wanted).map((t) => t.trace_id), flags.join(' '));
    }
    assert.equal(succeeded(await home.run(['traces', 'ls', '--service', 'EPS', '--user', 'carol'])), 'No traces.\n');
  });

  test('--from and --to take epoch milliseconds, ISO dates and durations back from now', async () => {
    const ids = async (...flags: string[]) => {
      const out = succeeded(await home.run(['traces', 'ls', '--user', 'carol', '--limit', '200', ...flags]));
      return out === 'No traces.\n' ? [] : tableRows(out).map((r) => r['TRACE ID']);
    };
    const carols = (await apiTraces('&user=carol')).map((t) => t.trace_id);
    const before = seededFrom - 1000;
    assert.deepEqual(await ids('--from', String(before)), carols);
    assert.deepEqual(await ids('--from', new Date(before).toISOString()), carols);
    assert.deepEqual(await ids('--to', String(before)), []);
    assert.deepEqual(await ids('--to', new Date(before).toISOString()), []);
    // the CLI's clock stands where the home was made, before the seeding: an hour before it has nothing
    assert.deepEqual(await ids('--to', '1h', '--from', '2h'), []);
    assert.deepEqual(await ids('--from', '1d'), carols);

    for (const bad of ['yesterday', '2026-13-45', '1.5h', '1y', '']) {
      usageFailed(await home.run(['traces', 'ls', '--from', bad]), /--from must be epoch milliseconds, an ISO date/);
    }
    usageFailed(await home.run(['traces', 'ls', '--from', '1h', '--to', '2h']), /--from \(.+\) is after --to/);
  });

  test('pages by the printed marker with --next, and --all follows the markers to the end', async () => {
    const expected = (await apiTraces('&user=carol')).map((t) => t.trace_id);
    const seen: string[] = [];
    let next: string | undefined;
    for (let page = 1; ; page++) {
      const res = await home.run(['traces', 'ls', '--user', 'carol', '--limit', '3', ...(next ? ['--next', next] : [])]);
      assert.equal(res.code, 0, res.stderr);
      seen.push(...tableRows(res.stdout).map((r) => r['TRACE ID']!));
      next = /^more traces: add --next (\S+)$/m.exec(res.stderr)?.[1];
      if (next === undefined) {
        assert.equal(res.stderr, '');
        assert.equal(page, 3);
        break;
      }
      assert.equal(next, seen.at(-1));
    }
    assert.deepEqual(seen, expected);

    const all = await home.run(['traces', 'ls', '--user', 'carol', '--limit', '3', '--all', '--json']);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stderr, 'page 1: 3 traces (3 in all)\npage 2: 3 traces (6 in all)\npage 3: 1 traces (7 in all)\n');
    const body = JSON.parse(all.stdout);
    assert.deepEqual(body.traces.map((t: Trace) => t.trace_id), expected);
    assert.deepEqual(body.meta_data, { count: 7, marker: null });
    const table = await home.run(['traces', 'ls', '--user', 'carol', '--all']);
    assert.deepEqual(tableRows(table.stdout).map((r) => r['TRACE ID']), expected);
    assert.equal(table.stderr, 'page 1: 7 traces (7 in all)\n');

    usageFailed(await home.run(['traces', 'ls', '--all', '--next', expected[0]!]), /--next or --all, not both/);
    usageFailed(await home.run(['traces', 'ls', '--limit', '201']), /--limit must be a whole number from 1 to 200/);
    usageFailed(await home.run(['traces', 'ls', '--rating', 'fatal']), /--rating must be one of normal, warning, incident/);
    usageFailed(await home.run(['traces', 'ls', '--service', 'OBS']), /--service must be one of ModelArts, IAM, EPS/);
    apiFailed(await home.run(['traces', 'ls', '--next', 'not-a-trace']), 'CTS.0003');
  });

  test('an IAM user is refused (CTS.0002)', async () => {
    const own = await cliHome();
    after(() => own.cleanup());
    succeeded(await own.run(['login', '--endpoint', srv.url, '--ak', carol.accessKey, '--sk', carol.secretKey]));
    apiFailed(await own.run(['traces', 'ls']), 'CTS.0002');
  });
});
