import type { AuditService, TraceRecord } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { Db, Executor } from '../db/types.js';
import type { IamService } from '../iam/iam.service.js';
import type { JobHandler, JobRun } from '../jobs/job.worker.js';
import type { WorkspaceRecord, WorkspaceRepository } from './workspace.repository.js';
import type { DeletePayload } from './workspace.service.js';

/**
 * What test controls (MAWS_TEST_CONTROLS) say about one deletion. Each take consumes one use of
 * the control it found, in the given transaction, so that no use is taken twice.
 */
export interface DeletionControls {
  /** how long to keep the deletion DELETING (ms after it was requested), or undefined */
  takeHold(trx: Executor, projectId: string, workspaceId: string): Promise<number | undefined>;
  /** the status_info of a DELETE_FAILED to end the deletion with, or undefined */
  takeFailure(trx: Executor, projectId: string, workspaceId: string): Promise<string | undefined>;
}

/** Rolls a transaction back without it counting as the job's failure. */
class Rollback extends Error {}

async function unlessRolledBack<T>(work: Promise<T>, otherwise: T): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof Rollback) return otherwise;
    throw error;
  }
}

/**
 * Tells the operator's cleanup endpoint (MAWS_DELETE_HOOK_URL) that a workspace's resources must go.
 * Anything but a 2xx answer fails the attempt, so the job retries and finally reports DELETE_FAILED.
 */
async function callCleanupHook(hook: NonNullable<Config['deleteHook']>, ws: WorkspaceRecord): Promise<void> {
  let response: Response;
  try {
    response = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        event: 'workspace.delete',
        project_id: ws.project_id,
        workspace_id: ws.id,
        workspace_name: ws.name,
        enterprise_project_id: ws.enterprise_project_id,
        owner: ws.owner_name,
      }),
      signal: AbortSignal.timeout(hook.timeoutMs),
    });
  } catch (error) {
    throw new Error(`resource cleanup failed: cleanup hook unreachable (${(error as Error).message})`);
  }
  await response.body?.cancel();
  if (!response.ok) throw new Error(`resource cleanup failed: cleanup hook answered HTTP ${response.status}`);
}

/** The account a project belongs to, for the traces of its deletions. */
interface Account {
  domainId: string;
  domainName: string;
}

/** The worker's end of a deletion as CTS shows it: a SystemAction of no user. */
function deletionEndTrace(ws: WorkspaceRecord, account: Account, time: number, failure?: string): TraceRecord {
  return {
    domainId: account.domainId,
    domainName: account.domainName,
    projectId: ws.project_id,
    user: null,
    sourceIp: null,
    traceType: 'SystemAction',
    serviceType: 'ModelArts',
    resourceType: 'workspace',
    traceName: 'deleteWorkspace',
    resourceId: ws.id,
    resourceName: ws.name,
    code: failure === undefined ? 200 : 500,
    // The workspace is kept and can be deleted again: a warning, not an incident.
    rating: failure === undefined ? 'normal' : 'warning',
    request: { workspace_id: ws.id },
    response: failure === undefined ? { workspace_id: ws.id, status: 'DELETED' } : { workspace_id: ws.id, status: 'DELETE_FAILED', status_info: failure },
    requestId: '',
    apiVersion: 'v1',
    message: failure ?? '',
    time,
  };
}

export function createWorkspaceDeletionHandler(deps: {
  db: Db;
  repo: WorkspaceRepository;
  /** records the end of each deletion in the transaction that ends it */
  audit: Pick<AuditService, 'record'>;
  /** names the account of a project for its traces */
  iam: Pick<IamService, 'findProject' | 'findDomain'>;
  deleteHook?: Config['deleteHook'];
  /** only when test controls are on: otherwise a deletion asks nothing more */
  controls?: DeletionControls;
  now?: () => number;
}): JobHandler {
  const { db, repo, controls } = deps;
  const now = deps.now ?? Date.now;

  /** Read before the transaction that needs it: SQLite has one connection, which that transaction holds. */
  async function accountOf(projectId: string): Promise<Account | undefined> {
    const project = await deps.iam.findProject(projectId);
    const domain = project && (await deps.iam.findDomain(project.domain_id));
    return domain && { domainId: domain.id, domainName: domain.name };
  }

  /**
   * A hold makes the job wait (run_at later, the time kept in its payload) rather than sleep; a
   * failure ends it in DELETE_FAILED. Either is consumed in the transaction that acts on it.
   */
  async function applyControls(controls: DeletionControls, payload: DeletePayload, ws: WorkspaceRecord, run: JobRun, account?: Account) {
    const { project_id, workspace_id } = payload;
    const hold = async (trx: Executor, until: number) => {
      if (!(await run.reschedule(trx, until, { ...payload, held_until: until }))) throw new Error('the job was claimed again meanwhile');
    };
    if (payload.held_until !== undefined) {
      // Claimed before its time (a claim read before the job was put back): wait again.
      if (now() < payload.held_until) {
        await db.transaction().execute((trx) => hold(trx, payload.held_until!));
        return 'rescheduled';
      }
    } else {
      const held = await unlessRolledBack(
        db.transaction().execute(async (trx) => {
          const holdMs = await controls.takeHold(trx, project_id, workspace_id);
          if (holdMs === undefined) return false;
          const until = ws.update_time + holdMs;
          if (until <= now()) throw new Rollback();
          await hold(trx, until);
          return true;
        }),
        false,
      );
      if (held) return 'rescheduled';
    }
    const failed = await unlessRolledBack(
      db.transaction().execute(async (trx) => {
        const message = await controls.takeFailure(trx, project_id, workspace_id);
        if (message === undefined) return false;
        const time = now();
        const moved = await repo.transition(trx, project_id, workspace_id, ['DELETING'], {
          status: 'DELETE_FAILED',
          status_info: message,
          update_time: time,
        });
        // No longer DELETING (reset meanwhile): the failure stays for another deletion.
        if (!moved) throw new Rollback();
        if (account) await deps.audit.record(trx, deletionEndTrace(ws, account, time, message));
        return true;
      }),
      false,
    );
    return failed ? 'failed' : 'none';
  }

  return {
    async run(job, run) {
      const payload = JSON.parse(job.payload) as DeletePayload;
      const { project_id, workspace_id } = payload;
      const ws = await repo.findById(db, project_id, workspace_id);
      // Re-checked because the job may run again after a crash, or the state moved on meanwhile.
      if (!ws || ws.status !== 'DELETING') return;
      const account = await accountOf(project_id);
      if (controls) {
        const outcome = await applyControls(controls, payload, ws, run, account);
        if (outcome === 'rescheduled') return 'rescheduled';
        if (outcome === 'failed') return;
      }
      if (deps.deleteHook) await callCleanupHook(deps.deleteHook, ws);
      await db.transaction().execute(async (trx) => {
        // The project's row before the workspace's, as a reset or an account deletion takes them:
        // the other order deadlocks with those on PostgreSQL.
        await repo.lockProject(trx, project_id);
        if (!(await repo.purge(trx, project_id, workspace_id))) return;
        await repo.releaseSlot(trx, project_id);
        if (account) await deps.audit.record(trx, deletionEndTrace(ws, account, now()));
      });
    },

    async giveUp(job, error) {
      const { project_id, workspace_id } = JSON.parse(job.payload) as DeletePayload;
      const ws = await repo.findById(db, project_id, workspace_id);
      if (!ws || ws.status !== 'DELETING') return;
      const account = await accountOf(project_id);
      const failure = error.slice(0, 1024);
      await db.transaction().execute(async (trx) => {
        const time = now();
        const moved = await repo.transition(trx, project_id, workspace_id, ['DELETING'], {
          status: 'DELETE_FAILED',
          status_info: failure,
          update_time: time,
        });
        if (moved && account) await deps.audit.record(trx, deletionEndTrace(ws, account, time, failure));
      });
    },
  };
}
