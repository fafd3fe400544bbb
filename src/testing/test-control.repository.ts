import type { Selectable } from 'kysely';
import type { Executor, TestControlTable } from '../db/types.js';

export type TestControlRow = Selectable<TestControlTable>;
export type ControlKind = 'deletion_failure' | 'deletion_hold' | 'fault';

export type TestControlRepository = ReturnType<typeof createTestControlRepository>;

/** The test_controls table. A row is active while it has not expired and has uses left (remaining null: no limit). */
export function createTestControlRepository() {
  function active(db: Executor, now: number) {
    return db
      .selectFrom('test_controls')
      .selectAll()
      .where('expires_at', '>', now)
      .where((eb) => eb.or([eb('remaining', 'is', null), eb('remaining', '>', 0)]));
  }

  return {
    async insert(db: Executor, row: TestControlRow): Promise<void> {
      await db.insertInto('test_controls').values(row).execute();
    },

    /** Active controls, oldest first; only those of one project (and the project-wide faults are not among them) when given. */
    listActive(db: Executor, now: number, projectId?: string): Promise<TestControlRow[]> {
      let q = active(db, now);
      if (projectId !== undefined) q = q.where('project_id', '=', projectId);
      return q.orderBy('created_at').orderBy('id').execute();
    },

    listActiveOfKind(db: Executor, now: number, kind: ControlKind): Promise<TestControlRow[]> {
      return active(db, now).where('kind', '=', kind).orderBy('created_at').orderBy('id').execute();
    },

    /** Active deletion controls for this workspace or its whole project, oldest first. */
    listForDeletion(db: Executor, now: number, kind: ControlKind, projectId: string, workspaceId: string): Promise<TestControlRow[]> {
      return active(db, now)
        .where('kind', '=', kind)
        .where('project_id', '=', projectId)
        .where((eb) => eb.or([eb('workspace_id', '=', workspaceId), eb('workspace_id', 'is', null)]))
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /** Takes one use; false when none is left or the control expired (another replica may have taken the last). */
    async takeOne(db: Executor, id: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('test_controls')
        .set((eb) => ({ remaining: eb('remaining', '-', 1) }))
        .where('id', '=', id)
        .where('remaining', '>', 0)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async remove(db: Executor, id: string): Promise<boolean> {
      const result = await db.deleteFrom('test_controls').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Every control, or those of one project; how many. */
    async removeAll(db: Executor, projectId?: string): Promise<number> {
      let q = db.deleteFrom('test_controls');
      if (projectId !== undefined) q = q.where('project_id', '=', projectId);
      return Number((await q.executeTakeFirst()).numDeletedRows);
    },

    /** Expired and used-up controls, which nothing reads any more. */
    async purgeSpent(db: Executor, now: number): Promise<void> {
      await db
        .deleteFrom('test_controls')
        .where((eb) => eb.or([eb('expires_at', '<=', now), eb('remaining', '=', 0)]))
        .execute();
    },
  };
}
