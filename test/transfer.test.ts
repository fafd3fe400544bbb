// Export, import and migrate: a populated database (several accounts, users, keys, enterprise
// projects, workspaces with grants and quotas, a pending deletion job) exported by the running
// server, imported into the other kind of database, exported again (identical), imported back;
// the imported database serves; per-account exports; refusals that leave the target unchanged;
// an export while the server writes; the CLI's export, import and migrate.
// Every assert.ok has a message: without one, node:assert rebuilds the failing expression from
// this file's source, which takes minutes here and stalls the servers in this process.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXPORTED_TABLES } from '../src/db/table-registry.js';
import { ExportChecker, parseLine, TableDigest } from '../src/transfer/format.js';
import { importInto } from '../src/transfer/databases.js';
import { linesOf, parseText } from '../src/transfer/ndjson.js';
import { TEST_DB } from './helpers/database.js';
import { addAccount, addEnterpriseProject, assertError, insertExpiredToken, loginTo, ok, type OtherAccount, signedApi, uniq } from './helpers/fixtures.js';
import { type CliHome, cliHome, closedPort, failed, succeeded, tableRows } from './helpers/cli.js';
import { eventually, OPERATOR_TOKEN, startTestServer, type TestServer, type TestUser } from './helpers/server.js';
import { comparable, emptyDatabase, exportFromServer, exportText, otherKind, records, rowsByTable } from './helpers/transfer.js';
import { encodeKey, generateKey } from '../src/secrets/master-key.js';

describe('export, import and migrate', () => {
  let srv: TestServer;
  let home: CliHome;
  let other: OtherAccount;
  let alice: TestUser;
  let bob: TestUser;
  const names = { internal: uniq('analytics-alpha'), chinese: '数据工作区一', doomed: uniq('doomed') };
  let doomedId: string;

  /** The source database as the CLI names it. */
  const sourceSpec = () => {
    const database = srv.server.config.database;
    return database.kind === 'sqlite' ? database.file : database.url;
  };

  before(async () => {
    // No worker: the deletion job stays pending, so that one is exported.
    // No workspace limit: on PostgreSQL creates then count in parts (workspace-count.ts), which an export must carry too.
    srv = await startTestServer({ MAWS_WORKER: 'false', MAWS_MAX_WORKSPACES: '0' });
    home = await cliHome();
    const token = await srv.rootToken();
    const base = `/v1/${srv.projectId}/workspaces`;
    alice = await srv.newUser();
    bob = await srv.newUser();
    const ep = await addEnterpriseProject(srv);
    const internal = ok(
      await srv.api('POST', base, {
        token,
        body: { name: names.internal, auth_type: 'INTERNAL', enterprise_project_id: ep.id, grants: [{ user_id: alice.id }, { user_name: bob.name }] },
      }),
    );
    ok(await srv.api('PUT', `${base}/${internal.id}/quotas`, { token, body: { quotas: [{ resource: 'notebook.instance_count', quota: 5 }] } }));
    ok(await srv.api('POST', base, { token, body: { name: names.chinese, description: 'Unicode ✓ "quoted" \\ back' } }));
    doomedId = ok(await srv.api('POST', base, { token, body: { name: names.doomed } })).id;
    ok(await srv.api('DELETE', `${base}/${doomedId}`, { token }));
    await insertExpiredToken(srv);
    other = await addAccount(srv);
    const otherToken = await loginTo(srv, other.domainName, other.root, other.projectName);
    ok(await srv.api('POST', `/v1/${other.projectId}/workspaces`, { token: otherToken, body: { name: uniq('other-ws'), auth_type: 'PRIVATE' } }));
  });
  after(async () => {
    await home?.cleanup();
    await srv?.close();
  });

  async function tempFile(t: { after(fn: () => Promise<void>): void }, text: string): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'maws-export-'));
    t.after(() => fs.rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'export.ndjson');
    await fs.writeFile(file, text);
    return file;
  }

  test(`round trip: ${TEST_DB} → export → import into ${otherKind(TEST_DB)} → export (identical) → import into ${TEST_DB} → export (identical); the copy serves`, async (t) => {
    const exported = await exportFromServer(srv);
    assert.equal(exported.status, 200);
    assert.match(exported.type ?? '', /^application\/x-ndjson/);
    const text = exported.text;
    // What it holds: both accounts, the users and keys, grants, quotas, the pending job.
    assert.equal(records(text, 'domains').length, 2);
    const workspaces = records(text, 'workspaces');
    const internal = workspaces.find((w) => w.name === names.internal)!;
    assert.equal(internal.auth_type, 'internal');
    assert.ok(workspaces.some((w) => w.name === names.chinese && w.description === 'Unicode ✓ "quoted" \\ back'), 'the Chinese-named workspace');
    assert.equal(workspaces.find((w) => w.id === doomedId)?.status, 'DELETING');
    assert.deepEqual(
      records(text, 'workspace_grants')
        .filter((g) => g.workspace_id === internal.id)
        .map((g) => [g.position, g.user_id, g.user_name]),
      [
        [0, alice.id, alice.name],
        [1, bob.id, bob.name],
      ],
    );
    assert.deepEqual(
      records(text, 'workspace_quotas').filter((q) => q.workspace_id === internal.id).map((q) => [q.resource, q.quota]),
      [['notebook.instance_count', 5]],
    );
    assert.deepEqual(records(text, 'jobs').map((j) => [j.status, JSON.parse(j.payload).workspace_id]), [['pending', doomedId]]);
    assert.ok(records(text, 'access_keys').length >= 5, 'access keys');
    // Secret keys travel encrypted, under the source's master key.
    const fingerprint = srv.server.secrets.fingerprint();
    for (const key of records(text, 'access_keys')) assert.match(key.secret_key, new RegExp(`^maws-sk:v1:${fingerprint}:`));
    assert.ok(![srv.root.secretKey, alice.secretKey, other.root.secretKey].some((sk) => text.includes(sk)), 'no secret key in clear');
    assert.ok(records(text, 'tokens').length >= 2, 'tokens');
    assert.equal(records(text, 'operator_credentials').length, 1);
    assert.ok(!Object.keys(workspaces[0]!).includes('seq'), 'no seq');

    // Pages of 1 and 3 rows walk the same rows in the same order (composite keys, an integer key column).
    for (const pageRows of [1, 3]) {
      assert.deepEqual(comparable(await exportText(srv.server.config.database, { pageRows })), comparable(text), `pages of ${pageRows}`);
    }

    const target = await emptyDatabase(otherKind(TEST_DB));
    t.after(() => target.cleanup());
    const file = await tempFile(t, text);
    const out = succeeded(await home.run(['admin', 'import', '--to', target.spec, file]));
    const table = tableRows(out.split('\n').filter((l) => !l.startsWith('Verified')).join('\n'));
    assert.deepEqual(table.map((r) => r.TABLE), [...rowsByTable(text).keys()]);
    for (const row of table) {
      assert.equal(row.VERIFIED, 'yes', JSON.stringify(row));
      assert.equal(row['FILE ROWS'], row['DATABASE ROWS']);
    }
    assert.equal(Number(table.find((r) => r.TABLE === 'workspaces')!['DATABASE ROWS']), workspaces.length);
    assert.match(out, new RegExp(`^Verified: \\d+ rows of the whole service in ${EXPORTED_TABLES.length} tables; every row count and checksum matches\\.$`, 'm'));

    const again = await exportText(target.database);
    assert.deepEqual(comparable(again), comparable(text));

    // And back into the first kind: still the same content.
    const back = await emptyDatabase(TEST_DB);
    t.after(() => back.cleanup());
    await importInto(back.database, linesOf(parseText([again])));
    assert.deepEqual(comparable(await exportText(back.database)), comparable(text));

    // Without the source's master key the copy refuses to start, naming both keys; with it, it serves.
    await assert.rejects(startTestServer(target.env), (error: Error) => {
      assert.match(error.message, new RegExp(`encrypted under master key ${fingerprint}, but there is no master key`));
      return true;
    });
    const wrongKey = generateKey();
    await assert.rejects(startTestServer({ ...target.env, MAWS_MASTER_KEY: encodeKey(wrongKey.key) }), (error: Error) => {
      assert.match(error.message, new RegExp(`encrypted under master key ${fingerprint}, this server has ${wrongKey.fingerprint} \\(from MAWS_MASTER_KEY\\)`));
      return true;
    });
    await fs.copyFile(path.join(srv.dataDir, 'master.key'), path.join(target.env.MAWS_DATA_DIR!, 'master.key'));
    // The copy serves: the same passwords and AK/SK, the name search (filled by SQLite's triggers), the job.
    const copy = await startTestServer(target.env);
    t.after(() => copy.close());
    const token = await copy.login();
    const found = ok(await copy.api('GET', `/v1/${srv.projectId}/workspaces?name=${encodeURIComponent(names.internal.slice(2, 14))}`, { token }));
    assert.deepEqual(found.workspaces.map((w: { name: string }) => w.name), [names.internal]);
    const chinese = ok(await copy.api('GET', `/v1/${srv.projectId}/workspaces?name=${encodeURIComponent('工作区')}`, { token }));
    assert.deepEqual(chinese.workspaces.map((w: { name: string }) => w.name), [names.chinese]);
    const otherToken = await loginTo(copy, other.domainName, other.root, other.projectName);
    for (const user of [srv.root, alice]) {
      assert.equal((await signedApi(copy, 'GET', `/v1/${srv.projectId}/workspaces`, { ak: user.accessKey, sk: user.secretKey })).status, 200);
    }
    assert.equal(ok(await copy.api('GET', `/v1/${other.projectId}/workspaces`, { token: otherToken })).total_count, 1);
    // The copy's worker runs the deletion that was pending.
    await eventually(async () => ((await copy.api('GET', `/v1/${srv.projectId}/workspaces/${doomedId}`, { token })).status === 400 ? true : undefined));
  });

  test('per-account export: only that account\'s rows; an unknown account is 404', async () => {
    const text = (await exportFromServer(srv, `?account=${encodeURIComponent(other.domainName)}`)).text;
    const header = JSON.parse(text.split('\n')[0]!);
    const domains = records(text, 'domains');
    assert.deepEqual(domains.map((d) => d.name), [other.domainName]);
    assert.deepEqual(header.scope, { kind: 'account', account: other.domainName, domain_id: domains[0]!.id });
    const domainId = domains[0]!.id;
    const projects = records(text, 'projects');
    const users = records(text, 'users');
    assert.ok(projects.length >= 1 && projects.every((p) => p.domain_id === domainId), 'projects');
    assert.deepEqual(users.map((u) => u.name).sort(), [other.root.name, other.user.name].sort());
    const userIds = new Set(users.map((u) => u.id));
    const projectIds = new Set(projects.map((p) => p.id));
    assert.deepEqual(records(text, 'access_keys').map((k) => k.access_key).sort(), [other.root.accessKey, other.user.accessKey].sort());
    assert.ok(records(text, 'tokens').length >= 1 && records(text, 'tokens').every((k) => userIds.has(k.user_id)), 'tokens');
    assert.ok(records(text, 'enterprise_projects').every((e) => e.domain_id === domainId), 'enterprise projects');
    assert.equal(records(text, 'workspaces').length, 1);
    for (const table of ['workspaces', 'workspace_grants', 'workspace_quotas']) {
      assert.ok(records(text, table).every((r) => projectIds.has(r.project_id)), table);
    }
    // The root account's pending job is not this account's; the operator credential is the service's.
    assert.deepEqual(records(text, 'jobs'), []);
    assert.deepEqual(records(text, 'operator_credentials'), []);
    assert.ok(!text.includes(srv.root.accessKey), 'no root access key');
    // And the root account's own export has the job.
    const rootExport = (await exportFromServer(srv, `?account=${encodeURIComponent(srv.domainName)}`)).text;
    assert.deepEqual(records(rootExport, 'jobs').map((j) => JSON.parse(j.payload).workspace_id), [doomedId]);
    assert.ok(!rootExport.includes(other.root.accessKey), 'no other access key');

    // An account's export loads into an empty database on its own.
    const target = await emptyDatabase(otherKind(TEST_DB));
    try {
      const report = await importInto(target.database, linesOf(parseText([text])));
      assert.equal(report.scope.kind, 'account');
      assert.deepEqual(comparable(await exportText(target.database)).slice(1), comparable(text).slice(1));
    } finally {
      await target.cleanup();
    }

    const missing = await srv.operator('GET', '/maws/v1/export?account=no-such-account');
    assertError(missing, 404, 'MAWS.0004', /no account named "no-such-account"/);
    const unauthenticated = await fetch(`${srv.url}/maws/v1/export`);
    assert.equal(unauthenticated.status, 401);
  });

  test('refusals leave the target unchanged: a used database, another format, version or schema, a truncated or damaged file, an unreachable database', async (t) => {
    const text = (await exportFromServer(srv)).text;
    const lines = text.trimEnd().split('\n');
    const header = JSON.parse(lines[0]!);
    const target = await emptyDatabase(TEST_DB);
    t.after(() => target.cleanup());
    const importing = async (content: string) => home.run(['admin', 'import', '--to', target.spec, await tempFile(t, content)]);

    const variants: Array<[string, string, RegExp]> = [
      ['not JSON', 'hello\n', /line 1 is not JSON: this is not a modelarts-workspaces-export file/],
      ['another format', `${JSON.stringify({ ...header, format: 'other' })}\n`, /not a modelarts-workspaces-export file/],
      ['a later version', [JSON.stringify({ ...header, version: 2 }), ...lines.slice(1)].join('\n'), /export format version 2 is not supported: this maws reads version 1/],
      ['another schema', [JSON.stringify({ ...header, schema: '0004-workspace-seq' }), ...lines.slice(1)].join('\n'), /the export's schema is "0004-workspace-seq"/],
      ['no trailer', `${lines.slice(0, -1).join('\n')}\n`, /without its trailer: the export is incomplete/],
      ['cut in the middle', `${lines.slice(0, Math.floor(lines.length / 2)).join('\n')}\n`, /without its trailer: the export is incomplete/],
      ['a changed row', text.replace(names.internal, `${names.internal}x`), /the file is damaged: table workspaces has \d+ rows/],
      ['a row too short', text.replace(/\n\[[^\n]*\n/, '\n["x"]\n'), /has 1 values, expected/],
      ['empty', '', /the file is empty/],
    ];
    for (const [what, content, message] of variants) {
      const res = await importing(content);
      failed(res, message);
      assert.equal(res.stderr.trim().split('\n').length, 1, `${what}: one line\n${res.stderr}`);
    }
    // Rows out of primary-key order, with a trailer that matches them: the read-back checksum differs.
    failed(await importing(reordered(lines, 'workspaces')), /verification failed, nothing was imported: workspaces has \d+ rows \(expected \d+\) with another checksum/);
    const binary = await tempFile(t, '');
    await fs.writeFile(binary, Buffer.concat([Buffer.from(`${lines[0]}\n`), Buffer.from([0xff, 0xfe, 0x0a])]));
    failed(await home.run(['admin', 'import', '--to', target.spec, binary]), /the file is not UTF-8 text/);
    // Nothing was written: the whole export still loads, once; a second time the target is not empty.
    succeeded(await importing(text));
    const loaded = await exportText(target.database);
    failed(await importing(text), /the target database is not empty \(rows in domains, projects, users/);
    assert.deepEqual(comparable(await exportText(target.database)), comparable(loaded));

    const port = await closedPort();
    failed(await home.run(['admin', 'import', '--to', `postgres://maws:secret@127.0.0.1:${port}/nothing`, await tempFile(t, text)]), /^maws: cannot use the target database postgres:\/\/maws:\*\*\*@127\.0\.0\.1:\d+\/nothing: .*ECONNREFUSED/m);
    failed(await home.run(['admin', 'import', '--to', target.spec, path.join(os.tmpdir(), 'maws-no-such-export.ndjson')]), /cannot read .*maws-no-such-export\.ndjson/);
    const folder = path.dirname(await tempFile(t, text));
    failed(await home.run(['admin', 'import', '--to', target.spec, folder]), /cannot read .*: EISDIR/);
  });

  test('an export while the server writes is one snapshot: each project\'s workspace count (with its parts) is its rows, the trailer counts the rows', async () => {
    const token = await srv.rootToken();
    let writing = true;
    const writes = (async () => {
      let created = 0;
      while (writing) {
        ok(await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token, body: { name: uniq('busy') } }));
        created++;
      }
      return created;
    })();
    const exports: string[] = [];
    try {
      for (let i = 0; i < 4; i++) exports.push((await exportFromServer(srv)).text);
    } finally {
      writing = false;
    }
    assert.ok((await writes) > 0, 'writes');
    const counts = exports.map((text) => {
      const checker = new ExportChecker();
      text.trimEnd().split('\n').forEach((line, i) => checker.accept(parseLine(line, i + 1)));
      const trailer = checker.finish();
      const workspaces = records(text, 'workspaces');
      const parts = records(text, 'workspace_count_parts');
      for (const project of records(text, 'projects')) {
        const count = project.workspace_count + parts.filter((p) => p.project_id === project.id).reduce((sum, p) => sum + p.n, 0);
        assert.equal(count, workspaces.filter((w) => w.project_id === project.id).length, project.name);
      }
      assert.equal(trailer.workspaces!.rows, workspaces.length);
      return workspaces.length;
    });
    // The writes went on during the exports.
    assert.ok(counts.at(-1)! > counts[0]!, counts.join(' '));
  });

  test(`maws migrate: ${TEST_DB} (the server's, while it runs) → ${otherKind(TEST_DB)}, verified table by table`, async (t) => {
    const target = await emptyDatabase(otherKind(TEST_DB));
    t.after(() => target.cleanup());
    const out = succeeded(await home.run(['migrate', '--from', sourceSpec(), '--to', target.spec]));
    const [tableText, verdict] = out.trimEnd().split('\nVerified');
    const table = tableRows(tableText!);
    assert.deepEqual(Object.keys(table[0]!), ['TABLE', 'SOURCE ROWS', 'TARGET ROWS', 'SOURCE SHA-256', 'TARGET SHA-256', 'VERIFIED']);
    assert.equal(table.length, EXPORTED_TABLES.length);
    for (const row of table) {
      assert.equal(row.VERIFIED, 'yes');
      assert.equal(row['SOURCE ROWS'], row['TARGET ROWS']);
      assert.equal(row['SOURCE SHA-256'], row['TARGET SHA-256']);
      assert.match(row['SOURCE SHA-256']!, /^[0-9a-f]{16}$/);
    }
    assert.match(verdict!, /every row count and checksum matches/);
    assert.deepEqual(comparable(await exportText(target.database)), comparable(await exportText(srv.server.config.database)));
    const workspaces = Number(table.find((r) => r.TABLE === 'workspaces')!['TARGET ROWS']);
    assert.equal(workspaces, records(await exportText(target.database), 'workspaces').length);

    failed(await home.run(['migrate', '--from', sourceSpec(), '--to', target.spec]), /the target database is not empty/);
    failed(await home.run(['migrate', '--from', path.join(os.tmpdir(), 'maws-no-such.db'), '--to', target.spec]), /there is no SQLite database at .*maws-no-such\.db/);
    const blank = path.join(home.dir, 'blank.db');
    await fs.writeFile(blank, '');
    failed(await home.run(['migrate', '--from', blank, '--to', target.spec]), /the source database has no maws schema: it was never used by a maws server/);
    const res = await home.run(['migrate', '--from', sourceSpec()]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--to is required/);
  });

  test('maws admin export: through the operator API, to a file (mode 0600) or to standard output', async (t) => {
    const env = { MAWS_OPERATOR_TOKEN: OPERATOR_TOKEN, MAWS_ENDPOINT: srv.url };
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'maws-export-'));
    t.after(() => fs.rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'backup.ndjson');
    const out = succeeded(await home.run(['admin', 'export', '--output', file], { env }));
    assert.match(out, new RegExp(`^Exported \\d+ rows in ${EXPORTED_TABLES.length} tables; checksums verified\\. Written to .*backup\\.ndjson \\(mode 0600\\)\\.$`, 'm'));
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await fs.readdir(dir), ['backup.ndjson']);
    const written = await fs.readFile(file, 'utf8');
    assert.deepEqual(comparable(written), comparable((await exportFromServer(srv)).text));

    const res = await home.run(['admin', 'export', '--account', other.domainName], { env });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, new RegExp(`^Exported \\d+ rows in ${EXPORTED_TABLES.length} tables of account ${other.domainName}; checksums verified\\.$`, 'm'));
    assert.deepEqual(records(res.stdout, 'domains').map((d) => d.name), [other.domainName]);

    const missing = await home.run(['admin', 'export', '--account', 'no-such-account', '--output', path.join(dir, 'missing.ndjson')], { env });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^maws: MAWS\.0004: no account named "no-such-account"/);
    assert.deepEqual(await fs.readdir(dir), ['backup.ndjson']);
    // a directory as the destination: refused in one line, and no partial file left beside it
    const inside = path.join(dir, 'folder');
    await fs.mkdir(inside);
    failed(await home.run(['admin', 'export', '--output', inside], { env }), /cannot write .*folder: EISDIR/);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['backup.ndjson', 'folder']);
    failed(await home.run(['admin', 'export'], { env: { MAWS_ENDPOINT: srv.url } }), /set MAWS_OPERATOR_TOKEN/);
  });
});

/** The export with a table's first two rows swapped and its trailer recomputed to match. */
function reordered(lines: readonly string[], table: string): string {
  const start = lines.findIndex((l) => l.startsWith(`{"table":"${table}"`));
  const copy = [...lines];
  [copy[start + 1], copy[start + 2]] = [copy[start + 2]!, copy[start + 1]!];
  const digest = new TableDigest();
  for (let i = start + 1; copy[i]!.startsWith('['); i++) digest.add(JSON.parse(copy[i]!));
  const trailer = JSON.parse(copy.at(-1)!);
  trailer.tables[table] = digest.summary();
  copy[copy.length - 1] = JSON.stringify(trailer);
  return `${copy.join('\n')}\n`;
}
