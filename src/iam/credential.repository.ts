import type { Selectable } from 'kysely';
import type { AccessKeyTable, Executor, TokenTable } from '../db/types.js';

export type AccessKeyRow = Selectable<AccessKeyTable>;
export type TokenRow = Selectable<TokenTable>;

/** Who a credential belongs to: what authentication needs to know about its user. */
export interface CredentialOwner {
  user_id: string;
  user_name: string;
  domain_id: string;
  domain_name: string;
  is_root: boolean;
  /** the user and its account are enabled: a disabled account's credentials all stop working */
  enabled: boolean;
}

export type TokenOwner = CredentialOwner & { project_id: string | null; expires_at: number };
export type AccessKeyOwner = CredentialOwner & { secret_key: string; status: string };

function withOwner(db: Executor) {
  return db
    .selectFrom('users')
    .innerJoin('domains', 'domains.id', 'users.domain_id')
    .select([
      'users.id as user_id',
      'users.name as user_name',
      'users.domain_id as domain_id',
      'domains.name as domain_name',
      'users.is_root as is_root',
      'users.enabled as enabled',
      'domains.enabled as domain_enabled',
    ]);
}

function owned<T extends { is_root: number; enabled: number; domain_enabled: number }>(row: T | undefined) {
  if (!row) return undefined;
  const { domain_enabled, ...rest } = row;
  return { ...rest, is_root: row.is_root === 1, enabled: row.enabled === 1 && domain_enabled === 1 };
}

export type CredentialRepository = ReturnType<typeof createCredentialRepository>;

/** Permanent access keys and issued tokens (stored as hashes). */
export function createCredentialRepository() {
  return {
    async insertAccessKey(db: Executor, row: AccessKeyRow): Promise<void> {
      await db.insertInto('access_keys').values(row).execute();
    },

    findAccessKey(db: Executor, accessKey: string): Promise<AccessKeyRow | undefined> {
      return db.selectFrom('access_keys').selectAll().where('access_key', '=', accessKey).executeTakeFirst();
    },

    async findAccessKeyWithOwner(db: Executor, accessKey: string): Promise<AccessKeyOwner | undefined> {
      return owned(
        await withOwner(db)
          .innerJoin('access_keys', 'access_keys.user_id', 'users.id')
          .select(['access_keys.secret_key as secret_key', 'access_keys.status as status'])
          .where('access_keys.access_key', '=', accessKey)
          .executeTakeFirst(),
      );
    },

    listAccessKeys(db: Executor, userIds: readonly string[]): Promise<AccessKeyRow[]> {
      if (userIds.length === 0) return Promise.resolve([]);
      return db.selectFrom('access_keys').selectAll().where('user_id', 'in', userIds).orderBy('created_at').execute();
    },

    /** The keys of every user of a domain, in one statement. */
    listDomainAccessKeys(db: Executor, domainId: string): Promise<AccessKeyRow[]> {
      return db
        .selectFrom('access_keys')
        .innerJoin('users', 'users.id', 'access_keys.user_id')
        .selectAll('access_keys')
        .where('users.domain_id', '=', domainId)
        .orderBy('access_keys.created_at')
        .execute();
    },

    async updateAccessKey(db: Executor, accessKey: string, patch: Partial<Pick<AccessKeyRow, 'status' | 'description'>>) {
      await db.updateTable('access_keys').set(patch).where('access_key', '=', accessKey).execute();
    },

    async deleteUserAccessKeys(db: Executor, userId: string): Promise<void> {
      await db.deleteFrom('access_keys').where('user_id', '=', userId).execute();
    },

    async deleteAccessKey(db: Executor, accessKey: string): Promise<void> {
      await db.deleteFrom('access_keys').where('access_key', '=', accessKey).execute();
    },

    async insertToken(db: Executor, row: TokenRow): Promise<void> {
      await db.insertInto('tokens').values(row).execute();
    },

    async findTokenWithOwner(db: Executor, tokenHash: string): Promise<TokenOwner | undefined> {
      return owned(
        await withOwner(db)
          .innerJoin('tokens', 'tokens.user_id', 'users.id')
          .select(['tokens.project_id as project_id', 'tokens.expires_at as expires_at'])
          .where('tokens.token_hash', '=', tokenHash)
          .executeTakeFirst(),
      );
    },

    async deleteToken(db: Executor, tokenHash: string): Promise<void> {
      await db.deleteFrom('tokens').where('token_hash', '=', tokenHash).execute();
    },

    async deleteExpiredTokens(db: Executor, now: number): Promise<void> {
      await db.deleteFrom('tokens').where('expires_at', '<', now).execute();
    },

    async deleteUserTokens(db: Executor, userId: string): Promise<void> {
      await db.deleteFrom('tokens').where('user_id', '=', userId).execute();
    },
  };
}
