import type { Insertable, Selectable } from 'kysely';
import type { DomainTable, Executor, ProjectTable, UserTable } from '../db/types.js';

/** An account as authentication and IAM see it; its description is the operator API's alone. */
export type DomainRow = Omit<Selectable<DomainTable>, 'description'>;
export type ProjectRow = Selectable<ProjectTable>;
/** a project to insert: the description may be left to the column's default */
type NewProjectRow = Insertable<ProjectTable>;

/** An IAM user as the services see it; the table keeps the flags as 0/1. */
export interface User {
  id: string;
  domain_id: string;
  name: string;
  password_hash: string | null;
  description: string;
  is_root: boolean;
  enabled: boolean;
  created_at: number;
}

export type UserPatch = Partial<Pick<User, 'name' | 'password_hash' | 'description' | 'enabled'>>;

function toUser(row: Selectable<UserTable>): User {
  return { ...row, is_root: row.is_root === 1, enabled: row.enabled === 1 };
}

function toUserRow(user: User): Selectable<UserTable> {
  return { ...user, is_root: user.is_root ? 1 : 0, enabled: user.enabled ? 1 : 0 };
}

export type IdentityRepository = ReturnType<typeof createIdentityRepository>;

/** Accounts (domains), their projects and users. */
export function createIdentityRepository() {
  return {
    async insertDomain(db: Executor, row: DomainRow & { description?: string }): Promise<void> {
      await db.insertInto('domains').values(row).execute();
    },

    findDomainById(db: Executor, id: string): Promise<DomainRow | undefined> {
      return db.selectFrom('domains').selectAll().where('id', '=', id).executeTakeFirst();
    },

    findDomainByName(db: Executor, name: string): Promise<DomainRow | undefined> {
      return db.selectFrom('domains').selectAll().where('name', '=', name).executeTakeFirst();
    },

    async insertProject(db: Executor, row: NewProjectRow): Promise<void> {
      await db.insertInto('projects').values(row).execute();
    },

    /** false when the account already has a project of that name */
    async insertProjectUnlessNamed(db: Executor, row: NewProjectRow): Promise<boolean> {
      const result = await db
        .insertInto('projects')
        .values(row)
        .onConflict((oc) => oc.columns(['domain_id', 'name']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },

    /** Accounts (with their root user) lacking a project for one of these regions. */
    async listAccountsWithoutProjects(db: Executor, regions: readonly string[]): Promise<Array<{ domain: DomainRow; root: User }>> {
      const rows = await db
        .selectFrom('domains as d')
        .innerJoin('users as u', (j) => j.onRef('u.domain_id', '=', 'd.id').on('u.is_root', '=', 1))
        .where(
          (eb) =>
            eb
              .selectFrom('projects as p')
              .select((c) => c.fn.countAll().as('n'))
              .whereRef('p.domain_id', '=', 'd.id')
              .where('p.parent_id', 'is', null)
              .where('p.name', 'in', regions),
          '<',
          regions.length,
        )
        .select(['d.id as d_id', 'd.name as d_name', 'd.enabled as d_enabled', 'd.created_at as d_created_at'])
        .selectAll('u')
        .orderBy('d.created_at')
        .execute();
      return rows.map(({ d_id, d_name, d_enabled, d_created_at, ...user }) => ({
        domain: { id: d_id, name: d_name, enabled: d_enabled, created_at: d_created_at },
        root: toUser(user),
      }));
    },

    findProjectById(db: Executor, id: string): Promise<ProjectRow | undefined> {
      return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
    },

    listProjects(db: Executor, domainId: string, name?: string): Promise<ProjectRow[]> {
      let q = db.selectFrom('projects').selectAll().where('domain_id', '=', domainId);
      if (name !== undefined) q = q.where('name', '=', name);
      return q.orderBy('name').execute();
    },

    findProjectByName(db: Executor, domainId: string, name: string): Promise<ProjectRow | undefined> {
      return db
        .selectFrom('projects')
        .selectAll()
        .where('domain_id', '=', domainId)
        .where('name', '=', name)
        .executeTakeFirst();
    },

    async insertUser(db: Executor, user: User): Promise<void> {
      await db.insertInto('users').values(toUserRow(user)).execute();
    },

    async findUserById(db: Executor, id: string): Promise<User | undefined> {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },

    async findUserByName(db: Executor, domainId: string, name: string): Promise<User | undefined> {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('domain_id', '=', domainId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row && toUser(row);
    },

    /** The users of a domain with any of the given ids or names, in one statement. */
    async findUsers(db: Executor, domainId: string, ids: readonly string[], names: readonly string[]): Promise<User[]> {
      if (ids.length === 0 && names.length === 0) return [];
      const rows = await db
        .selectFrom('users')
        .selectAll()
        .where('domain_id', '=', domainId)
        .where((eb) =>
          eb.or([...(ids.length > 0 ? [eb('id', 'in', ids)] : []), ...(names.length > 0 ? [eb('name', 'in', names)] : [])]),
        )
        .execute();
      return rows.map(toUser);
    },

    async findRootUser(db: Executor): Promise<User | undefined> {
      const row = await db.selectFrom('users').selectAll().where('is_root', '=', 1).orderBy('created_at').executeTakeFirst();
      return row && toUser(row);
    },

    async listUsers(db: Executor, domainId: string): Promise<User[]> {
      return (await db.selectFrom('users').selectAll().where('domain_id', '=', domainId).orderBy('name').execute()).map(toUser);
    },

    async updateUser(db: Executor, id: string, patch: UserPatch): Promise<void> {
      const { enabled, ...rest } = patch;
      await db
        .updateTable('users')
        .set(enabled === undefined ? rest : { ...rest, enabled: enabled ? 1 : 0 })
        .where('id', '=', id)
        .execute();
    },

    /** Takes the user's row lock until the transaction ends. */
    async lockUser(db: Executor, id: string): Promise<void> {
      await db.updateTable('users').set((eb) => ({ id: eb.ref('id') })).where('id', '=', id).execute();
    },

    async deleteUser(db: Executor, id: string): Promise<void> {
      await db.deleteFrom('users').where('id', '=', id).execute();
    },
  };
}
