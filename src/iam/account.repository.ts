import type { Selectable } from 'kysely';
import { lockedForUpdate } from '../db/row-lock.js';
import type { DomainTable, Executor } from '../db/types.js';
import { workspaceCountOf } from '../db/workspace-count.js';

export type AccountRow = Selectable<DomainTable>;

interface AccountProject {
  id: string;
  name: string;
  domain_id: string;
  parent_id: string | null;
  workspace_count: number;
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;

/** The operator's view of accounts (domains): listing, enabling, and deleting all an account owns in IAM. */
export function createAccountRepository() {
  return {
    /** domainIds undefined: every account; oldest first */
    list(db: Executor, domainIds?: readonly string[]): Promise<AccountRow[]> {
      if (domainIds?.length === 0) return Promise.resolve([]);
      let q = db.selectFrom('domains').selectAll();
      if (domainIds !== undefined) q = q.where('id', 'in', domainIds);
      return q.orderBy('created_at').orderBy('name').execute();
    },

    /** The projects of these accounts (undefined: of every account), each account's by name. */
    listProjects(db: Executor, domainIds?: readonly string[]): Promise<AccountProject[]> {
      if (domainIds?.length === 0) return Promise.resolve([]);
      let q = db.selectFrom('projects').select(['id', 'name', 'domain_id', 'parent_id', workspaceCountOf('projects').as('workspace_count')]);
      if (domainIds !== undefined) q = q.where('domain_id', 'in', domainIds);
      return q.orderBy('domain_id').orderBy('name').execute();
    },

    /**
     * Inside the deleting transaction: locks the account and its projects, so that no user,
     * project, enterprise project or workspace joins them meanwhile, and returns the project ids;
     * undefined when the account does not exist (any more).
     */
    async lockForDeletion(db: Executor, domainId: string): Promise<string[] | undefined> {
      const domain = await lockedForUpdate(db, db.selectFrom('domains').select('id').where('id', '=', domainId)).executeTakeFirst();
      const projects = await lockedForUpdate(db, db.selectFrom('projects').select('id').where('domain_id', '=', domainId)).execute();
      return domain && projects.map((p) => p.id);
    },

    /** How many users each of these accounts (undefined: every account) has, through the (domain_id, name) unique index. */
    async countUsers(db: Executor, domainIds?: readonly string[]): Promise<Map<string, number>> {
      if (domainIds?.length === 0) return new Map();
      let q = db.selectFrom('users').select(['domain_id', (eb) => eb.fn.countAll<number | string>().as('n')]);
      if (domainIds !== undefined) q = q.where('domain_id', 'in', domainIds);
      const rows = await q.groupBy('domain_id').execute();
      return new Map(rows.map((r) => [r.domain_id, Number(r.n)]));
    },

    /** false when the account does not exist */
    async setEnabled(db: Executor, domainId: string, enabled: boolean): Promise<boolean> {
      const result = await db
        .updateTable('domains')
        .set({ enabled: enabled ? 1 : 0 })
        .where('id', '=', domainId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /**
     * Deletes the account's tokens, access keys, users, projects and the domain itself, children
     * first; what other modules keep of it must be gone already. False when it did not exist.
     */
    async deleteAccount(db: Executor, domainId: string): Promise<boolean> {
      const users = db.selectFrom('users').select('id').where('domain_id', '=', domainId);
      await db.deleteFrom('tokens').where('user_id', 'in', users).execute();
      await db.deleteFrom('access_keys').where('user_id', 'in', users).execute();
      await db.deleteFrom('users').where('domain_id', '=', domainId).execute();
      await db.deleteFrom('projects').where('domain_id', '=', domainId).execute();
      const result = await db.deleteFrom('domains').where('id', '=', domainId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
