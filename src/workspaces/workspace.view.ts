import type { JsonItems } from '../db/json-object.js';
import type { GrantRow, WorkspaceRecord } from './workspace.repository.js';
import type { WorkspaceSummary, WorkspaceView } from './workspace.schemas.js';

function toSummary(row: WorkspaceRecord): WorkspaceSummary {
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

function grantViews(grants: readonly GrantRow[]): WorkspaceView['grants'] {
  return grants.map((g) => ({ user_id: g.user_id, user_name: g.user_name, user_type: g.user_type }));
}

export function toView(row: WorkspaceRecord, grants: readonly GrantRow[]): WorkspaceView {
  return { ...toSummary(row), grants: grantViews(grants) };
}

/** ShowWorkspace's answer (the WorkspaceView schema) as JSON text: the summary the database wrote, and the grants. */
export function viewJson(summary: string, grants: readonly GrantRow[]): string {
  return `${summary.slice(0, -1)},"grants":${JSON.stringify(grantViews(grants))}}`;
}

/**
 * ListWorkspace's answer (the WorkspaceList schema) as JSON text, from summaries the database
 * wrote as JSON (see the repository's list): a page of 1000 is never turned into objects.
 */
export function listJson(totalCount: number, summaries: JsonItems): string {
  return `{"total_count":${totalCount},"count":${summaries.count},"workspaces":[${summaries.items}]}`;
}
