import { AppError } from '../errors.js';
import type { IamService } from '../iam/iam.service.js';
import type { GrantRow } from './workspace.repository.js';
import type { GrantInput } from './workspace.schemas.js';

/**
 * Turns requested grants into stored ones. IAM users must exist in the caller's account and are
 * stored with both id and name, as ModelArts returns both; federated and agency users are
 * identities outside this IAM, so they are kept as given. All IAM users are looked up at once.
 */
export async function resolveGrants(
  iam: Pick<IamService, 'findUsers'>,
  domainId: string,
  grants: readonly GrantInput[],
): Promise<GrantRow[]> {
  const requested = grants.map((grant, index) => ({
    index,
    userType: (grant.user_type ?? 'IAM').toUpperCase(),
    userId: grant.user_id ?? '',
    userName: grant.user_name ?? '',
  }));
  const iamRefs = requested.filter((r) => r.userType === 'IAM');
  const users = await iam.findUsers(
    domainId,
    iamRefs.filter((r) => r.userId !== '').map((r) => r.userId),
    iamRefs.filter((r) => r.userId === '').map((r) => r.userName),
  );
  const byId = new Map(users.map((u) => [u.id, u]));
  const byName = new Map(users.map((u) => [u.name, u]));
  const resolved: GrantRow[] = [];
  const seen = new Set<string>();
  // Checked in order, so that the first bad grant is the one reported.
  for (const { index, userType, ...ref } of requested) {
    let { userId, userName } = ref;
    if (userId === '' && userName === '') {
      throw new AppError('invalid_parameter', `grants[${index}]: user_id or user_name is required`);
    }
    if (userType === 'IAM') {
      const user = userId !== '' ? byId.get(userId) : byName.get(userName);
      if (!user) throw new AppError('invalid_parameter', `grants[${index}]: IAM user ${userId || userName} does not exist`);
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
