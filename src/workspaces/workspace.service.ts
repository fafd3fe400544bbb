import type { CompiledQuery } from 'kysely';
import type { Principal, ProjectRef } from '../access/principal.js';
import type { ChangeTrace } from '../audit/change-trace.js';
import type { Config } from '../config.js';
import { createBatchLoader } from '../db/batch-loader.js';
import { uniqueOr } from '../db/unique-violation.js';
import type { Db, Executor } from '../db/types.js';
import type { EnterpriseProjectService } from '../eps/enterprise-project.service.js';
import { AppError, workspaceNotFound } from '../errors.js';
import type { IamService } from '../iam/iam.service.js';
import { newId } from '../ids.js';
import type { JobsService } from '../jobs/jobs.module.js';
import { DEFAULT_WORKSPACE_ID, DEFAULT_WORKSPACE_NAME, defaultWorkspaceRow } from './default-workspace.js';
import { resolveGrants } from './grants.js';
import { type AccessSubject, canAccess, canManage } from './workspace.access.js';
import type { GrantRow, WorkspaceFilter, WorkspaceRecord, WorkspaceRepository, WorkspaceRow } from './workspace.repository.js';
import type { AuthType } from './workspace.constants.js';
import type {
  CreateWorkspaceBody,
  ListWorkspaceQuery,
  UpdateWorkspaceBody,
  WorkspaceView,
} from './workspace.schemas.js';
import { listJson, toView, viewJson } from './workspace.view.js';

export const DELETE_JOB = 'workspace.delete';

/** A deletion job's payload; held_until is set once a test control held the deletion. */
export interface DeletePayload {
  project_id: string;
  workspace_id: string;
  held_until?: number;
}

/** Ids per batched lookup: far below SQLite's and PostgreSQL's limits on a bound list. */
const LOAD_BATCH_MAX = 500;

interface Loaded<R> {
  record: R;
  grants: GrantRow[];
  subject: AccessSubject;
}
type LoadedWorkspace = Loaded<WorkspaceRecord>;
/** What access to a workspace depends on, besides its grants. */
type AccessRow = Pick<WorkspaceRecord, 'id' | 'owner_id' | 'auth_type'>;

interface WorkspaceServiceDeps {
  db: Db;
  repo: WorkspaceRepository;
  config: Config['workspaces'];
  iam: Pick<IamService, 'findUsers'>;
  eps: Pick<EnterpriseProjectService, 'findUsable'>;
  jobs: JobsService;
  now: () => number;
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;

function normalizeAuthType(value: string | undefined): AuthType | undefined {
  return value === undefined ? undefined : (value.toLowerCase() as AuthType);
}

function rejectReservedName(name: string | undefined): void {
  if (name === DEFAULT_WORKSPACE_NAME) {
    throw new AppError('invalid_parameter', 'the workspace name "default" is reserved');
  }
}

function abnormal(record: WorkspaceRecord, action: string): AppError {
  return new AppError(
    'workspace_abnormal',
    `the status of workspace: ${record.id} is abnormal, can not execute [action: ${action}]`,
  );
}

function nameTaken(name: string): AppError {
  return new AppError('duplicate_name', `workspace name ${name} already exists`);
}

function denied(action: string): AppError {
  return new AppError('forbidden', `You are not authorized to perform the (${action}) operation.`);
}

export function createWorkspaceService(deps: WorkspaceServiceDeps) {
  const { db, repo, iam, jobs, now } = deps;

  function loaded<R extends AccessRow>(record: R, grants: GrantRow[]): Loaded<R> {
    // Federated and agency identities are not IAM users of this service: only IAM grants admit a caller.
    const grantedUserIds = grants.length === 0 ? [] : grants.filter((g) => g.user_type === 'IAM').map((g) => g.user_id);
    return { record, grants, subject: { owner_id: record.owner_id, auth_type: record.auth_type, grantedUserIds } };
  }

  /** Rows found by find, each with its grants (only an internal workspace has any). */
  function withGrants<R extends AccessRow>(find: (projectId: string, ids: readonly string[]) => Promise<R[]>) {
    return async (projectId: string, ids: readonly string[]): Promise<Map<string, Loaded<R>>> => {
      const records = await find(projectId, ids);
      const internal = records.filter((r) => r.auth_type === 'internal').map((r) => r.id);
      const grantsOf = new Map<string, GrantRow[]>();
      for (const { workspace_id, ...grant } of internal.length > 0 ? await repo.listGrantsOf(db, projectId, internal) : []) {
        const list = grantsOf.get(workspace_id);
        if (list) list.push(grant);
        else grantsOf.set(workspace_id, [grant]);
      }
      return new Map(records.map((r) => [r.id, loaded(r, grantsOf.get(r.id) ?? [])]));
    };
  }

  // Reads outside transactions: concurrent requests share one query (see createBatchLoader).
  const loader = createBatchLoader(
    withGrants((projectId, ids) => repo.findByIds(db, projectId, ids)),
    LOAD_BATCH_MAX,
  );
  // ShowWorkspace's own: the summary as JSON text, and only what access needs besides (its grants come in the same query).
  const shownLoader = createBatchLoader(async (projectId, ids) => {
    const rows = await repo.findShownByIds(db, projectId, ids);
    return new Map(rows.map((row) => [row.id, loaded(row, row.grants)]));
  }, LOAD_BATCH_MAX);

  /** A workspace through one of the loaders; 400/7005 when there is none. */
  function loadThrough<R>(from: { load(projectId: string, id: string): Promise<Loaded<R> | undefined> }, projectId: string, id: string): Promise<Loaded<R>> {
    return from.load(projectId, id).then((found) => found ?? Promise.reject(workspaceNotFound(id)));
  }

  /** The workspace, if the caller may see it (need 'access') or manage it ('manage'); 403 otherwise. */
  function admitted<R>(principal: Principal, workspace: Loaded<R>, need: 'access' | 'manage', action: string): Loaded<R> {
    const ok = need === 'manage' ? canManage(principal, workspace.subject) : canAccess(principal, workspace.subject);
    if (!ok) throw denied(action);
    return workspace;
  }

  const load = (projectId: string, id: string): Promise<LoadedWorkspace> => loadThrough(loader, projectId, id);

  /** Loads a workspace the caller may see (action 'access') or manage ('manage'); 400/7005 or 403 otherwise. */
  async function loadFor(
    principal: Principal,
    projectId: string,
    id: string,
    need: 'access' | 'manage',
    action: string,
  ): Promise<LoadedWorkspace> {
    return admitted(principal, await load(projectId, id), need, action);
  }

  /** A new workspace with its grants, counted, and its trace, committed together. */
  async function insertWorkspace(record: WorkspaceRow, grants: GrantRow[], trace: CompiledQuery | undefined): Promise<void> {
    const limit = deps.config.maxPerProject;
    const outcome = await uniqueOr(
      () => repo.insertNew(db, record, grants, trace ? [trace] : [], limit === 0 ? null : limit),
      () => nameTaken(record.name),
    );
    if (outcome === 'name_taken') throw nameTaken(record.name);
    if (outcome === 'limit_reached') throw new AppError('workspace_limit', `workspace number over limit, limit: ${limit}`);
  }

  return {
    load,
    loadFor,

    /** Whether the workspace exists, whoever asks (the operator API). */
    exists: async (projectId: string, id: string): Promise<boolean> => (await loader.load(projectId, id)) !== undefined,

    /** Workspace "0" of a new project, counted like any other. */
    async addDefaultWorkspace(trx: Executor, projectId: string, owner: { id: string; name: string }): Promise<void> {
      await repo.reserveSlot(trx, projectId, null);
      await repo.insert(trx, defaultWorkspaceRow(projectId, owner, now()));
    },

    /**
     * The project as a new one has it: every workspace (with its grants and quotas) and pending
     * deletion job gone, workspace "0" new, with the owner it had. In the caller's transaction.
     * Undefined when the project is gone (its account was deleted meanwhile).
     */
    async resetProject(trx: Executor, projectId: string): Promise<{ removed: number } | undefined> {
      await repo.lockProject(trx, projectId);
      const first = await repo.findById(trx, projectId, DEFAULT_WORKSPACE_ID);
      if (!first) return undefined;
      await jobs.cancelPending(trx, DELETE_JOB, (p) => (p as Partial<DeletePayload>).project_id === projectId);
      const removed = await repo.removeAllOfProjects(trx, [projectId]);
      await repo.reserveSlot(trx, projectId, null);
      await repo.insert(trx, defaultWorkspaceRow(projectId, { id: first.owner_id, name: first.owner_name }, now()));
      // Workspace "0" is not counted as removed: it is there again.
      return { removed: removed - 1 };
    },

    /** A deleted account's projects keep nothing; a deletion job still queued for one finds nothing to do. */
    async removeAllOfProjects(trx: Executor, projectIds: readonly string[]): Promise<void> {
      await repo.removeAllOfProjects(trx, projectIds);
    },

    /** A deleted user keeps no grants. */
    removeGrantsOfUser: (trx: Executor, userId: string): Promise<void> => repo.deleteGrantsOfUser(trx, userId),

    async create(principal: Principal, project: ProjectRef, body: CreateWorkspaceBody, trace: ChangeTrace): Promise<WorkspaceView> {
      rejectReservedName(body.name);
      const authType = normalizeAuthType(body.auth_type) ?? 'public';
      const enterpriseProject = await deps.eps.findUsable(principal, body.enterprise_project_id);
      const grants = authType === 'internal' ? await resolveGrants(iam, principal.domainId, body.grants ?? []) : [];
      const time = now();
      const id = newId();
      const row = {
        project_id: project.id,
        id,
        name: body.name,
        description: body.description ?? '',
        owner_id: principal.userId,
        owner_name: principal.userName,
        enterprise_project_id: enterpriseProject.id,
        auth_type: authType,
        status: 'NORMAL',
        status_info: '',
        create_time: time,
        update_time: time,
      };
      const view = toView({ ...row, enterprise_project_name: enterpriseProject.name }, grants);
      await insertWorkspace(row, grants, trace.statement(db, { resourceId: id, resourceName: row.name, response: view }));
      return view;
    },

    /** A page of the project's workspaces, as the JSON text of a WorkspaceList (see listJson). */
    async list(principal: Principal, project: ProjectRef, query: ListWorkspaceQuery): Promise<string> {
      const filter: WorkspaceFilter = {
        name: query.name,
        enterpriseProjectId: query.enterprise_project_id,
        accessibleTo: query.filter_accessible && !principal.isRoot ? principal.userId : undefined,
      };
      const { total, summaries } = await repo.listPage(db, project.id, filter, {
        sortBy: query.sort_by,
        order: query.order,
        limit: query.limit,
        skip: query.offset * query.limit,
      });
      return listJson(total, summaries);
    },

    /** ShowWorkspace's answer (the WorkspaceView schema) as JSON text. */
    show(principal: Principal, projectId: string, id: string): Promise<string> {
      return loadThrough(shownLoader, projectId, id).then((found) => {
        const { record, grants } = admitted(principal, found, 'access', 'modelarts:workspace:get');
        return viewJson(record.summary, grants);
      });
    },

    async update(principal: Principal, projectId: string, id: string, body: UpdateWorkspaceBody, trace: ChangeTrace): Promise<void> {
      const { record } = await loadFor(principal, projectId, id, 'manage', 'modelarts:workspace:update');
      const authType = normalizeAuthType(body.auth_type) ?? (record.auth_type as AuthType);
      if (id === DEFAULT_WORKSPACE_ID) {
        const renames = body.name !== undefined && body.name !== record.name;
        if (renames || authType !== 'public' || (body.grants?.length ?? 0) > 0) {
          throw new AppError('default_workspace_immutable', 'Forbidden to modify the default workspace.');
        }
      } else {
        rejectReservedName(body.name);
      }
      if (record.status !== 'NORMAL') throw abnormal(record, 'update');
      const grants = authType === 'internal' ? await resolveGrants(iam, principal.domainId, body.grants ?? []) : [];
      if (body.name !== undefined && body.name !== record.name && (await repo.nameTaken(db, projectId, body.name))) {
        throw nameTaken(body.name);
      }
      await uniqueOr(
        () =>
          db.transaction().execute(async (trx) => {
            const changed = await repo.transition(trx, projectId, id, ['NORMAL'], {
              name: body.name ?? record.name,
              description: body.description ?? record.description,
              auth_type: authType,
              update_time: now(),
            });
            if (!changed) throw abnormal(record, 'update');
            await repo.replaceGrants(trx, projectId, id, grants);
            await trace.record(trx, { resourceName: body.name ?? record.name, response: { workspace_id: id } });
          }),
        () => nameTaken(body.name ?? record.name),
      );
    },

    /** Marks the workspace DELETING and queues its removal in the same transaction. */
    async requestDeletion(principal: Principal, projectId: string, id: string, trace: ChangeTrace): Promise<void> {
      if (id === DEFAULT_WORKSPACE_ID) {
        throw new AppError('default_workspace_immutable', 'Forbidden to modify the default workspace.');
      }
      const { record } = await loadFor(principal, projectId, id, 'manage', 'modelarts:workspace:delete');
      if (record.status === 'DELETING') return;
      const queued = await db.transaction().execute(async (trx) => {
        const time = now();
        const from = ['NORMAL', 'DELETE_FAILED', 'CREATE_FAILED'];
        if (!(await repo.transition(trx, projectId, id, from, { status: 'DELETING', status_info: '', update_time: time }))) {
          return false;
        }
        await jobs.enqueue(trx, DELETE_JOB, { project_id: projectId, workspace_id: id });
        await trace.record(trx, { resourceName: record.name, response: { workspace_id: id } });
        return true;
      });
      if (queued) jobs.wake();
      // Lost a race: either another request already queued the deletion, or the workspace is gone.
      else if (!(await repo.findById(db, projectId, id))) throw workspaceNotFound(id);
    },
  };
}
