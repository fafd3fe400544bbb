import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { identityRepository } from '../iam/identity.repository.js';
import type { GrantRow } from './workspace.repository.js';
import type { GrantInput } from './workspace.schemas.js';

/**
 * Turns requested grants into stored ones. IAM users must exist in the caller's account and are
 * stored with both id and name, as ModelArts returns both; federated and agency users are
 * identities outside this IAM, so they are kept as given.
 */
export async function resolveGrants(db: Db, domainId: string, grants: readonly GrantInput[]): Promise<GrantRow[]> {
  const resolved: GrantRow[] = [];
  const seen = new Set<string>();
  for (const [index, grant] of grants.entries()) {
    const userType = (grant.user_type ?? 'IAM').toUpperCase();
    let userId = grant.user_id ?? '';
    let userName = grant.user_name ?? '';
    if (userId === '' && userName === '') {
      throw new AppError('invalid_parameter', `grants[${index}]: user_id or user_name is required`);
    }
    if (userType === 'IAM') {
      const user =
        userId !== ''
          ? await identityRepository.findUserById(db, userId)
          : await identityRepository.findUserByName(db, domainId, userName);
      if (!user || user.domain_id !== domainId) {
        throw new AppError('invalid_parameter', `grants[${index}]: IAM user ${userId || userName} does not exist`);
      }
      userId = user.id;
      userName = user.name;
    }
    const key = `${userType}/${userId || userName}`;
    if (seen.has(key)) continue;
    seen.add(key);
    resolved.push({ position: resolved.length, user_id: userId, user_name: userName, user_type: userType });
  }
  return resolved;
}
