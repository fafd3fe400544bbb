import { AccessKeysPage } from './iam/AccessKeys';
import { EnterpriseProjectsPage } from './iam/EnterpriseProjects';
import { UsersPage } from './iam/Users';
import { TracesPage } from './Traces';
import { WorkspaceDetailPage } from './WorkspaceDetail';
import { WorkspaceCreatePage, WorkspaceEditPage } from './WorkspaceForm';

/** The pages beyond sign-in and the workspace list, merged into app.tsx's PAGES. */
export const MORE_PAGES: Record<string, (params: Record<string, string>) => preact.JSX.Element> = {
  '/workspaces/new': WorkspaceCreatePage,
  '/workspaces/:id': WorkspaceDetailPage,
  '/workspaces/:id/edit': WorkspaceEditPage,
  '/iam/users': UsersPage,
  '/iam/access-keys': AccessKeysPage,
  '/iam/enterprise-projects': EnterpriseProjectsPage,
  '/traces': TracesPage,
};
