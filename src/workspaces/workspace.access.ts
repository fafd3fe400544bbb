import type { Principal } from '../access/principal.js';

/** What an access decision needs to know about a workspace. */
export interface AccessSubject {
  owner_id: string;
  auth_type: string;
  grantedUserIds: readonly string[];
}

/**
 * PUBLIC: the whole account; PRIVATE: creator and primary account; INTERNAL: those plus the granted users.
 * Managing a workspace (rename, delete, change quotas) stays with the creator and the primary account.
 */
export function canAccess(principal: Principal, ws: AccessSubject): boolean {
  if (canManage(principal, ws)) return true;
  if (ws.auth_type === 'public') return true;
  return ws.auth_type === 'internal' && ws.grantedUserIds.includes(principal.userId);
}

export function canManage(principal: Principal, ws: Pick<AccessSubject, 'owner_id'>): boolean {
  return principal.isRoot || ws.owner_id === principal.userId;
}

const MANAGEMENT_ACTIONS = new Set([
  'modelarts:workspace:update',
  'modelarts:workspace:delete',
  'modelarts:workspace:updateQuotas',
]);

/** The verdict the permission model gives an IAM action inside a workspace. */
export function allows(principal: Principal, ws: AccessSubject, action: string): boolean {
  return MANAGEMENT_ACTIONS.has(action) ? canManage(principal, ws) : canAccess(principal, ws);
}
