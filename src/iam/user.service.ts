import { isUniqueViolation } from '../db/dialect.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import type { WorkspaceRepository } from '../workspaces/workspace.repository.js';
import { credentialRepository } from './credential.repository.js';
import { identityRepository, type UserRow } from './identity.repository.js';
import { hashPassword, passwordProblem } from './password.js';
import type { Principal } from './principal.js';
import type { CreateUserBody, UpdateUserBody, UserList, UserView } from './user.schemas.js';

export interface UserServiceDeps {
  db: Db;
  workspaceRepository: Pick<WorkspaceRepository, 'deleteGrantsOfUser'>;
  /** called after a user's credentials changed (disabled, new password, deleted) */
  onCredentialsChanged?: () => void;
  now?: () => number;
}

export type UserService = ReturnType<typeof createUserService>;

/** The wire shape: never the password hash. */
export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    name: row.name,
    domain_id: row.domain_id,
    description: row.description,
    enabled: row.enabled === 1,
    is_root: row.is_root === 1,
    created_at: new Date(row.created_at).toISOString(),
  };
}

export function forbidden(action: string): AppError {
  return new AppError('iam_forbidden', `You are not authorized to perform the (${action}) operation.`);
}

/** Managing users and enterprise projects is for the account's root user only. */
export function requireRoot(principal: Principal, action: string): void {
  if (!principal.isRoot) throw forbidden(action);
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
  const { db } = deps;
  const now = deps.now ?? Date.now;

  /** A user of the caller's domain; another domain's users do not exist for the caller. */
  async function findInDomain(principal: Principal, id: string): Promise<UserRow> {
    const user = await identityRepository.findUserById(db, id);
    if (!user || user.domain_id !== principal.domainId) throw userNotFound(id);
    return user;
  }

  return {
    findInDomain,

    async create(principal: Principal, body: CreateUserBody): Promise<UserView> {
      requireRoot(principal, 'iam:users:createUser');
      const input = body.user;
      if (input.domain_id !== undefined && input.domain_id !== principal.domainId) {
        throw new AppError('iam_invalid_parameter', "domain_id must be the caller's domain");
      }
      checkPassword(input.password);
      if (await identityRepository.findUserByName(db, principal.domainId, input.name)) throw nameTaken(input.name);
      const row: UserRow = {
        id: newId(),
        domain_id: principal.domainId,
        name: input.name,
        password_hash: await hashPassword(input.password),
        description: input.description ?? '',
        is_root: 0,
        enabled: input.enabled === false ? 0 : 1,
        created_at: now(),
      };
      try {
        await identityRepository.insertUser(db, row);
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(input.name);
        throw error;
      }
      return toUserView(row);
    },

    async list(principal: Principal, name: string | undefined): Promise<UserList> {
      requireRoot(principal, 'iam:users:listUsers');
      const rows =
        name === undefined
          ? await identityRepository.listUsers(db, principal.domainId)
          : [await identityRepository.findUserByName(db, principal.domainId, name)].filter((u) => u !== undefined);
      return { users: rows.map(toUserView) };
    },

    async show(principal: Principal, id: string): Promise<UserView> {
      if (!principal.isRoot && id !== principal.userId) throw forbidden('iam:users:getUser');
      return toUserView(await findInDomain(principal, id));
    },

    async update(principal: Principal, id: string, body: UpdateUserBody): Promise<UserView> {
      requireRoot(principal, 'iam:users:updateUser');
      const user = await findInDomain(principal, id);
      const input = body.user;
      const renames = input.name !== undefined && input.name !== user.name;
      if (user.is_root === 1) {
        if (input.enabled === false) throw new AppError('iam_invalid_parameter', 'the root user cannot be disabled');
        if (renames) throw new AppError('iam_invalid_parameter', 'the root user cannot be renamed');
      }
      if (input.password !== undefined) checkPassword(input.password);
      if (renames && (await identityRepository.findUserByName(db, principal.domainId, input.name!))) {
        throw nameTaken(input.name!);
      }
      const patch: Parameters<typeof identityRepository.updateUser>[2] = {};
      if (renames) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (input.enabled !== undefined) patch.enabled = input.enabled ? 1 : 0;
      if (input.password !== undefined) patch.password_hash = await hashPassword(input.password);
      // A new password or a disabled user invalidates every token issued before.
      const revokeTokens = input.password !== undefined || input.enabled === false;
      try {
        await db.transaction().execute(async (trx) => {
          if (Object.keys(patch).length > 0) await identityRepository.updateUser(trx, id, patch);
          if (revokeTokens) await credentialRepository.deleteUserTokens(trx, id);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(input.name ?? user.name);
        throw error;
      }
      if (revokeTokens || input.enabled !== undefined) deps.onCredentialsChanged?.();
      const updated = await identityRepository.findUserById(db, id);
      if (!updated) throw userNotFound(id);
      return toUserView(updated);
    },

    /** Removes the user with its tokens, access keys and workspace grants, all or nothing. */
    async remove(principal: Principal, id: string): Promise<void> {
      requireRoot(principal, 'iam:users:deleteUser');
      const user = await findInDomain(principal, id);
      if (user.is_root === 1) throw new AppError('iam_invalid_parameter', 'the root user cannot be deleted');
      await db.transaction().execute(async (trx) => {
        await credentialRepository.deleteUserTokens(trx, id);
        await credentialRepository.deleteUserAccessKeys(trx, id);
        await deps.workspaceRepository.deleteGrantsOfUser(trx, id);
        await identityRepository.deleteUser(trx, id);
      });
      deps.onCredentialsChanged?.();
    },
  };
}
