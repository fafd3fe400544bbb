import { DEFAULT_ENTERPRISE_PROJECT_ID } from '../eps/enterprise-project.constants.js';
import type { WorkspaceRow } from './workspace.repository.js';

export const DEFAULT_WORKSPACE_ID = '0';
export const DEFAULT_WORKSPACE_NAME = 'default';

/** Every project has workspace "0", public and bound to the default enterprise project. */
export function defaultWorkspaceRow(projectId: string, owner: { id: string; name: string }, now: number): WorkspaceRow {
  return {
    project_id: projectId,
    id: DEFAULT_WORKSPACE_ID,
    name: DEFAULT_WORKSPACE_NAME,
    description: '',
    owner_id: owner.id,
    owner_name: owner.name,
    enterprise_project_id: DEFAULT_ENTERPRISE_PROJECT_ID,
    auth_type: 'public',
    status: 'NORMAL',
    status_info: '',
    create_time: now,
    update_time: now,
  };
}
