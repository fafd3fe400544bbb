import type { Selectable } from 'kysely';
import type { DomainTable, Executor, ProjectTable, UserTable } from '../db/types.js';

export type DomainRow = Selectable<DomainTable>;
export type ProjectRow = Selectable<ProjectTable>;
/** What never changes about a project: enough to check who may use it. */
export type ProjectRef = Pick<ProjectRow, 'id' | 'domain_id' | 'name'>;
export type UserRow = Selectable<UserTable>;

export const identityRepository = {
  async insertDomain(db: Executor, row: DomainRow): Promise<void> {
    await db.insertInto('domains').values(row).execute();
  },

  findDomainById(db: Executor, id: string): Promise<DomainRow | undefined> {
    return db.selectFrom('domains').selectAll().where('id', '=', id).executeTakeFirst();
  },

  findDomainByName(db: Executor, name: string): Promise<DomainRow | undefined> {
    return db.selectFrom('domains').selectAll().where('name', '=', name).executeTakeFirst();
  },

  async insertProject(db: Executor, row: ProjectRow): Promise<void> {
    await db.insertInto('projects').values(row).execute();
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

  async insertUser(db: Executor, row: UserRow): Promise<void> {
    await db.insertInto('users').values(row).execute();
  },

  findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },

  findUserByName(db: Executor, domainId: string, name: string): Promise<UserRow | undefined> {
    return db
      .selectFrom('users')
      .selectAll()
      .where('domain_id', '=', domainId)
      .where('name', '=', name)
      .executeTakeFirst();
  },

  findRootUser(db: Executor): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('is_root', '=', 1).orderBy('created_at').executeTakeFirst();
  },

  listUsers(db: Executor, domainId: string): Promise<UserRow[]> {
    return db.selectFrom('users').selectAll().where('domain_id', '=', domainId).orderBy('name').execute();
  },

  async updateUser(
    db: Executor,
    id: string,
    patch: Partial<Pick<UserRow, 'name' | 'password_hash' | 'description' | 'enabled'>>,
  ): Promise<void> {
    await db.updateTable('users').set(patch).where('id', '=', id).execute();
  },

  /** Takes the user's row lock until the transaction ends. */
  async lockUser(db: Executor, id: string): Promise<void> {
    await db.updateTable('users').set((eb) => ({ id: eb.ref('id') })).where('id', '=', id).execute();
  },

  async deleteUser(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('users').where('id', '=', id).execute();
  },
};
