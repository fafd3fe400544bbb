// The wire types of the pages beyond the list, from the server's schemas: `import type` only.
export type { WorkspaceView } from '../../src/workspaces/workspace.schemas';
export type { QuotaView } from '../../src/quotas/quota.schemas';
export type { UserList, UserView } from '../../src/iam/user.schemas';
export type { CreatedCredentialView, CredentialList, CredentialView } from '../../src/iam/access-key.schemas';
export type { TraceList, TraceView } from '../../src/audit/trace.schemas';
