import { randomUUID } from 'node:crypto';
import { type ChangeTrace, tracedChange } from '../audit/change-trace.js';
import { requireRoot } from '../access/permissions.js';
import type { Principal } from '../access/principal.js';
import { uniqueOr } from '../db/unique-violation.js';
import type { Db, Executor } from '../db/types.js';
import { AppError } from '../errors.js';
import type { IamService } from '../iam/iam.service.js';
import {
  DEFAULT_ENTERPRISE_PROJECT_ID,
  DEFAULT_ENTERPRISE_PROJECT_NAME,
  EP_DISABLED,
  EP_ENABLED,
} from './enterprise-project.constants.js';
import type {
  EnterpriseProjectFilter,
  EnterpriseProjectRepository,
  EnterpriseProjectRow,
} from './enterprise-project.repository.js';
import type {
  CreateEnterpriseProjectBody,
  EnterpriseProjectActionBody,
  EnterpriseProjectList,
  EnterpriseProjectView,
  ListEnterpriseProjectsQuery,
  UpdateEnterpriseProjectBody,
} from './enterprise-project.schemas.js';
interface EnterpriseProjectServiceDeps {
  db: Db;
  repo: EnterpriseProjectRepository;
  iam: Pick<IamService, 'findDomain'>;
  now: () => number;
}

export type EnterpriseProjectService = ReturnType<typeof createEnterpriseProjectService>;

function toView(row: EnterpriseProjectRow): EnterpriseProjectView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

function notFound(id: string): AppError {
  return new AppError('iam_not_found', `enterprise project ${id} does not exist`);
}

function nameTaken(name: string): AppError {
  return new AppError('iam_conflict', `enterprise project name ${name} already exists`);
}

function rejectReservedName(name: string): void {
  if (name.toLowerCase() === DEFAULT_ENTERPRISE_PROJECT_NAME) {
    throw new AppError('iam_invalid_parameter', `the enterprise project name "${name}" is reserved`);
  }
}

function matchesDefault(filter: EnterpriseProjectFilter): boolean {
  if (filter.status !== undefined && filter.status !== EP_ENABLED) return false;
  return filter.name === undefined || DEFAULT_ENTERPRISE_PROJECT_NAME.includes(filter.name.toLowerCase());
}

export function createEnterpriseProjectService(deps: EnterpriseProjectServiceDeps) {
  const { db, repo, now } = deps;

  /** The built-in default enterprise project, dated like the account it belongs to. */
  async function defaultView(principal: Principal): Promise<EnterpriseProjectView> {
    const domain = await deps.iam.findDomain(principal.domainId);
    const created = new Date(domain?.created_at ?? 0).toISOString();
    return {
      id: DEFAULT_ENTERPRISE_PROJECT_ID,
      name: DEFAULT_ENTERPRISE_PROJECT_NAME,
      description: '',
      status: EP_ENABLED,
      created_at: created,
      updated_at: created,
    };
  }

  async function findRow(principal: Principal, id: string): Promise<EnterpriseProjectRow> {
    const row = await repo.findById(db, principal.domainId, id);
    if (!row) throw notFound(id);
    return row;
  }

  return {
    /** Inside IAM's transaction that deletes the account. */
    removeAllOfDomain: (trx: Executor, domainId: string): Promise<void> => repo.deleteAllOfDomain(trx, domainId),

    /** An enterprise project that new workspaces may join: the default one, or an enabled one of the caller's account. */
    async findUsable(principal: Principal, id: string | undefined): Promise<{ id: string; name: string }> {
      if (id === undefined || id === DEFAULT_ENTERPRISE_PROJECT_ID) {
        return { id: DEFAULT_ENTERPRISE_PROJECT_ID, name: DEFAULT_ENTERPRISE_PROJECT_NAME };
      }
      const ep = await repo.findById(db, principal.domainId, id);
      if (!ep) throw new AppError('invalid_parameter', `enterprise project ${id} does not exist`);
      if (ep.status !== EP_ENABLED) throw new AppError('invalid_parameter', `enterprise project ${id} is disabled`);
      return { id: ep.id, name: ep.name };
    },

    async create(principal: Principal, body: CreateEnterpriseProjectBody, trace: ChangeTrace): Promise<EnterpriseProjectView> {
      requireRoot(principal, 'eps:enterpriseProjects:create');
      rejectReservedName(body.name);
      if (await repo.findByName(db, principal.domainId, body.name)) throw nameTaken(body.name);
      const time = now();
      const row: EnterpriseProjectRow = {
        id: randomUUID(),
        domain_id: principal.domainId,
        name: body.name,
        description: body.description ?? '',
        status: EP_ENABLED,
        created_at: time,
        updated_at: time,
      };
      const view = toView(row);
      await uniqueOr(
        () => tracedChange(db, trace, (trx) => repo.insert(trx, row), () => ({ resourceId: row.id, resourceName: row.name, response: { enterprise_project: view } })),
        () => nameTaken(body.name),
      );
      return view;
    },

    /** The default enterprise project comes first, as row 0 of the filtered list. */
    async list(principal: Principal, query: ListEnterpriseProjectsQuery): Promise<EnterpriseProjectList> {
      const filter: EnterpriseProjectFilter = { name: query.name, status: query.status };
      const withDefault = matchesDefault(filter);
      const stored = await repo.count(db, principal.domainId, filter);
      const items: EnterpriseProjectView[] = [];
      let offset = query.offset;
      let limit = query.limit;
      if (withDefault) {
        if (offset === 0) {
          items.push(await defaultView(principal));
          limit -= 1;
        } else {
          offset -= 1;
        }
      }
      if (limit > 0 && offset < stored) {
        const rows = await repo.list(db, principal.domainId, filter, { offset, limit });
        items.push(...rows.map(toView));
      }
      return { enterprise_projects: items, total_count: stored + (withDefault ? 1 : 0) };
    },

    async show(principal: Principal, id: string): Promise<EnterpriseProjectView> {
      if (id === DEFAULT_ENTERPRISE_PROJECT_ID) return defaultView(principal);
      return toView(await findRow(principal, id));
    },

    async update(principal: Principal, id: string, body: UpdateEnterpriseProjectBody, trace: ChangeTrace): Promise<EnterpriseProjectView> {
      requireRoot(principal, 'eps:enterpriseProjects:update');
      if (id === DEFAULT_ENTERPRISE_PROJECT_ID) {
        throw new AppError('iam_invalid_parameter', 'the default enterprise project cannot be modified');
      }
      const row = await findRow(principal, id);
      rejectReservedName(body.name);
      if (body.name !== row.name && (await repo.findByName(db, principal.domainId, body.name))) {
        throw nameTaken(body.name);
      }
      const patch = { name: body.name, description: body.description ?? row.description, updated_at: now() };
      const view = toView({ ...row, ...patch });
      await uniqueOr(
        () => tracedChange(db, trace, (trx) => repo.update(trx, principal.domainId, id, patch), () => ({ resourceName: view.name, response: { enterprise_project: view } })),
        () => nameTaken(body.name),
      );
      return view;
    },

    /** enable / disable; workspaces can only be created in an enabled enterprise project. */
    async act(principal: Principal, id: string, body: EnterpriseProjectActionBody, trace: ChangeTrace): Promise<void> {
      requireRoot(principal, `eps:enterpriseProjects:${body.action}`);
      if (id === DEFAULT_ENTERPRISE_PROJECT_ID) {
        if (body.action === 'disable') {
          throw new AppError('iam_invalid_parameter', 'the default enterprise project cannot be disabled');
        }
        return;
      }
      const row = await findRow(principal, id);
      const status = body.action === 'enable' ? EP_ENABLED : EP_DISABLED;
      if (row.status === status) return;
      await tracedChange(db, trace, (trx) => repo.update(trx, principal.domainId, id, { status, updated_at: now() }), () => ({ resourceName: row.name }));
    },
  };
}
