import type { Config } from '../config.js';
import type { Db } from '../db/types.js';
import type { JobHandler } from '../jobs/job.worker.js';
import type { WorkspaceRecord, WorkspaceRepository } from './workspace.repository.js';

interface DeletePayload {
  project_id: string;
  workspace_id: string;
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

export function createWorkspaceDeletionHandler(deps: {
  db: Db;
  repo: WorkspaceRepository;
  deleteHook?: Config['deleteHook'];
  now?: () => number;
}): JobHandler {
  const { db, repo } = deps;
  const now = deps.now ?? Date.now;
  return {
    async run(job) {
      const { project_id, workspace_id } = JSON.parse(job.payload) as DeletePayload;
      const ws = await repo.findById(db, project_id, workspace_id);
      // Re-checked because the job may run again after a crash, or the state moved on meanwhile.
      if (!ws || ws.status !== 'DELETING') return;
      if (deps.deleteHook) await callCleanupHook(deps.deleteHook, ws);
      await db.transaction().execute(async (trx) => {
        if (await repo.purge(trx, project_id, workspace_id)) await repo.releaseSlot(trx, project_id);
      });
    },

    async giveUp(job, error) {
      const { project_id, workspace_id } = JSON.parse(job.payload) as DeletePayload;
      await repo.transition(db, project_id, workspace_id, ['DELETING'], {
        status: 'DELETE_FAILED',
        status_info: error.slice(0, 1024),
        update_time: now(),
      });
    },
  };
}
