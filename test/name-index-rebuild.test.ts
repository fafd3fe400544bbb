import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, type TestContext, test } from 'node:test';
import { type Kysely, Migrator, sql } from 'kysely';
import { connectDb } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import * as init from '../src/db/migrations/0001-init.js';
import * as nameSearch from '../src/db/migrations/0002-name-search.js';
import * as workspaceSeq from '../src/db/migrations/0004-workspace-seq.js';
import { createWorkspaceNameIndex } from '../src/db/name-index.js';
import { createWorkspaceSortKeys } from '../src/db/sort-keys.js';
import { createStoredSummaries, dropEnterpriseProjectTriggers } from '../src/db/stored-summary.js';
import type { DB } from '../src/db/types.js';
import { isUniqueViolation } from '../src/db/unique-violation.js';
import { createWorkspaceRepository } from '../src/workspaces/workspace.repository.js';
import { TEST_DB } from './helpers/database.js';
import { addProject, ok, pageNames } from './helpers/fixtures.js';
import { eventually, startTestServer, type TestServer } from './helpers/server.js';

/** Not the rowid order: the ids are random. */
const COPY_ORDER = sql.raw('id DESC, project_id DESC');

/**
 * Changes workspaces the way SQLite prescribes for what ALTER TABLE cannot do, as a later
 * migration would: foreign keys off outside the transaction; create the new table, copy every
 * column, drop, rename; recreate the indexes and the triggers (name index, stored summaries, sort keys); check the foreign
 * keys; commit. The rows are copied in another order than their rowids', so a table whose rowid
 * is hidden (not a declared column, hence not copied) gets them renumbered.
 */
async function rebuildWorkspaces(db: Kysely<any>): Promise<void> {
  const schema = await sql<{ type: string; sql: string }>`
    select type, sql from sqlite_schema where tbl_name = 'workspaces' and type in ('table', 'index') and sql is not null`.execute(db);
  const table = schema.rows.find((r) => r.type === 'table')!.sql;
  const indexes = schema.rows.filter((r) => r.type === 'index').map((r) => r.sql);
  assert.ok(indexes.length > 0);
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql.raw(table.replace(/^create table "?workspaces"?/i, 'CREATE TABLE workspaces_new')).execute(trx);
      await sql`INSERT INTO workspaces_new SELECT * FROM workspaces ORDER BY ${COPY_ORDER}`.execute(trx);
      await dropEnterpriseProjectTriggers(trx);
      await sql`DROP TABLE workspaces`.execute(trx);
      await sql`ALTER TABLE workspaces_new RENAME TO workspaces`.execute(trx);
      for (const index of indexes) await sql.raw(index).execute(trx);
      await createWorkspaceNameIndex(trx);
      await createStoredSummaries(trx);
      await createWorkspaceSortKeys(trx);
      assert.deepEqual((await sql`PRAGMA foreign_key_check`.execute(trx)).rows, []);
    });
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

async function rowids(db: Kysely<any>): Promise<Map<string, number>> {
  const result = await sql<{ r: number; project_id: string; id: string }>`select rowid as r, project_id, id from workspaces`.execute(db);
  return new Map(result.rows.map((row) => [`${row.project_id}/${row.id}`, row.r]));
}

/** How many rows a copy in COPY_ORDER would renumber if it did not copy the rowid. */
async function renumberedByCopy(db: Kysely<any>): Promise<{ renumbered: number; rows: number }> {
  const result = await sql<{ r: number }>`select rowid as r from workspaces order by ${COPY_ORDER}`.execute(db);
  const renumbered = result.rows.filter((row, i) => row.r !== i + 1).length;
  return { renumbered, rows: result.rows.length };
}

/** The trigram index agrees with workspaces (rank 1: checked against the content table too). */
async function assertIndexMatchesTable(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO workspaces_name_fts (workspaces_name_fts, rank) VALUES ('integrity-check', 1)`.execute(db);
}

const SKIP = TEST_DB === 'postgres' ? 'SQLite only: PostgreSQL has no rowid and indexes the name column itself' : false;

/** A project, its token, and the names of its workspaces by id: what the searches must find. */
type Project = { id: string; token: string; names: Map<string, string> };

describe('name search after workspaces is rebuilt (SQLite)', { skip: SKIP }, () => {
  let srv: TestServer;
  const projects: Project[] = [];
  const TERMS = ['sales', 'SALES', 'east', 'lab', 'research_lab', 'vision', 'default', 'zzz'];

  const create = async (project: Project, name: string) => {
    const body = ok(await srv.api('POST', `/v1/${project.id}/workspaces`, { token: project.token, body: { name } }));
    project.names.set(body.id, name);
  };

  const search = async (project: Project, term: string) => {
    const path = `/v1/${project.id}/workspaces?name=${encodeURIComponent(term)}&sort_by=name&order=asc`;
    const body = ok(await srv.api('GET', path, { token: project.token }));
    assert.equal(body.total_count, body.count, path);
    return body.workspaces.map((w: { name: string }) => w.name).sort();
  };

  /** Every term in every project, including each project's own tags searched in the other projects. */
  const assertSearchesRight = async () => {
    const terms = [...TERMS, ...projects.flatMap((p) => [...p.names.values()])];
    for (const project of projects) {
      for (const term of terms) {
        const expected = [...project.names.values()].filter((n) => n.toLowerCase().includes(term.toLowerCase())).sort();
        assert.deepEqual(await search(project, term), expected, `project ${project.id}, term ${term}`);
      }
    }
  };

  before(async () => {
    srv = await startTestServer();
    const extra = [await addProject(srv), await addProject(srv)];
    const all = [{ id: srv.projectId, name: srv.projectName }, ...extra];
    for (const [i, { id, name }] of all.entries()) {
      // every project has its default workspace; those added here have the same id '0'
      const project: Project = { id, token: await srv.login(srv.root, name), names: new Map() };
      for (const w of ok(await srv.api('GET', `/v1/${id}/workspaces`, { token: project.token })).workspaces) project.names.set(w.id, w.name);
      projects.push(project);
      const tag = 'abc'[i];
      for (const name of [`sales-${tag}-east`, `Sales-${tag}-west`, `vision-${tag}`, `speech-lab-${tag}`, `Research_Lab_${tag}`, `east-${tag}`]) {
        await create(project, name);
      }
    }
  });
  after(() => srv?.close());

  test('searches are right before the rebuild', assertSearchesRight);

  test('after a rebuild that copies the rows in another order', async () => {
    const db = srv.server.db;
    const { renumbered, rows } = await renumberedByCopy(db);
    assert.ok(renumbered > rows / 2, `a copy without the rowid would renumber only ${renumbered} of ${rows} rows`);
    const before = await rowids(db);
    await rebuildWorkspaces(db);
    await assertSearchesRight();
    await assertIndexMatchesTable(db);
    // Why they are right: the rowid is a declared column (seq), so the copy kept it.
    assert.deepEqual(await rowids(db), before);
  });

  test('later inserts, renames and deletions keep the index right', async () => {
    const [a, b, c] = projects as [Project, Project, Project];
    await create(a, 'sales-a-north');
    await create(c, 'vision-lab-c2');
    const renamed = [...b.names].find(([, name]) => name === 'vision-b')![0];
    ok(await srv.api('PUT', `/v1/${b.id}/workspaces/${renamed}`, { token: b.token, body: { name: 'east-sales-b2' } }));
    b.names.set(renamed, 'east-sales-b2');
    const deleted = [...c.names].find(([, name]) => name === 'sales-c-east')![0];
    ok(await srv.api('DELETE', `/v1/${c.id}/workspaces/${deleted}`, { token: c.token }));
    // deletion finishes in a background job; afterwards the workspace is unknown (400)
    await eventually(async () => (await srv.api('GET', `/v1/${c.id}/workspaces/${deleted}`, { token: c.token })).status === 400 || undefined);
    c.names.delete(deleted);
    await assertSearchesRight();
    await assertIndexMatchesTable(srv.server.db);
  });

  test('after VACUUM', async () => {
    await sql`VACUUM`.execute(srv.server.db);
    await assertSearchesRight();
    await assertIndexMatchesTable(srv.server.db);
  });
});

describe('migrating a database of 0002 to seq (SQLite)', { skip: SKIP }, () => {
  const NAMES: Readonly<Record<string, readonly string[]>> = { p1: ['sales-east', 'doomed', 'Sales-West', 'vision'], p2: ['vision-sales', 'speech', 'east'] };

  /** A database at 0002 with workspaces of two projects, grants and quotas, and a gap in the rowids. */
  async function databaseAt0002(t: TestContext): Promise<Kysely<DB>> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maws-workspace-seq-'));
    const db = connectDb({ kind: 'sqlite', file: path.join(dir, 'maws.db'), mmapBytes: 0 });
    t.after(async () => {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const before0004 = new Migrator({
      db,
      provider: { getMigrations: async () => ({ '0001-init': init, '0002-name-search': nameSearch }) },
      migrationTableName: 'maws_migrations',
      migrationLockTableName: 'maws_migrations_lock',
    });
    assert.equal((await before0004.migrateToLatest()).error, undefined);
    const now = Date.now();
    await db.insertInto('domains').values({ id: 'd', name: 'd', created_at: now } as never).execute();
    for (const project of Object.keys(NAMES)) {
      await db.insertInto('projects').values({ id: project, domain_id: 'd', name: project, workspace_count: 0, created_at: now } as never).execute();
    }
    // Interleaved, with the same ids in both projects: only (project_id, id) tells the rows apart.
    for (let i = 0; i < 4; i++) {
      for (const [project, list] of Object.entries(NAMES)) {
        if (i >= list.length) continue;
        await db.insertInto('workspaces').values({
          project_id: project, id: `w${i}`, name: list[i]!, description: `${project} ${i}`, owner_id: 'u', owner_name: 'u',
          enterprise_project_id: '0', auth_type: i === 0 ? 'internal' : 'public', status: 'NORMAL', status_info: '', create_time: now + i, update_time: now + 10 * i,
        }).execute();
      }
    }
    await db.insertInto('workspace_grants').values([0, 1].map((position) => ({
      project_id: 'p1', workspace_id: 'w0', position, user_id: `u${position}`, user_name: `user${position}`, user_type: 'IAM',
    }))).execute();
    await db.insertInto('workspace_quotas').values({ project_id: 'p2', workspace_id: 'w1', resource: 'gpu', quota: 4, update_time: now }).execute();
    await db.deleteFrom('workspaces').where('project_id', '=', 'p1').where('name', '=', 'doomed').execute();
    return db;
  }

  // Column lists, not *: the connection caches statements with their column names, and 0004 adds one.
  const WORKSPACE_COLUMNS = sql.raw(
    'project_id, id, name, description, owner_id, owner_name, enterprise_project_id, auth_type, status, status_info, create_time, update_time',
  );
  const everything = async (db: Kysely<any>) => ({
    workspaces: (await sql`select ${WORKSPACE_COLUMNS} from workspaces order by project_id, id`.execute(db)).rows,
    grants: (await sql`select * from workspace_grants order by project_id, workspace_id, position`.execute(db)).rows,
    quotas: (await sql`select * from workspace_quotas order by project_id, workspace_id, resource`.execute(db)).rows,
  });

  test('every row keeps its data, grants and quotas and takes a seq in name order; names are found through the new index', async (t) => {
    const db = await databaseAt0002(t);
    const before = await everything(db);
    await migrateToLatest(db);

    const after = await everything(db);
    assert.deepEqual(after.grants, before.grants);
    assert.deepEqual(after.quotas, before.quotas);
    assert.deepEqual(after.workspaces, before.workspaces, 'the same rows');
    // 0004 made seq the rowid; 0012 put it in (project_id, name) order.
    const seqs = await sql<{ seq: number; r: number }>`select seq, rowid as r from workspaces order by project_id, name`.execute(db);
    assert.equal(seqs.rows.length, before.workspaces.length);
    assert.ok(seqs.rows.every((row, i) => row.seq === row.r && (i === 0 || row.seq > seqs.rows[i - 1]!.seq)), 'seq is the rowid, in name order');
    assert.deepEqual((await sql`select broken from workspace_seq_order`.execute(db)).rows, [{ broken: 0 }]);
    assert.deepEqual((await sql`PRAGMA foreign_keys`.execute(db)).rows, [{ foreign_keys: 1 }]);
    assert.deepEqual((await sql`PRAGMA foreign_key_check`.execute(db)).rows, []);

    const repository = createWorkspaceRepository('sqlite');
    const page = { sortBy: 'name' as const, order: 'asc' as const, limit: 100, skip: 0 };
    for (const [project, list] of Object.entries(NAMES)) {
      for (const term of ['sales', 'SALES', 'east', 'vision', 'speech', 'doomed', 'zzz']) {
        const expected = list.filter((n) => n !== 'doomed' && n.toLowerCase().includes(term.toLowerCase())).sort();
        assert.deepEqual(pageNames(await repository.list(db, project, { name: term }, page)), expected, `${project} ${term}`);
        assert.equal(await repository.count(db, project, { name: term }), expected.length, `${project} ${term}`);
      }
    }
    await assertIndexMatchesTable(db);

    const schema = await sql<{ type: string; name: string; sql: string | null }>`
      select type, name, sql from sqlite_schema where tbl_name in ('workspaces', 'workspaces_name_fts') order by type, name`.execute(db);
    const named = (type: string) => schema.rows.filter((r) => r.type === type && r.sql !== null).map((r) => r.name);
    assert.deepEqual(named('index'), ['workspaces_project_ep', 'workspaces_project_name_summary', 'workspaces_project_status', 'workspaces_project_update']);
    assert.deepEqual(named('trigger'), [
      'workspace_sort_keys_delete',
      'workspace_sort_keys_insert',
      'workspace_sort_keys_update',
      'workspaces_name_fts_delete',
      'workspaces_name_fts_insert',
      'workspaces_name_fts_update',
      'workspaces_seq_order_insert',
      'workspaces_seq_order_update',
      'workspaces_summary_insert',
      'workspaces_summary_update',
    ]);
    assert.match(schema.rows.find((r) => r.name === 'workspaces')!.sql!, /\bseq integer primary key\b/i);
    // 0009 wrote the stored summaries of the rows that were there.
    const { rows: lacking } = await sql<{ n: number }>`select count(*) as n from workspaces where summary is null`.execute(db);
    assert.deepEqual(lacking, [{ n: 0 }]);
    // 0010 copied their sort keys.
    const { rows: copied } = await sql<{ n: number }>`
      select count(*) as n from workspaces w join workspace_sort_keys k on k.seq = w.seq
      and k.project_id = w.project_id and k.name = w.name and k.update_time = w.update_time and k.status = w.status`.execute(db);
    const { rows: all } = await sql<{ n: number }>`select count(*) as n from workspaces`.execute(db);
    assert.deepEqual(copied, all);
    assert.match(schema.rows.find((r) => r.name === 'workspaces_name_fts')!.sql!, /content_rowid='seq'/);
  });

  test('(project_id, id) stays unique and the parent of grants and quotas', async (t) => {
    const db = await databaseAt0002(t);
    await migrateToLatest(db);
    const [row] = (await sql<any>`select * from workspaces where project_id = 'p1' and id = 'w0'`.execute(db)).rows;
    delete row.seq;
    await assert.rejects(db.insertInto('workspaces').values({ ...row, name: 'another-name' }).execute(), isUniqueViolation);
    await assert.rejects(db.insertInto('workspace_quotas').values({ project_id: 'p1', workspace_id: 'nope', resource: 'gpu', quota: 1, update_time: 1 }).execute(), /FOREIGN KEY/);
    await db.deleteFrom('workspaces').where('project_id', '=', 'p1').where('id', '=', 'w0').execute();
    assert.deepEqual((await sql`select * from workspace_grants`.execute(db)).rows, [], 'deleted by cascade');
    await assertIndexMatchesTable(db);
  });

  test('refuses to run inside a transaction, where dropping workspaces would cascade to grants and quotas', async (t) => {
    const db = await databaseAt0002(t);
    const before = await everything(db);
    await assert.rejects(db.transaction().execute((trx) => workspaceSeq.up(trx as Kysely<any>)), /outside a transaction/);
    assert.deepEqual(await everything(db), before);
    assert.deepEqual((await sql`PRAGMA foreign_keys`.execute(db)).rows, [{ foreign_keys: 1 }]);
  });
});
