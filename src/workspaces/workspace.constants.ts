/** Wire values of workspaces, shared with the CLI (which must not load the schema library). */
export const AUTH_TYPES = ['public', 'private', 'internal'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];
export const USER_TYPES = ['IAM', 'FEDERATE', 'AGENCY'] as const;
export const STATUSES = ['CREATE_FAILED', 'NORMAL', 'DELETING', 'DELETE_FAILED'] as const;
