import { seg } from './client.js';
import type { Session } from './command.js';

/** API paths of the session's project. */
export const workspacesPath = (s: Session): string => `/v1/${seg(s.projectId)}/workspaces`;
export const workspacePath = (s: Session, id: string): string => `${workspacesPath(s)}/${seg(id)}`;
