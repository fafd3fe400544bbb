import type { GrantRow, WorkspaceListRow, WorkspaceRecord } from './workspace.repository.js';
import type { WorkspaceSummary, WorkspaceView } from './workspace.schemas.js';

export function toSummary(row: WorkspaceListRow): WorkspaceSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    owner: row.owner_name,
    create_time: row.create_time,
    update_time: row.update_time,
    enterprise_project_id: row.enterprise_project_id,
    enterprise_project_name: row.enterprise_project_name,
    auth_type: row.auth_type,
    status: row.status,
    status_info: row.status_info,
  };
}

export function toView(row: WorkspaceRecord, grants: readonly GrantRow[]): WorkspaceView {
  return {
    ...toSummary(row),
    grants: grants.map((g) => ({ user_id: g.user_id, user_name: g.user_name, user_type: g.user_type })),
  };
}
