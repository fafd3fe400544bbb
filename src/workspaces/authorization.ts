import type { Principal } from '../access/principal.js';
import { type AccessSubject, allows, canManage } from './workspace.access.js';
import type { AuthorizationResult, Cause, ValidateAuthorizationBody } from './authorization.schemas.js';
import type { WorkspaceService } from './workspace.service.js';

/** Why the permission model refused: which rule applied and what it compared. */
function causeOf(principal: Principal, ws: AccessSubject & { status: string }, action: string): Cause[] {
  if (ws.status !== 'NORMAL') {
    return [{ policy_name: 'WorkspaceStatus', condition: [{ key: 'modelarts:workspaceStatus', operator: 'StringEquals', value: ['NORMAL'] }] }];
  }
  if (!canManage(principal, ws) && action.startsWith('modelarts:workspace:') && ws.auth_type !== 'private') {
    return [{ policy_name: 'WorkspaceOwner', condition: [{ key: 'g:UserId', operator: 'StringEquals', value: [ws.owner_id] }] }];
  }
  return [
    {
      policy_name: `Workspace${ws.auth_type.charAt(0).toUpperCase()}${ws.auth_type.slice(1)}`,
      condition: [
        { key: 'g:UserId', operator: 'StringEquals', value: [ws.owner_id, ...ws.grantedUserIds] },
      ],
    },
  ];
}

/** ValidateAuthorization: needs no permission of its own, only an existing workspace. */
export async function validateAuthorization(
  deps: { workspaces: WorkspaceService },
  principal: Principal,
  projectId: string,
  workspaceId: string,
  body: ValidateAuthorizationBody,
): Promise<AuthorizationResult[]> {
  const { record, subject } = await deps.workspaces.load(projectId, workspaceId);
  const ws = { ...subject, status: record.status };
  return body.requests.map((r) => {
    const allowed = ws.status === 'NORMAL' && allows(principal, subject, r.action);
    const result: AuthorizationResult = {
      action: r.action,
      verdict: allowed ? 'allow' : 'deny',
      action_id: r.action_id,
      resource: r.resource ?? '',
    };
    if (!allowed) result.cause = causeOf(principal, ws, r.action);
    return result;
  });
}
