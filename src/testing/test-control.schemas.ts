import { type Static, Type } from 'typebox';

const ProjectId = Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: 'IAM project id' });
const WorkspaceId = Type.String({ minLength: 1, maxLength: 128, description: 'only this workspace; the whole project when absent' });
/** 24 hours: a control is a test's tool, never a lasting setting. */
const MAX_TTL_SECONDS = 86400;
const DEFAULT_TTL_SECONDS = 3600;
const TtlSeconds = Type.Integer({
  minimum: 1,
  maximum: MAX_TTL_SECONDS,
  default: DEFAULT_TTL_SECONDS,
  description: 'the control expires this long after its creation (default 1 hour, at most 24 hours)',
});
const MAX_LATENCY_MS = 60000;
const Count = (description: string) => Type.Integer({ minimum: 1, maximum: 1000000, description });

export const DeletionFailureBody = Type.Object({
  project_id: ProjectId,
  workspace_id: Type.Optional(WorkspaceId),
  count: Type.Integer({ minimum: 1, maximum: 1000000, default: 1, description: 'how many deletions fail (default 1)' }),
  message: Type.String({
    minLength: 1,
    maxLength: 1024,
    default: 'resource cleanup failed (test control)',
    description: 'the failed workspace\'s status_info',
  }),
  ttl_seconds: TtlSeconds,
});
export type DeletionFailureBody = Static<typeof DeletionFailureBody>;

export const DeletionHoldBody = Type.Object({
  project_id: ProjectId,
  workspace_id: Type.Optional(WorkspaceId),
  hold_seconds: Type.Integer({ minimum: 1, maximum: MAX_TTL_SECONDS, description: 'a held deletion stays DELETING this long after the DELETE' }),
  count: Type.Optional(Count('how many deletions are held; every one until the control expires when absent')),
  ttl_seconds: TtlSeconds,
});
export type DeletionHoldBody = Static<typeof DeletionHoldBody>;

export const FaultError = Type.Object({
  status: Type.Integer({ minimum: 400, maximum: 599, description: 'HTTP status, e.g. 429 or 500' }),
  error_code: Type.String({ minLength: 1, maxLength: 64, description: 'e.g. APIG.0308 or ModelArts.7001' }),
  error_msg: Type.String({ minLength: 1, maxLength: 1024, default: 'fault injected by a test control' }),
});
export type FaultError = Static<typeof FaultError>;

export const FaultBody = Type.Object({
  project_id: Type.Optional({ ...ProjectId, description: 'only calls to this project; every project when absent' }),
  operations: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
    minItems: 1,
    maxItems: 64,
    description: 'operationIds, e.g. CreateWorkspace, DeleteWorkspace, ShowWorkspace (see /openapi.json)',
  }),
  share: Type.Number({ minimum: 0, maximum: 1, default: 1, description: 'the share of matching calls affected: 1 every call, 0 none' }),
  error: Type.Optional(FaultError),
  latency_ms: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LATENCY_MS, description: 'delay before the call goes on (or before the error)' })),
  count: Type.Optional(Count('how many calls are affected; every chosen one until the control expires when absent')),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'makes the choice of calls (share below 1) repeatable' })),
  ttl_seconds: TtlSeconds,
});
export type FaultBody = Static<typeof FaultBody>;

export const ProjectResetBody = Type.Object({ project_id: ProjectId });
export type ProjectResetBody = Static<typeof ProjectResetBody>;

export const ProjectResetResult = Type.Object({
  project_id: Type.String(),
  removed_workspaces: Type.Integer({ description: 'workspaces removed besides the default one, which is new' }),
  cleared_controls: Type.Integer(),
});
export type ProjectResetResult = Static<typeof ProjectResetResult>;

export const TestControlView = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('deletion_failure'), Type.Literal('deletion_hold'), Type.Literal('fault')]),
  project_id: Type.Union([Type.String(), Type.Null()], { description: 'null: every project (faults only)' }),
  workspace_id: Type.Union([Type.String(), Type.Null()], { description: 'null: every workspace of the project' }),
  operations: Type.Array(Type.String(), { description: 'the operations a fault affects; empty for deletion controls' }),
  remaining: Type.Union([Type.Integer(), Type.Null()], { description: 'uses left; null: no limit until it expires' }),
  expires_at: Type.Integer({ description: 'epoch milliseconds' }),
  created_at: Type.Integer({ description: 'epoch milliseconds' }),
  message: Type.Optional(Type.String()),
  hold_seconds: Type.Optional(Type.Integer()),
  share: Type.Optional(Type.Number()),
  error: Type.Optional(FaultError),
  latency_ms: Type.Optional(Type.Integer()),
  seed: Type.Optional(Type.Integer()),
});
export type TestControlView = Static<typeof TestControlView>;

export const TestControlList = Type.Object({ test_controls: Type.Array(TestControlView) });
export const TestControlParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const ClearQuery = Type.Object({ project_id: Type.Optional(ProjectId) });
export const ListQuery = ClearQuery;
export const Cleared = Type.Object({ cleared: Type.Integer() });
