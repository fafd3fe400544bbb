// SQLite's narrow copy of workspaces for name searches (src/db/sort-keys.ts) stays equal to the
// columns it copies through random inserts, updates of each column and deletions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { TEST_DB } from './helpers/database.js';
import { startTestServer } from './helpers/server.js';

const SKIP = TEST_DB === 'postgres' ? 'SQLite only: PostgreSQL reads name search hits through pg_trgm and keeps no copy' : false;

const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), name: fc.string({ maxLength: 12 }), time: fc.nat(), status: fc.constantFrom('NORMAL', 'DELETING') }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), name: fc.string({ maxLength: 12 }) }),
  fc.record({ kind: fc.constant('touch' as const), at: fc.nat(), time: fc.nat() }),
  fc.record({ kind: fc.constant('status' as const), at: fc.nat(), status: fc.constantFrom('NORMAL', 'DELETING', 'DELETE_FAILED') }),
  fc.record({ kind: fc.constant('describe' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
);

describe('the sort keys of name searches (SQLite)', { skip: SKIP }, () => {
  it('copy what they copy of every workspace through random changes', async (t) => {
    const srv = await startTestServer();
    t.after(() => srv.close());
    const db = srv.server.db;
    const project = srv.projectId;
    const ids: string[] = [];
    const expectCopy = async (when: string) => {
      const source = await sql`select seq, project_id, name, update_time, status from workspaces order by seq`.execute(db);
      const copy = await sql`select seq, project_id, name, update_time, status from workspace_sort_keys order by seq`.execute(db);
      assert.deepEqual(copy.rows, source.rows, when);
    };
    await expectCopy('at start');
    for (const [i, o] of fc.sample(op, 400).entries()) {
      const id = ids.length > 0 && o.kind !== 'insert' ? ids[o.at % ids.length]! : undefined;
      const where = (q: any) => q.where('project_id', '=', project).where('id', '=', id!);
      if (o.kind === 'insert') {
        const newId = `sk-${i}`;
        await db
          .insertInto('workspaces')
          .values({
            project_id: project, id: newId, name: `${o.name}#${i}`, description: '', owner_id: 'o', owner_name: 'o',
            enterprise_project_id: '0', auth_type: 'public', status: o.status, status_info: '', create_time: o.time, update_time: o.time,
          })
          .execute();
        ids.push(newId);
      } else if (id === undefined) {
        continue;
      } else if (o.kind === 'rename') {
        await where(db.updateTable('workspaces').set({ name: `${o.name}~${i}` })).execute();
      } else if (o.kind === 'touch') {
        await where(db.updateTable('workspaces').set({ update_time: o.time })).execute();
      } else if (o.kind === 'status') {
        await where(db.updateTable('workspaces').set({ status: o.status })).execute();
      } else if (o.kind === 'describe') {
        await where(db.updateTable('workspaces').set({ description: o.text })).execute();
      } else {
        await where(db.deleteFrom('workspaces')).execute();
        ids.splice(ids.indexOf(id), 1);
      }
      if (i % 50 === 49) await expectCopy(`after ${i + 1} changes`);
    }
    await expectCopy('at the end');
  });
});
