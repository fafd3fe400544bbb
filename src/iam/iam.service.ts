import type { ProjectRef } from '../access/principal.js';
import type { Db, Executor } from '../db/types.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { AccessKeyOwner, CredentialRepository, TokenOwner, TokenRow } from './credential.repository.js';
import type { IamEvents } from './iam.events.js';
import type { DomainRow, IdentityRepository, ProjectRow, User } from './identity.repository.js';
import { afterFailure, type FailureOutcome, type LockoutPolicy, type LoginFailureRow } from './login-lockout.js';
import type { LoginLockoutRepository } from './login-lockout.repository.js';
import { verifyPassword } from './password.js';

export type { CredentialOwner } from './credential.repository.js';
export type { DomainRow, User } from './identity.repository.js';
export type { FailureOutcome } from './login-lockout.js';

export type IamService = ReturnType<typeof createIamService>;

/** Not the id of any user, domain or project (ids are never empty): what an unknown user's sign-in looks up. */
export const NO_SUCH_ID = '';

/** What other domains may ask of IAM: look-ups of accounts, projects, users and credentials, and its events. */
export function createIamService(deps: {
  db: Db;
  identity: IdentityRepository;
  credentials: CredentialRepository;
  lockout: LoginLockoutRepository;
  events: IamEvents;
  secrets: Pick<SecretBox, 'open'>;
}) {
  const { db, identity, credentials, lockout, secrets } = deps;
  return {
    events: deps.events.subscribe,

    findDomain: (id: string): Promise<DomainRow | undefined> => identity.findDomainById(db, id),
    findDomainByName: (name: string): Promise<DomainRow | undefined> => identity.findDomainByName(db, name),

    async findProject(id: string): Promise<ProjectRef | undefined> {
      const row = await identity.findProjectById(db, id);
      return row && { id: row.id, domain_id: row.domain_id, name: row.name };
    },
    findProjectByName: (domainId: string, name: string): Promise<ProjectRow | undefined> =>
      identity.findProjectByName(db, domainId, name),
    listProjects: (domainId: string, name?: string): Promise<ProjectRow[]> => identity.listProjects(db, domainId, name),

    findUserById: (id: string): Promise<User | undefined> => identity.findUserById(db, id),
    /**
     * The password is the user's. Costs one scrypt verification whatever the user: one not found
     * (undefined) or without a password is checked against a hash nothing matches.
     */
    checkPassword: (user: User | undefined, password: string): Promise<boolean> =>
      verifyPassword(password, user?.password_hash),
    findUserByName: (domainId: string, name: string): Promise<User | undefined> => identity.findUserByName(db, domainId, name),
    /** The users of a domain named by any of these ids or names, in one look-up. */
    findUsers: (domainId: string, ids: readonly string[], names: readonly string[]): Promise<User[]> =>
      identity.findUsers(db, domainId, ids, names),

    /**
     * The user's failed sign-ins and lock. An unknown user (undefined) is looked up as an id no
     * user has: the same query, so that its answer takes as long.
     */
    findLoginFailures: (userId: string | undefined): Promise<LoginFailureRow | undefined> => lockout.find(db, userId ?? NO_SUCH_ID),

    /**
     * Counts a refused sign-in, in one transaction that holds the user's row (PostgreSQL: FOR
     * UPDATE; SQLite: the write lock its first statement takes), so that concurrent failures on
     * any replica are each counted once and lock the user once. An unknown user is never counted
     * or locked, but goes through the same statements (which find and change no row).
     */
    recordLoginFailure(
      userId: string | undefined,
      now: number,
      policy: LockoutPolicy,
      alsoInTransaction: (trx: Executor, outcome: FailureOutcome) => Promise<void>,
    ): Promise<FailureOutcome> {
      const id = userId ?? NO_SUCH_ID;
      return db.transaction().execute(async (trx) => {
        await lockout.ensure(trx, id);
        const row = await lockout.findForUpdate(trx, id);
        // No row: the user is unknown (or was deleted meanwhile); the update then changes nothing.
        const { next, outcome } = afterFailure(row ?? { user_id: id, failures: 0, window_started_at: now, locked_until: null }, now, policy);
        if (outcome !== 'locked') await lockout.update(trx, next);
        const counted = row ? outcome : 'counted';
        await alsoInTransaction(trx, counted);
        return counted;
      });
    },

    /** After a successful sign-in: its failures are forgotten (but not a lock set meanwhile elsewhere). */
    clearLoginFailures: (userId: string, now: number): Promise<void> => lockout.clearUnlessLocked(db, userId, now),

    /** With the secret key decrypted: the caller (authentication's cache) is the only one to keep it. */
    async findAccessKeyOwner(accessKey: string): Promise<AccessKeyOwner | undefined> {
      const found = await credentials.findAccessKeyWithOwner(db, accessKey);
      return found && { ...found, secret_key: secrets.open(accessKey, found.secret_key) };
    },
    findTokenOwner: (tokenHash: string): Promise<TokenOwner | undefined> => credentials.findTokenWithOwner(db, tokenHash),
    /** Stores a newly issued token, dropping the expired ones on the way; with the caller's writes (its trace). */
    async saveToken(row: TokenRow, alsoInTransaction: (trx: Executor) => Promise<void>): Promise<void> {
      // Housekeeping, before: inside, concurrent sign-ins (PostgreSQL) would wait on each other's deletes.
      await credentials.deleteExpiredTokens(db, row.issued_at);
      await db.transaction().execute(async (trx) => {
        await credentials.insertToken(trx, row);
        await alsoInTransaction(trx);
      });
    },
    async deleteToken(tokenHash: string, alsoInTransaction: (trx: Executor) => Promise<void>): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await credentials.deleteToken(trx, tokenHash);
        await alsoInTransaction(trx);
      });
    },
  };
}
