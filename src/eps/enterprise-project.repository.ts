import { type Expression, type ExpressionBuilder, type Selectable, type SqlBool, sql } from 'kysely';
import { escapeLike } from '../db/dialect.js';
import type { DB, EnterpriseProjectTable, Executor } from '../db/types.js';

export type EnterpriseProjectRow = Selectable<EnterpriseProjectTable>;

export interface EnterpriseProjectFilter {
  /** case-insensitive substring of the name */
  name?: string;
  status?: number;
}

function matching(
  eb: ExpressionBuilder<DB, 'enterprise_projects'>,
  domainId: string,
  filter: EnterpriseProjectFilter,
): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [eb('domain_id', '=', domainId)];
  if (filter.name !== undefined) {
    // lower() on both sides: SQLite's LIKE ignores ASCII case but PostgreSQL's does not.
    const pattern = `%${escapeLike(filter.name.toLowerCase())}%`;
    conditions.push(sql<SqlBool>`lower(${eb.ref('name')}) like ${pattern} escape '\\'`);
  }
  if (filter.status !== undefined) conditions.push(eb('status', '=', filter.status));
  return eb.and(conditions);
}

export type EnterpriseProjectRepository = ReturnType<typeof createEnterpriseProjectRepository>;

export function createEnterpriseProjectRepository() {
  return {
    findById(db: Executor, domainId: string, id: string): Promise<EnterpriseProjectRow | undefined> {
      return db
        .selectFrom('enterprise_projects')
        .selectAll()
        .where('domain_id', '=', domainId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    findByName(db: Executor, domainId: string, name: string): Promise<EnterpriseProjectRow | undefined> {
      return db
        .selectFrom('enterprise_projects')
        .selectAll()
        .where('domain_id', '=', domainId)
        .where('name', '=', name)
        .executeTakeFirst();
    },

    async deleteAllOfDomain(db: Executor, domainId: string): Promise<void> {
      await db.deleteFrom('enterprise_projects').where('domain_id', '=', domainId).execute();
    },

    async insert(db: Executor, row: EnterpriseProjectRow): Promise<void> {
      await db.insertInto('enterprise_projects').values(row).execute();
    },

    /** Newest first; names are unique per domain, so the name tie-break makes the order total. */
    list(
      db: Executor,
      domainId: string,
      filter: EnterpriseProjectFilter,
      page: { offset: number; limit: number },
    ): Promise<EnterpriseProjectRow[]> {
      return db
        .selectFrom('enterprise_projects')
        .selectAll()
        .where((eb) => matching(eb, domainId, filter))
        .orderBy('created_at', 'desc')
        .orderBy('name', 'asc')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
    },

    async count(db: Executor, domainId: string, filter: EnterpriseProjectFilter): Promise<number> {
      const row = await db
        .selectFrom('enterprise_projects')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where((eb) => matching(eb, domainId, filter))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async update(
      db: Executor,
      domainId: string,
      id: string,
      patch: Partial<Pick<EnterpriseProjectRow, 'name' | 'description' | 'status' | 'updated_at'>>,
    ): Promise<void> {
      await db
        .updateTable('enterprise_projects')
        .set(patch)
        .where('domain_id', '=', domainId)
        .where('id', '=', id)
        .execute();
    },
  };
}
