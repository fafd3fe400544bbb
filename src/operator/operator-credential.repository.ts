import type { Executor } from '../db/types.js';

const NAME = 'operator';

export function createOperatorCredentialRepository() {
  return {
    async findHash(db: Executor): Promise<string | undefined> {
      const row = await db.selectFrom('operator_credentials').select('secret_hash').where('name', '=', NAME).executeTakeFirst();
      return row?.secret_hash;
    },

    /** Keeps an existing hash unless replace is set; true when this call wrote it. */
    async saveHash(db: Executor, hash: string, updatedAt: number, replace: boolean): Promise<boolean> {
      const result = await db
        .insertInto('operator_credentials')
        .values({ name: NAME, secret_hash: hash, updated_at: updatedAt })
        .onConflict((oc) => (replace ? oc.column('name').doUpdateSet({ secret_hash: hash, updated_at: updatedAt }) : oc.column('name').doNothing()))
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
  };
}
