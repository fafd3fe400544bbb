// The API's wire types, from the server's schemas: `import type` only, so nothing of the server is bundled.
export type { WorkspaceList, WorkspaceSummary } from '../../src/workspaces/workspace.schemas';
export type { EnterpriseProjectList, EnterpriseProjectView } from '../../src/eps/enterprise-project.schemas';
