// The SQL each repository sends, on both dialects, pinned in test/sql/queries.<dialect>.sql so
// that a change to a query (and so to its plan) shows in review. After an intended change:
// UPDATE_SQL_SNAPSHOTS=1 node --import tsx --test test/sql-snapshots.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { DialectKind } from '../src/db/dialect.js';
import { matchesInNameOrder } from '../src/db/name-order.js';
import type { Db, Executor } from '../src/db/types.js';
import { createEnterpriseProjectRepository } from '../src/eps/enterprise-project.repository.js';
import { createAccountRepository } from '../src/iam/account.repository.js';
import { createCredentialRepository } from '../src/iam/credential.repository.js';
import { createIdentityRepository } from '../src/iam/identity.repository.js';
import { createLoginLockoutRepository } from '../src/iam/login-lockout.repository.js';
import { createJobQueue } from '../src/jobs/job.queue.js';
import { createQuotaRepository } from '../src/quotas/quota.repository.js';
import { createTestControlRepository } from '../src/testing/test-control.repository.js';
import { createWorkspaceRepository } from '../src/workspaces/workspace.repository.js';
import { createTraceRepository, type TraceRow } from '../src/audit/trace.repository.js';
import { workspaceRow } from './helpers/fixtures.js';
import { recordingDb } from './helpers/recording-db.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const P = 'p1';
const page = { sortBy: 'update_time', order: 'desc', limit: 10, skip: 20 } as const;

/** Every repository query, with representative arguments. */
function cases(dialect: DialectKind): Array<[string, (db: Executor) => Promise<unknown>]> {
  const ws = createWorkspaceRepository(dialect);
  const identity = createIdentityRepository();
  const credentials = createCredentialRepository();
  const accounts = createAccountRepository();
  const eps = createEnterpriseProjectRepository();
  const quotas = createQuotaRepository();
  const jobs = createJobQueue();
  const controls = createTestControlRepository();
  const traces = createTraceRepository();
  const lockout = createLoginLockoutRepository();
  const job = {
    id: 'j1',
    type: 'workspace.delete',
    payload: '{}',
    status: 'running',
    attempts: 2,
    run_at: 1,
    locked_by: 'worker-1',
    locked_until: 9,
    last_error: null,
    created_at: 1,
    updated_at: 1,
  };
  const row = workspaceRow(P, 'w1', 'alpha');
  const grant = { position: 0, user_id: 'u1', user_name: 'bob', user_type: 'IAM' };
  const trace: TraceRow = {
    trace_id: 't1',
    domain_id: 'd1',
    project_id: P,
    time: 1,
    record_time: 2,
    trace_name: 'createWorkspace',
    trace_rating: 'normal',
    trace_type: 'ApiCall',
    service_type: 'ModelArts',
    resource_type: 'workspace',
    resource_id: 'w1',
    resource_name: 'alpha',
    code: '200',
    request: '{}',
    response: '{}',
    user_id: 'u1',
    user_name: 'root',
    domain_name: 'root',
    source_ip: '127.0.0.1',
    request_id: 'r1',
    api_version: 'v1',
    message: '',
  };
  const user = { id: 'u1', domain_id: 'd1', name: 'bob', password_hash: null, description: '', is_root: false, enabled: true, created_at: 1 };
  return [
    ['workspaces.insert', (db) => ws.insert(db, row)],
    ['workspaces.findByIds', (db) => ws.findByIds(db, P, ['w1', 'w2'])],
    ['workspaces.findByIds one', (db) => ws.findByIds(db, P, ['w1'])],
    ['workspaces.findShownByIds', (db) => ws.findShownByIds(db, P, ['w1', 'w2'])],
    ['workspaces.findShownByIds one', (db) => ws.findShownByIds(db, P, ['w1'])],
    ['workspaces.nameTaken', (db) => ws.nameTaken(db, P, 'alpha')],
    ['workspaces.list unfiltered', (db) => ws.list(db, P, {}, page)],
    ['workspaces.list by name, many matches', (db) => ws.list(db, P, { name: 'alp' }, { ...page, sortBy: 'name', matches: 90_000 })],
    ['workspaces.list by name, few matches', (db) => ws.list(db, P, { name: 'alp' }, { ...page, sortBy: 'name', matches: 3 })],
    [
      'workspaces.list by name, enterprise project and access, few matches',
      (db) => ws.list(db, P, { name: 'alp', enterpriseProjectId: 'ep1', accessibleTo: 'u2' }, { ...page, matches: 3 }),
    ],
    ['workspaces.list by short name', (db) => ws.list(db, P, { name: 'al' }, { ...page, sortBy: 'status', order: 'asc' })],
    ['workspaces.listPage by name', (db) => ws.listPage(db, P, { name: 'alp' }, page)],
    ['workspaces.listPage by name, enterprise project and access', (db) => ws.listPage(db, P, { name: 'alp', enterpriseProjectId: 'ep1', accessibleTo: 'u2' }, { ...page, sortBy: 'name' })],
    // The second statement of a name search on SQLite (the page's rows by name); PostgreSQL has none.
    ...(dialect === 'sqlite' ? [['workspaces.listByNames', (db: Executor) => ws.listByNames(db, P, ['alpha', 'beta'])] as [string, (db: Executor) => Promise<unknown>]] : []),
    // SQLite's name search in name order (name-order.ts).
    ...(dialect === 'sqlite'
      ? [['name order: matchesInNameOrder', (db: Executor) => matchesInNameOrder(db, P, '"alp"', { order: 'desc', limit: 10, skip: 20 })] as [string, (db: Executor) => Promise<unknown>]]
      : []),
    ['workspaces.listPage unfiltered', (db) => ws.listPage(db, P, {}, page)],
    ['workspaces.count', (db) => ws.count(db, P, { name: 'alp', enterpriseProjectId: 'ep1', accessibleTo: 'u2' })],
    ['workspaces.countAll', (db) => ws.countAll(db, P)],
    ['workspaces.transition', (db) => ws.transition(db, P, 'w1', ['NORMAL', 'DELETE_FAILED'], { status: 'DELETING', update_time: 2 })],
    ['workspaces.purge', (db) => ws.purge(db, P, 'w1')],
    ['workspaces.listGrantsOf', (db) => ws.listGrantsOf(db, P, ['w1'])],
    ['workspaces.replaceGrants', (db) => ws.replaceGrants(db, P, 'w1', [{ position: 0, user_id: 'u1', user_name: 'bob', user_type: 'IAM' }])],
    ['workspaces.deleteGrantsOfUser', (db) => ws.deleteGrantsOfUser(db, 'u1')],
    // A create: with no limit, on PostgreSQL one statement with its grant, a trace and its count (write-together.ts).
    ['workspaces.insertNew', (db) => ws.insertNew(db as Db, row, [grant], [traces.insertStatement(db, trace)], null)],
    ['workspaces.insertNew under a limit', (db) => ws.insertNew(db as Db, row, [grant], [traces.insertStatement(db, trace)], 1000)],
    ['workspaces.reserveSlot', (db) => ws.reserveSlot(db, P, 1000)],
    ['workspaces.releaseSlot', (db) => ws.releaseSlot(db, P)],
    ['workspaces.lockProject', (db) => ws.lockProject(db, P)],
    ['workspaces.removeAllOfProjects', (db) => ws.removeAllOfProjects(db, [P, 'p2'])],
    ['identity.findProjectById', (db) => identity.findProjectById(db, P)],
    ['identity.listProjects', (db) => identity.listProjects(db, 'd1', 'cn-north-4')],
    ['identity.insertUser', (db) => identity.insertUser(db, user)],
    ['identity.findUsers', (db) => identity.findUsers(db, 'd1', ['u1'], ['bob', 'eve'])],
    ['identity.findUserByName', (db) => identity.findUserByName(db, 'd1', 'bob')],
    ['identity.findRootUser', (db) => identity.findRootUser(db)],
    ['identity.updateUser', (db) => identity.updateUser(db, 'u1', { enabled: false, description: 'x' })],
    ['identity.lockUser', (db) => identity.lockUser(db, 'u1')],
    ['lockout.find', (db) => lockout.find(db, 'u1')],
    ['lockout.ensure', (db) => lockout.ensure(db, 'u1')],
    ['lockout.findForUpdate', (db) => lockout.findForUpdate(db, 'u1')],
    ['lockout.update', (db) => lockout.update(db, { user_id: 'u1', failures: 2, window_started_at: 1, locked_until: null })],
    ['lockout.clearUnlessLocked', (db) => lockout.clearUnlessLocked(db, 'u1', 5)],
    ['lockout.clear', (db) => lockout.clear(db, 'u1')],
    ['credentials.findAccessKeyWithOwner', (db) => credentials.findAccessKeyWithOwner(db, 'AK1')],
    ['credentials.listDomainAccessKeys', (db) => credentials.listDomainAccessKeys(db, 'd1')],
    ['credentials.findTokenWithOwner', (db) => credentials.findTokenWithOwner(db, 'hash')],
    ['credentials.deleteExpiredTokens', (db) => credentials.deleteExpiredTokens(db, 5)],
    ['accounts.list', (db) => accounts.list(db)],
    ['accounts.list some', (db) => accounts.list(db, ['d1', 'd2'])],
    ['accounts.listProjects', (db) => accounts.listProjects(db, ['d1', 'd2'])],
    ['accounts.listProjects of all', (db) => accounts.listProjects(db)],
    ['accounts.countUsers', (db) => accounts.countUsers(db, ['d1', 'd2'])],
    ['accounts.countUsers of all', (db) => accounts.countUsers(db)],
    ['accounts.setEnabled', (db) => accounts.setEnabled(db, 'd1', false)],
    ['accounts.lockForDeletion', (db) => accounts.lockForDeletion(db, 'd1')],
    ['accounts.deleteAccount', (db) => accounts.deleteAccount(db, 'd1')],
    ['eps.deleteAllOfDomain', (db) => eps.deleteAllOfDomain(db, 'd1')],
    ['eps.list', (db) => eps.list(db, 'd1', { name: 'Dev_%', status: 1 }, { offset: 0, limit: 10 })],
    ['eps.count', (db) => eps.count(db, 'd1', { name: 'dev' })],
    ['quotas.listOverrides', (db) => quotas.listOverrides(db, P, 'w1')],
    ['quotas.upsert', (db) => quotas.upsert(db, P, 'w1', [{ resource: 'r', quota: 5, update_time: 1 }])],
    ['jobs.enqueue', (db) => jobs.enqueue(db, 'workspace.delete', { workspace_id: 'w1' }, 1)],
    ['jobs.claim', (db) => jobs.claim(db, 'worker-1', 5, 1000)],
    ['jobs.renew', (db) => jobs.renew(db, job, 5, 1000)],
    ['jobs.complete', (db) => jobs.complete(db, job, 5)],
    ['jobs.retryLater', (db) => jobs.retryLater(db, job, 'boom', 10, 5)],
    ['jobs.reschedule', (db) => jobs.reschedule(db, job, 20, { workspace_id: 'w1', held_until: 20 }, 5)],
    ['jobs.cancelPending', (db) => jobs.cancelPending(db, 'workspace.delete', () => true)],
    ['jobs.fail', (db) => jobs.fail(db, job, 'boom', 5)],
    ['jobs.purgeFinished', (db) => jobs.purgeFinished(db, 5, 500)],
    ['jobs.countGauged', (db) => jobs.countGauged(db)],
    [
      'testControls.insert',
      (db) =>
        controls.insert(db, {
          id: 'c1',
          kind: 'fault',
          project_id: null,
          workspace_id: null,
          operations: '["ShowWorkspace"]',
          parameters: '{"share":1}',
          remaining: null,
          expires_at: 9,
          created_at: 1,
        }),
    ],
    ['testControls.listActive', (db) => controls.listActive(db, 5, P)],
    ['testControls.listActiveOfKind', (db) => controls.listActiveOfKind(db, 5, 'fault')],
    ['testControls.listForDeletion', (db) => controls.listForDeletion(db, 5, 'deletion_failure', P, 'w1')],
    ['testControls.takeOne', (db) => controls.takeOne(db, 'c1', 5)],
    ['testControls.remove', (db) => controls.remove(db, 'c1')],
    ['testControls.removeAll', (db) => controls.removeAll(db, P)],
    ['testControls.purgeSpent', (db) => controls.purgeSpent(db, 5)],
    ['traces.insert', (db) => traces.insert(db, trace)],
    ['traces.findPosition', (db) => traces.findPosition(db, 'd1', 't1')],
    ['traces.list', (db) => traces.list(db, { domainId: 'd1', projectId: P, from: 1, to: 9 }, 11)],
    [
      'traces.list filtered after a marker',
      (db) =>
        traces.list(
          db,
          { domainId: 'd1', projectId: P, from: 1, to: 9, before: { time: 5, traceId: 't1' }, serviceType: 'IAM', userName: 'root', traceRating: 'warning' },
          11,
        ),
    ],
    ['traces.purgeBefore', (db) => traces.purgeBefore(db, '00000000-0005-0000-0000-000000000000', 1000)],
    ['traces.deleteOfDomain', (db) => traces.deleteOfDomain(db, 'd1')],
  ];
}

async function render(dialect: DialectKind): Promise<string> {
  const { db, take } = recordingDb(dialect);
  const out: string[] = [];
  for (const [name, run] of cases(dialect)) {
    // No rows come back, so a query that insists on one throws: what was sent is what matters.
    await run(db).catch(() => undefined);
    for (const q of take()) {
      // Generated ids differ from run to run.
      const parameters = q.parameters.map((p) => (typeof p === 'string' && /^[0-9a-f]{32}$/.test(p) ? '<id>' : p));
      out.push(`-- ${name}\n${q.sql};\n-- parameters: ${JSON.stringify(parameters)}\n`);
    }
  }
  await db.destroy();
  return out.join('\n');
}

describe('SQL of every repository query', () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    it(`is as pinned for ${dialect}`, async (t) => {
      // A create's count goes to a part picked at random (workspace-count.ts).
      t.mock.method(Math, 'random', () => 0.5);
      const file = path.join(HERE, 'sql', `queries.${dialect}.sql`);
      const actual = await render(dialect);
      if (process.env.UPDATE_SQL_SNAPSHOTS === '1') fs.writeFileSync(file, actual);
      assert.ok(fs.existsSync(file), `${file} is missing: run with UPDATE_SQL_SNAPSHOTS=1`);
      assert.equal(actual, fs.readFileSync(file, 'utf8'));
    });
  }

  it('renders one statement per case at least', async () => {
    const text = await render('sqlite');
    assert.ok(cases('sqlite').every(([name]) => text.includes(`-- ${name}\n`)));
  });
});

describe('PostgreSQL name search with few matches', () => {
  it('materializes exactly the filter it counted', async () => {
    const { db, take } = recordingDb('postgres');
    const ws = createWorkspaceRepository('postgres');
    const filter = { name: 'alp', enterpriseProjectId: 'ep1', accessibleTo: 'u2' };
    await ws.count(db, P, filter).catch(() => undefined);
    await ws.list(db, P, filter, { ...page, matches: 3 });
    const [count, list] = take();
    const counted = /where (.*)$/.exec(count!.sql)![1]!;
    const materialized = /as materialized \(select "w"\."id", "w"\."name", "w"\."update_time", "w"\."status" from "workspaces" as "w" where (.*?)\) select/.exec(list!.sql)![1]!;
    assert.equal(materialized, counted);
    assert.deepEqual(list!.parameters.slice(0, count!.parameters.length), count!.parameters);
  });
});
