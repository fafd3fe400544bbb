import type { Selectable } from 'kysely';
import type { EnterpriseProjectTable, Executor } from '../db/types.js';

export type EnterpriseProjectRow = Selectable<EnterpriseProjectTable>;

/** "0" is every account's built-in default enterprise project; it has no row. */
export const DEFAULT_ENTERPRISE_PROJECT_ID = '0';
export const DEFAULT_ENTERPRISE_PROJECT_NAME = 'default';
export const EP_ENABLED = 1;
export const EP_DISABLED = 2;

export const enterpriseProjectRepository = {
  findById(db: Executor, domainId: string, id: string): Promise<EnterpriseProjectRow | undefined> {
    return db
      .selectFrom('enterprise_projects')
      .selectAll()
      .where('domain_id', '=', domainId)
      .where('id', '=', id)
      .executeTakeFirst();
  },
};
