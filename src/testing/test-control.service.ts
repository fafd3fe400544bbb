import type { Db, Executor } from '../db/types.js';
import { AppError } from '../errors.js';
import type { IamService } from '../iam/iam.service.js';
import { newId } from '../ids.js';
import type { DeletionControls } from '../workspaces/workspace.jobs.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import type { FaultInjector, FaultRule } from './fault-injector.js';
import type { ControlKind, TestControlRepository, TestControlRow } from './test-control.repository.js';
import type {
  DeletionFailureBody,
  DeletionHoldBody,
  FaultBody,
  FaultError,
  ProjectResetResult,
  TestControlView,
} from './test-control.schemas.js';

interface Parameters {
  message?: string;
  hold_seconds?: number;
  share?: number;
  error?: FaultError;
  latency_ms?: number;
  seed?: number;
}

function parametersOf(row: TestControlRow): Parameters {
  return JSON.parse(row.parameters) as Parameters;
}

export function toView(row: TestControlRow): TestControlView {
  return {
    id: row.id,
    kind: row.kind as ControlKind,
    project_id: row.project_id,
    workspace_id: row.workspace_id,
    operations: JSON.parse(row.operations) as string[],
    remaining: row.remaining === null ? null : Number(row.remaining),
    expires_at: Number(row.expires_at),
    created_at: Number(row.created_at),
    ...parametersOf(row),
  };
}

export function toFaultRule(row: TestControlRow): FaultRule {
  const p = parametersOf(row);
  return {
    id: row.id,
    projectId: row.project_id,
    operations: new Set(JSON.parse(row.operations) as string[]),
    share: p.share ?? 1,
    error: p.error,
    latencyMs: p.latency_ms,
    seed: p.seed,
    remaining: row.remaining === null ? null : Number(row.remaining),
    expiresAt: Number(row.expires_at),
  };
}

/**
 * The deletion job's side of the controls: the oldest active control for the workspace or its
 * project, one use taken in the job's transaction (a workspace's own control before the project's).
 */
export function createDeletionControls(deps: { repo: TestControlRepository; now: () => number }): DeletionControls {
  const { repo, now } = deps;
  async function take(trx: Executor, kind: ControlKind, projectId: string, workspaceId: string): Promise<TestControlRow | undefined> {
    const time = now();
    const rows = await repo.listForDeletion(trx, time, kind, projectId, workspaceId);
    const ordered = [...rows.filter((r) => r.workspace_id !== null), ...rows.filter((r) => r.workspace_id === null)];
    for (const row of ordered) {
      if (row.remaining === null || (await repo.takeOne(trx, row.id, time))) return row;
    }
    return undefined;
  }
  return {
    async takeHold(trx, projectId, workspaceId) {
      const row = await take(trx, 'deletion_hold', projectId, workspaceId);
      return row && parametersOf(row).hold_seconds! * 1000;
    },
    async takeFailure(trx, projectId, workspaceId) {
      const row = await take(trx, 'deletion_failure', projectId, workspaceId);
      return row && parametersOf(row).message;
    },
  };
}

interface ServiceDeps {
  db: Db;
  repo: TestControlRepository;
  iam: Pick<IamService, 'findProject'>;
  workspaces: Pick<WorkspaceService, 'exists' | 'resetProject'>;
  faults: Pick<FaultInjector, 'operations' | 'reload'>;
  now: () => number;
}

export type TestControlService = ReturnType<typeof createTestControlService>;

function notFound(message: string): AppError {
  return new AppError('operator_not_found', message);
}

export function createTestControlService(deps: ServiceDeps) {
  const { db, repo, now } = deps;

  async function requireProject(projectId: string): Promise<void> {
    if (!(await deps.iam.findProject(projectId))) throw notFound(`project ${projectId} does not exist`);
  }

  async function requireScope(projectId: string, workspaceId: string | undefined): Promise<void> {
    await requireProject(projectId);
    if (workspaceId !== undefined && !(await deps.workspaces.exists(projectId, workspaceId))) {
      throw notFound(`workspace ${workspaceId} does not exist in project ${projectId}`);
    }
  }

  async function add(
    kind: ControlKind,
    scope: { projectId: string | null; workspaceId: string | null; operations?: string[] },
    parameters: Parameters,
    remaining: number | null,
    ttlSeconds: number,
  ): Promise<TestControlView> {
    const time = now();
    const row: TestControlRow = {
      id: newId(),
      kind,
      project_id: scope.projectId,
      workspace_id: scope.workspaceId,
      operations: JSON.stringify(scope.operations ?? []),
      parameters: JSON.stringify(parameters),
      remaining,
      expires_at: time + ttlSeconds * 1000,
      created_at: time,
    };
    await repo.purgeSpent(db, time);
    await repo.insert(db, row);
    if (kind === 'fault') await deps.faults.reload();
    return toView(row);
  }

  return {
    async failDeletions(body: DeletionFailureBody): Promise<TestControlView> {
      await requireScope(body.project_id, body.workspace_id);
      return add(
        'deletion_failure',
        { projectId: body.project_id, workspaceId: body.workspace_id ?? null },
        { message: body.message },
        body.count,
        body.ttl_seconds,
      );
    },

    async holdDeletions(body: DeletionHoldBody): Promise<TestControlView> {
      await requireScope(body.project_id, body.workspace_id);
      return add(
        'deletion_hold',
        { projectId: body.project_id, workspaceId: body.workspace_id ?? null },
        { hold_seconds: body.hold_seconds },
        body.count ?? null,
        body.ttl_seconds,
      );
    },

    async injectFault(body: FaultBody): Promise<TestControlView> {
      const unknown = body.operations.filter((op) => !deps.faults.operations.has(op));
      if (unknown.length > 0) {
        throw new AppError(
          'operator_invalid_parameter',
          `body.operations: unknown operation ${unknown.join(', ')}; known: ${[...deps.faults.operations].sort().join(', ')}`,
        );
      }
      if (body.error === undefined && body.latency_ms === undefined) {
        throw new AppError('operator_invalid_parameter', 'body: give error, latency_ms or both');
      }
      if (body.project_id !== undefined) await requireProject(body.project_id);
      const parameters: Parameters = { share: body.share };
      if (body.error !== undefined) parameters.error = body.error;
      if (body.latency_ms !== undefined) parameters.latency_ms = body.latency_ms;
      if (body.seed !== undefined) parameters.seed = body.seed;
      return add(
        'fault',
        { projectId: body.project_id ?? null, workspaceId: null, operations: [...new Set(body.operations)] },
        parameters,
        body.count ?? null,
        body.ttl_seconds,
      );
    },

    /** Every active control with its uses left; spent ones are purged on the way. */
    async list(projectId?: string): Promise<TestControlView[]> {
      const time = now();
      await repo.purgeSpent(db, time);
      return (await repo.listActive(db, time, projectId)).map(toView);
    },

    async remove(id: string): Promise<void> {
      if (!(await repo.remove(db, id))) throw notFound(`test control ${id} does not exist`);
      await deps.faults.reload();
    },

    /** Every control, or those bound to one project; how many went. */
    async clear(projectId?: string): Promise<number> {
      const cleared = await repo.removeAll(db, projectId);
      await deps.faults.reload();
      return cleared;
    },

    /** The project back to its first-start state, with its controls cleared, in one transaction. */
    async resetProject(projectId: string): Promise<ProjectResetResult> {
      await requireProject(projectId);
      const result = await db.transaction().execute(async (trx) => {
        const reset = await deps.workspaces.resetProject(trx, projectId);
        if (!reset) throw notFound(`project ${projectId} does not exist`);
        const { removed } = reset;
        const cleared = await repo.removeAll(trx, projectId);
        return { project_id: projectId, removed_workspaces: removed, cleared_controls: cleared };
      });
      await deps.faults.reload();
      return result;
    },
  };
}
