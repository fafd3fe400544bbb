// maws test …: the operator API's test controls from the CLI (run in this process).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniq } from './helpers/fixtures.js';
import { OPERATOR_TOKEN, startTestServer, type TestServer } from './helpers/server.js';
import { apiFailed, type CliHome, cliHome, failed, succeeded, tableRows, usageFailed } from './helpers/cli.js';

const operatorEnv = { MAWS_OPERATOR_TOKEN: OPERATOR_TOKEN };

describe('maws test: test controls from the CLI', () => {
  let srv: TestServer;
  let home: CliHome;
  const maws = (args: string[]) => home.run(args, { env: operatorEnv });

  before(async () => {
    srv = await startTestServer({ MAWS_TEST_CONTROLS: 'true' });
    home = await cliHome();
    succeeded(await home.run(['login', '--endpoint', srv.url, '--ak', srv.root.accessKey, '--sk', srv.root.secretKey]));
  });
  after(async () => {
    await home?.cleanup();
    await srv?.close();
  });

  const newWorkspace = async () => /[0-9a-f]{32}/.exec(succeeded(await maws(['ws', 'create', uniq('cli')])))![0];

  test('fail-deletions: rm --wait sees DELETE_FAILED with the message, rm again removes the workspace', async () => {
    const id = await newWorkspace();
    const out = succeeded(await maws(['test', 'fail-deletions', srv.projectId, '--workspace', id, '--message', 'disk cleanup failed']));
    assert.match(out, new RegExp(`^Test control [0-9a-f]{32}: the next deletion of workspace ${id} \\(project ${srv.projectId}\\) ends in DELETE_FAILED: "disk cleanup failed" \\(expires `));
    failed(await maws(['ws', 'rm', id, '--wait']), /deleting workspace .* failed: disk cleanup failed/);
    succeeded(await maws(['ws', 'rm', id, '--wait']));
  });

  test('hold-deletions, fault, ls and clear', async () => {
    succeeded(await maws(['test', 'clear']));
    const hold = JSON.parse(succeeded(await maws(['test', 'hold-deletions', srv.projectId, '--seconds', '30', '--count', '2', '--ttl', '600', '--json'])));
    assert.equal(hold.kind, 'deletion_hold');
    assert.equal(hold.hold_seconds, 30);
    assert.equal(hold.remaining, 2);
    assert.equal(hold.expires_at - hold.created_at, 600_000);

    const fault = succeeded(
      await maws(['test', 'fault', '--operation', 'ListWorkspace', '--error', '429:APIG.0308:The throttling threshold has been reached: policy user over ratelimit', '--count', '1', '--project', srv.projectId]),
    );
    assert.match(fault, /the next chosen call to ListWorkspace in project \w+ answers with 429 APIG\.0308/);
    apiFailed(await maws(['ws', 'ls']), 'APIG.0308', /The throttling threshold has been reached: policy user over ratelimit/);
    succeeded(await maws(['ws', 'ls']));

    succeeded(await maws(['test', 'fault', '--operation', 'ShowWorkspace', '--operation', 'UpdateWorkspace', '--latency', '5', '--share', '0.25', '--seed', '7']));
    const rows = tableRows(succeeded(await maws(['test', 'ls'])));
    assert.deepEqual(rows.map((r) => [r.KIND, r.LEFT]), [['deletion_hold', '2'], ['fault', 'unlimited']]);
    assert.match(rows[1]?.WHAT ?? "", /every chosen call to ShowWorkspace, UpdateWorkspace in any project answers 5 ms late \(share 0\.25, seed 7\)/);
    const listed = JSON.parse(succeeded(await maws(['test', 'ls', '--project', srv.projectId, '--json'])));
    assert.deepEqual(listed.test_controls.map((c: any) => c.id), [hold.id]);

    assert.equal(succeeded(await maws(['test', 'clear', hold.id])).trim(), 'Cleared 1 test control(s).');
    apiFailed(await maws(['test', 'clear', hold.id]), 'MAWS.0004');
    assert.equal(succeeded(await maws(['test', 'clear', '--project', srv.projectId])).trim(), 'Cleared 0 test control(s).');
    assert.deepEqual(JSON.parse(succeeded(await maws(['test', 'clear', '--json']))), { cleared: 1 });
    assert.equal(succeeded(await maws(['test', 'ls'])).trim(), 'No active test controls.');
  });

  test('reset: only with --yes', async () => {
    const id = await newWorkspace();
    usageFailed(await maws(['test', 'reset', srv.projectId]), /add --yes/);
    const out = succeeded(await maws(['test', 'reset', srv.projectId, '--yes']));
    assert.match(out, new RegExp(`^Project ${srv.projectId} is reset: \\d+ workspace\\(s\\) removed, 0 test control\\(s\\) cleared\\.`));
    failed(await maws(['ws', 'show', id]), /ModelArts\.7005/);
  });

  test('usage errors and a missing operator token', async () => {
    usageFailed(await maws(['test', 'fault', '--error', '500:X']), /--operation OP is required/);
    usageFailed(await maws(['test', 'fault', '--operation', 'ShowWorkspace']), /--error STATUS:CODE\[:MSG\], --latency MS or both/);
    usageFailed(await maws(['test', 'fault', '--operation', 'ShowWorkspace', '--error', '200:OK']), /--error must be STATUS:CODE/);
    usageFailed(await maws(['test', 'fault', '--operation', 'ShowWorkspace', '--latency', '5', '--share', '1.5']), /--share must be a number from 0 to 1/);
    usageFailed(await maws(['test', 'hold-deletions', srv.projectId]), /--seconds S is required/);
    usageFailed(await maws(['test', 'fail-deletions', srv.projectId, '--ttl', '90000']), /--ttl must be a whole number from 1 to 86400/);
    apiFailed(await maws(['test', 'fault', '--operation', 'NoSuchOperation', '--latency', '5']), 'MAWS.0001', /unknown operation NoSuchOperation/);
    failed(await home.run(['test', 'ls']), /set MAWS_OPERATOR_TOKEN/);
    // MAWS_ENDPOINT reaches the server without any profile
    const bare = await cliHome();
    after(() => bare.cleanup());
    succeeded(await bare.run(['test', 'ls'], { env: { ...operatorEnv, MAWS_ENDPOINT: srv.url } }));
  });
});

describe('maws test against a server without MAWS_TEST_CONTROLS', () => {
  test('each command reports how to turn them on', async (t) => {
    const srv = await startTestServer();
    const home = await cliHome();
    t.after(async () => {
      await home.cleanup();
      await srv.close();
    });
    const env = { ...operatorEnv, MAWS_ENDPOINT: srv.url };
    for (const args of [
      ['test', 'fail-deletions', srv.projectId],
      ['test', 'hold-deletions', srv.projectId, '--seconds', '5'],
      ['test', 'fault', '--operation', 'ShowWorkspace', '--latency', '5'],
      ['test', 'reset', srv.projectId, '--yes'],
      ['test', 'ls'],
      ['test', 'clear'],
      ['test', 'clear', 'some-id'],
    ]) {
      apiFailed(await home.run(args, { env }), 'MAWS.0003', /MAWS_TEST_CONTROLS=true/);
    }
  });
});
