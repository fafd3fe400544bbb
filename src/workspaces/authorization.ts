import type { Principal } from '../access/principal.js';
import { type AccessSubject, allows, canAccess } from './workspace.access.js';
import type { AuthorizationResult, Cause, ValidateAuthorizationBody } from './authorization.schemas.js';
import type { WorkspaceService } from './workspace.service.js';

/**
 * Told to a caller who may not open the workspace: ValidateAuthorization needs no permission, so
 * its answer shows no more than ShowWorkspace's 403 would (no owner, grantees, type or status).
 */
const NO_ACCESS: Cause[] = [
  { policy_name: 'WorkspaceAccess', condition: [{ key: 'modelarts:workspaceAccessible', operator: 'Bool', value: ['true'] }] },
];

/** Why the permission model refused: which rule applied and what it compared. */
function causeOf(principal: Principal, ws: AccessSubject & { status: string; owner_name: string }): Cause[] {
  if (!canAccess(principal, ws)) return NO_ACCESS;
  if (ws.status !== 'NORMAL') {
    return [{ policy_name: 'WorkspaceStatus', condition: [{ key: 'modelarts:workspaceStatus', operator: 'StringEquals', value: ['NORMAL'] }] }];
  }
  // The caller may open the workspace, so only managing it was refused; the owner as ShowWorkspace names it.
  return [{ policy_name: 'WorkspaceOwner', condition: [{ key: 'g:UserName', operator: 'StringEquals', value: [ws.owner_name] }] }];
}

/** ValidateAuthorization: needs no permission of its own, only an existing workspace (contract §4.8, §7). */
export async function validateAuthorization(
  deps: { workspaces: WorkspaceService },
  principal: Principal,
  projectId: string,
  workspaceId: string,
  body: ValidateAuthorizationBody,
): Promise<AuthorizationResult[]> {
  const { record, subject } = await deps.workspaces.load(projectId, workspaceId);
  const ws = { ...subject, status: record.status, owner_name: record.owner_name };
  return body.requests.map((r) => {
    const allowed = ws.status === 'NORMAL' && allows(principal, subject, r.action);
    const result: AuthorizationResult = {
      action: r.action,
      verdict: allowed ? 'allow' : 'deny',
      action_id: r.action_id,
      resource: r.resource ?? '',
    };
    if (!allowed) result.cause = causeOf(principal, ws);
    return result;
  });
}
