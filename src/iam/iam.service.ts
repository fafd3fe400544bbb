import type { ProjectRef } from '../access/principal.js';
import type { Db } from '../db/types.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { AccessKeyOwner, CredentialRepository, TokenOwner, TokenRow } from './credential.repository.js';
import type { IamEvents } from './iam.events.js';
import type { DomainRow, IdentityRepository, ProjectRow, User } from './identity.repository.js';
import { verifyPassword } from './password.js';

export type { CredentialOwner } from './credential.repository.js';
export type { DomainRow, User } from './identity.repository.js';

export type IamService = ReturnType<typeof createIamService>;

/** What other domains may ask of IAM: look-ups of accounts, projects, users and credentials, and its events. */
export function createIamService(deps: {
  db: Db;
  identity: IdentityRepository;
  credentials: CredentialRepository;
  events: IamEvents;
  secrets: Pick<SecretBox, 'open'>;
}) {
  const { db, identity, credentials, secrets } = deps;
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

    /** With the secret key decrypted: the caller (authentication's cache) is the only one to keep it. */
    async findAccessKeyOwner(accessKey: string): Promise<AccessKeyOwner | undefined> {
      const found = await credentials.findAccessKeyWithOwner(db, accessKey);
      return found && { ...found, secret_key: secrets.open(accessKey, found.secret_key) };
    },
    findTokenOwner: (tokenHash: string): Promise<TokenOwner | undefined> => credentials.findTokenWithOwner(db, tokenHash),
    /** Stores a newly issued token, dropping the expired ones on the way. */
    async saveToken(row: TokenRow): Promise<void> {
      await credentials.deleteExpiredTokens(db, row.issued_at);
      await credentials.insertToken(db, row);
    },
    deleteToken: (tokenHash: string): Promise<void> => credentials.deleteToken(db, tokenHash),
  };
}
