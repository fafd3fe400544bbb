import { type ChangeTrace, tracedChange } from '../audit/change-trace.js';
import { iamForbidden, requireRoot } from '../access/permissions.js';
import type { Principal } from '../access/principal.js';
import { uniqueOr } from '../db/unique-violation.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import type { CredentialRepository } from './credential.repository.js';
import type { IamEvents } from './iam.events.js';
import type { IdentityRepository, User, UserPatch } from './identity.repository.js';
import type { LoginLockoutRepository } from './login-lockout.repository.js';
import { hashPassword, passwordProblem } from './password.js';
import type { CreateUserBody, UpdateUserBody, UserList, UserView } from './user.schemas.js';

interface UserServiceDeps {
  db: Db;
  identity: IdentityRepository;
  credentials: CredentialRepository;
  lockout: LoginLockoutRepository;
  events: IamEvents;
  now: () => number;
}

export type UserService = ReturnType<typeof createUserService>;

/** The wire shape: never the password hash. */
function toUserView(row: User): UserView {
  return {
    id: row.id,
    name: row.name,
    domain_id: row.domain_id,
    description: row.description,
    enabled: row.enabled,
    is_root: row.is_root,
    created_at: new Date(row.created_at).toISOString(),
  };
}

function userNotFound(id: string): AppError {
  return new AppError('iam_not_found', `Could not find user: ${id}.`);
}

function nameTaken(name: string): AppError {
  return new AppError('iam_conflict', `user name ${name} already exists`);
}

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new AppError('iam_invalid_parameter', problem);
}

export function createUserService(deps: UserServiceDeps) {
  const { db, identity, credentials, lockout, events, now } = deps;

  /** A user of the caller's domain; another domain's users do not exist for the caller. */
  async function findInDomain(principal: Principal, id: string): Promise<User> {
    const user = await identity.findUserById(db, id);
    if (!user || user.domain_id !== principal.domainId) throw userNotFound(id);
    return user;
  }

  return {
    async create(principal: Principal, body: CreateUserBody, trace: ChangeTrace): Promise<UserView> {
      requireRoot(principal, 'iam:users:createUser');
      const input = body.user;
      if (input.domain_id !== undefined && input.domain_id !== principal.domainId) {
        throw new AppError('iam_invalid_parameter', "domain_id must be the caller's domain");
      }
      checkPassword(input.password);
      if (await identity.findUserByName(db, principal.domainId, input.name)) throw nameTaken(input.name);
      const row: User = {
        id: newId(),
        domain_id: principal.domainId,
        name: input.name,
        password_hash: await hashPassword(input.password),
        description: input.description ?? '',
        is_root: false,
        enabled: input.enabled !== false,
        created_at: now(),
      };
      const view = toUserView(row);
      await uniqueOr(
        () => tracedChange(db, trace, (trx) => identity.insertUser(trx, row), () => ({ resourceId: row.id, resourceName: row.name, response: { user: view } })),
        () => nameTaken(input.name),
      );
      return view;
    },

    async list(principal: Principal, name: string | undefined): Promise<UserList> {
      requireRoot(principal, 'iam:users:listUsers');
      const rows =
        name === undefined
          ? await identity.listUsers(db, principal.domainId)
          : [await identity.findUserByName(db, principal.domainId, name)].filter((u) => u !== undefined);
      return { users: rows.map(toUserView) };
    },

    async show(principal: Principal, id: string): Promise<UserView> {
      if (!principal.isRoot && id !== principal.userId) throw iamForbidden('iam:users:getUser');
      return toUserView(await findInDomain(principal, id));
    },

    async update(principal: Principal, id: string, body: UpdateUserBody, trace: ChangeTrace): Promise<UserView> {
      requireRoot(principal, 'iam:users:updateUser');
      const user = await findInDomain(principal, id);
      const input = body.user;
      const renames = input.name !== undefined && input.name !== user.name;
      if (user.is_root) {
        if (input.enabled === false) throw new AppError('iam_invalid_parameter', 'the root user cannot be disabled');
        if (renames) throw new AppError('iam_invalid_parameter', 'the root user cannot be renamed');
      }
      if (input.password !== undefined) checkPassword(input.password);
      if (renames && (await identity.findUserByName(db, principal.domainId, input.name!))) {
        throw nameTaken(input.name!);
      }
      const patch: UserPatch = {};
      if (renames) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (input.enabled !== undefined) patch.enabled = input.enabled;
      if (input.password !== undefined) patch.password_hash = await hashPassword(input.password);
      // A new password or a disabled user invalidates every token issued before.
      const revokeTokens = input.password !== undefined || input.enabled === false;
      await uniqueOr(
        () =>
          db.transaction().execute(async (trx) => {
            if (Object.keys(patch).length > 0) await identity.updateUser(trx, id, patch);
            if (revokeTokens) await credentials.deleteUserTokens(trx, id);
            const { password_hash: _, ...changed } = patch;
            await trace.record(trx, { resourceName: patch.name ?? user.name, response: { user: toUserView({ ...user, ...changed }) } });
          }),
        () => nameTaken(input.name ?? user.name),
      );
      if (revokeTokens || input.enabled !== undefined) events.credentialsChanged();
      const updated = await identity.findUserById(db, id);
      if (!updated) throw userNotFound(id);
      return toUserView(updated);
    },

    /**
     * Ends the user's lockout before its time and forgets its failed sign-ins (this service's own
     * operation: the cloud's users wait for the lock to pass). A user who is not locked stays so.
     */
    async unlock(principal: Principal, id: string, trace: ChangeTrace): Promise<void> {
      requireRoot(principal, 'iam:users:unlockUser');
      const user = await findInDomain(principal, id);
      await tracedChange(db, trace, (trx) => lockout.clear(trx, id), () => ({ resourceName: user.name }));
    },

    /** Removes the user with its tokens, access keys and what other domains hold of it (grants), all or nothing. */
    async remove(principal: Principal, id: string, trace: ChangeTrace): Promise<void> {
      requireRoot(principal, 'iam:users:deleteUser');
      const user = await findInDomain(principal, id);
      if (user.is_root) throw new AppError('iam_invalid_parameter', 'the root user cannot be deleted');
      await db.transaction().execute(async (trx) => {
        await credentials.deleteUserTokens(trx, id);
        await credentials.deleteUserAccessKeys(trx, id);
        await events.userDeleting(trx, id);
        await identity.deleteUser(trx, id);
        await trace.record(trx, { resourceName: user.name });
      });
      events.credentialsChanged();
    },
  };
}
