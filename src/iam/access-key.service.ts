import { type ChangeTrace, tracedChange } from '../audit/change-trace.js';
import { iamForbidden, mayManageCredentialsOf } from '../access/permissions.js';
import type { Principal } from '../access/principal.js';
import type { Db } from '../db/types.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { AppError } from '../errors.js';
import { newAccessKey, newSecretKey } from '../ids.js';
import {
  type CreateCredentialBody,
  type CreatedCredentialView,
  type CredentialList,
  type CredentialView,
  MAX_ACCESS_KEYS_PER_USER,
  type UpdateCredentialBody,
} from './access-key.schemas.js';
import type { AccessKeyRow, CredentialRepository } from './credential.repository.js';
import type { IamEvents } from './iam.events.js';
import type { IdentityRepository } from './identity.repository.js';

interface AccessKeyServiceDeps {
  db: Db;
  identity: IdentityRepository;
  credentials: CredentialRepository;
  events: IamEvents;
  secrets: Pick<SecretBox, 'seal'>;
  now: () => number;
}

export type AccessKeyService = ReturnType<typeof createAccessKeyService>;

function toCredentialView(row: AccessKeyRow): CredentialView {
  return {
    access: row.access_key,
    user_id: row.user_id,
    status: row.status,
    description: row.description,
    create_time: new Date(row.created_at).toISOString(),
  };
}

function keyNotFound(accessKey: string): AppError {
  return new AppError('iam_not_found', `Could not find credential: ${accessKey}.`);
}

export function createAccessKeyService(deps: AccessKeyServiceDeps) {
  const { db, identity, credentials, events, secrets, now } = deps;

  async function requireUserInDomain(principal: Principal, userId: string): Promise<void> {
    const user = await identity.findUserById(db, userId);
    if (!user || user.domain_id !== principal.domainId) {
      throw new AppError('iam_not_found', `Could not find user: ${userId}.`);
    }
  }

  /**
   * The key, if it belongs to a user of the caller's domain whom the caller may manage. Any other
   * key is not found (404), like IAM: a 403 would tell the caller that someone else's key exists.
   */
  async function load(principal: Principal, accessKey: string): Promise<AccessKeyRow> {
    const key = await credentials.findAccessKey(db, accessKey);
    const owner = key && (await identity.findUserById(db, key.user_id));
    const visible = owner !== undefined && owner.domain_id === principal.domainId && mayManageCredentialsOf(principal, owner.id);
    if (!key || !visible) throw keyNotFound(accessKey);
    return key;
  }

  return {
    async create(principal: Principal, body: CreateCredentialBody, trace: ChangeTrace): Promise<CreatedCredentialView> {
      const { user_id: userId, description } = body.credential;
      if (!mayManageCredentialsOf(principal, userId)) throw iamForbidden('iam:credentials:createCredential');
      await requireUserInDomain(principal, userId);
      const accessKey = newAccessKey();
      const secret = newSecretKey();
      const row: AccessKeyRow = {
        access_key: accessKey,
        secret_key: secrets.seal(accessKey, secret),
        user_id: userId,
        description: description ?? '',
        status: 'active',
        created_at: now(),
      };
      const created = { ...toCredentialView(row), secret };
      await db.transaction().execute(async (trx) => {
        // Serialises concurrent creates for one user (PostgreSQL row lock; SQLite has one writer anyway).
        await identity.lockUser(trx, userId);
        const existing = await credentials.listAccessKeys(trx, [userId]);
        if (existing.length >= MAX_ACCESS_KEYS_PER_USER) {
          throw new AppError(
            'iam_conflict',
            `user ${userId} already has ${existing.length} access keys, the maximum is ${MAX_ACCESS_KEYS_PER_USER}`,
          );
        }
        await credentials.insertAccessKey(trx, row);
        // The secret is in the answer once; the trace's copy of the answer loses it (see redact.ts).
        await trace.record(trx, { resourceId: row.access_key, response: { credential: created } });
      });
      return created;
    },

    async list(principal: Principal, userId: string | undefined): Promise<CredentialList> {
      let userIds: string[];
      if (userId !== undefined) {
        if (!mayManageCredentialsOf(principal, userId)) throw iamForbidden('iam:credentials:listCredentials');
        await requireUserInDomain(principal, userId);
        userIds = [userId];
      } else if (principal.isRoot) {
        return { credentials: (await credentials.listDomainAccessKeys(db, principal.domainId)).map(toCredentialView) };
      } else {
        userIds = [principal.userId];
      }
      const rows = await credentials.listAccessKeys(db, userIds);
      return { credentials: rows.map(toCredentialView) };
    },

    async show(principal: Principal, accessKey: string): Promise<CredentialView> {
      return toCredentialView(await load(principal, accessKey));
    },

    async update(principal: Principal, accessKey: string, body: UpdateCredentialBody, trace: ChangeTrace): Promise<CredentialView> {
      const key = await load(principal, accessKey);
      const { status, description } = body.credential;
      const patch: Partial<Pick<AccessKeyRow, 'status' | 'description'>> = {};
      if (status !== undefined) patch.status = status;
      if (description !== undefined) patch.description = description;
      const view = toCredentialView({ ...key, ...patch });
      if (Object.keys(patch).length > 0) {
        await tracedChange(db, trace, (trx) => credentials.updateAccessKey(trx, accessKey, patch), () => ({ response: { credential: view } }));
      }
      if (status !== undefined) events.credentialsChanged();
      return view;
    },

    async remove(principal: Principal, accessKey: string, trace: ChangeTrace): Promise<void> {
      await load(principal, accessKey);
      await tracedChange(db, trace, (trx) => credentials.deleteAccessKey(trx, accessKey), () => ({}));
      events.credentialsChanged();
    },
  };
}
