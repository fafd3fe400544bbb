import { type Static, Type } from 'typebox';
import { anyCase } from '../http/schemas.js';

import { AUTH_TYPES, STATUSES, USER_TYPES } from './workspace.constants.js';

const NAME_CHARS = '\\u4e00-\\u9fa5A-Za-z0-9_-';
const WorkspaceName = Type.String({
  pattern: `^[${NAME_CHARS}]{4,64}$`,
  description: '4–64 characters: Chinese characters, letters, digits, "-" and "_"; "default" is reserved',
});
const Description = Type.String({ maxLength: 256 });
const AuthTypeInput = Type.String({
  pattern: anyCase(AUTH_TYPES),
  description: 'PUBLIC, PRIVATE or INTERNAL, in any letter case',
});
const EnterpriseProjectId = Type.String({
  pattern: '^[A-Za-z0-9-]{1,64}$',
  description: '"0" (default enterprise project) or an enterprise project id',
});

// Empty strings count as absent: shown grants carry "" for unknown parts and clients send them back.
export const GrantInput = Type.Object({
  user_id: Type.Optional(Type.String({ maxLength: 64 })),
  user_name: Type.Optional(Type.String({ maxLength: 64 })),
  user_type: Type.Optional(Type.String({ pattern: anyCase(USER_TYPES), description: 'IAM (default), FEDERATE or AGENCY' })),
});
export type GrantInput = Static<typeof GrantInput>;
const Grants = Type.Array(GrantInput, { maxItems: 500, description: 'applied only when auth_type is INTERNAL' });

export const CreateWorkspaceBody = Type.Object({
  name: WorkspaceName,
  description: Type.Optional(Description),
  enterprise_project_id: Type.Optional(EnterpriseProjectId),
  auth_type: Type.Optional(AuthTypeInput),
  grants: Type.Optional(Grants),
});
export type CreateWorkspaceBody = Static<typeof CreateWorkspaceBody>;

export const UpdateWorkspaceBody = Type.Object({
  name: Type.Optional(WorkspaceName),
  description: Type.Optional(Description),
  auth_type: Type.Optional(AuthTypeInput),
  grants: Type.Optional(Type.Array(GrantInput, { maxItems: 500, description: 'omitted grants clear the grant list' })),
});
export type UpdateWorkspaceBody = Static<typeof UpdateWorkspaceBody>;

export const ListWorkspaceQuery = Type.Object({
  offset: Type.Integer({ minimum: 0, maximum: 2147483647, default: 0, description: 'page index: skips offset × limit items' }),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 1000 }),
  sort_by: Type.Union([Type.Literal('name'), Type.Literal('update_time'), Type.Literal('status')], { default: 'name' }),
  order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' }),
  enterprise_project_id: Type.Optional(EnterpriseProjectId),
  name: Type.Optional(Type.String({ pattern: `^[${NAME_CHARS}]{1,64}$`, description: '1–64 characters: Chinese characters, letters, digits, "-" and "_" (matches names containing them, in any case)' })),
  filter_accessible: Type.Boolean({ default: false }),
});
export type ListWorkspaceQuery = Static<typeof ListWorkspaceQuery>;

const GrantView = Type.Object({
  user_id: Type.String(),
  user_name: Type.String(),
  user_type: Type.String(),
});

const WorkspaceFields = {
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  owner: Type.String(),
  create_time: Type.Integer({ description: 'epoch milliseconds' }),
  update_time: Type.Integer({ description: 'epoch milliseconds' }),
  enterprise_project_id: Type.String(),
  enterprise_project_name: Type.String(),
  auth_type: Type.String({ description: 'public, private or internal' }),
  status: Type.String({ description: STATUSES.join(', ') }),
  status_info: Type.String(),
};

export const WorkspaceSummary = Type.Object(WorkspaceFields);
export type WorkspaceSummary = Static<typeof WorkspaceSummary>;
export const WorkspaceView = Type.Object({ ...WorkspaceFields, grants: Type.Array(GrantView) });
export type WorkspaceView = Static<typeof WorkspaceView>;

export const WorkspaceList = Type.Object({
  total_count: Type.Integer(),
  count: Type.Integer(),
  workspaces: Type.Array(WorkspaceSummary),
});
export type WorkspaceList = Static<typeof WorkspaceList>;

export const WorkspaceIdResult = Type.Object({ workspace_id: Type.String() });
