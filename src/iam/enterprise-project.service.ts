import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../db/dialect.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import {
  DEFAULT_ENTERPRISE_PROJECT_ID,
  DEFAULT_ENTERPRISE_PROJECT_NAME,
  EP_DISABLED,
  EP_ENABLED,
  type EnterpriseProjectFilter,
  type EnterpriseProjectRow,
  enterpriseProjectRepository,
} from './enterprise-project.repository.js';
import type {
  CreateEnterpriseProjectBody,
  EnterpriseProjectActionBody,
  EnterpriseProjectList,
  EnterpriseProjectView,
  ListEnterpriseProjectsQuery,
  UpdateEnterpriseProjectBody,
} from './enterprise-project.schemas.js';
import { identityRepository } from './identity.repository.js';
import type { Principal } from './principal.js';
import { requireRoot } from './user.service.js';

export interface EnterpriseProjectServiceDeps {
  db: Db;
  now?: () => number;
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
  const { db } = deps;
  const now = deps.now ?? Date.now;

  /** The built-in default enterprise project, dated like the account it belongs to. */
  async function defaultView(principal: Principal): Promise<EnterpriseProjectView> {
    const domain = await identityRepository.findDomainById(db, principal.domainId);
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
    const row = await enterpriseProjectRepository.findById(db, principal.domainId, id);
    if (!row) throw notFound(id);
    return row;
  }

  return {
    async create(principal: Principal, body: CreateEnterpriseProjectBody): Promise<EnterpriseProjectView> {
      requireRoot(principal, 'eps:enterpriseProjects:create');
      rejectReservedName(body.name);
      if (await enterpriseProjectRepository.findByName(db, principal.domainId, body.name)) throw nameTaken(body.name);
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
      try {
        await enterpriseProjectRepository.insert(db, row);
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(body.name);
        throw error;
      }
      return toView(row);
    },

    /** The default enterprise project comes first, as row 0 of the filtered list. */
    async list(principal: Principal, query: ListEnterpriseProjectsQuery): Promise<EnterpriseProjectList> {
      const filter: EnterpriseProjectFilter = { name: query.name, status: query.status };
      const withDefault = matchesDefault(filter);
      const stored = await enterpriseProjectRepository.count(db, principal.domainId, filter);
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
        const rows = await enterpriseProjectRepository.list(db, principal.domainId, filter, { offset, limit });
        items.push(...rows.map(toView));
      }
      return { enterprise_projects: items, total_count: stored + (withDefault ? 1 : 0) };
    },

    async show(principal: Principal, id: string): Promise<EnterpriseProjectView> {
      if (id === DEFAULT_ENTERPRISE_PROJECT_ID) return defaultView(principal);
      return toView(await findRow(principal, id));
    },

    async update(principal: Principal, id: string, body: UpdateEnterpriseProjectBody): Promise<EnterpriseProjectView> {
      requireRoot(principal, 'eps:enterpriseProjects:update');
      if (id === DEFAULT_ENTERPRISE_PROJECT_ID) {
        throw new AppError('iam_invalid_parameter', 'the default enterprise project cannot be modified');
      }
      const row = await findRow(principal, id);
      rejectReservedName(body.name);
      if (body.name !== row.name && (await enterpriseProjectRepository.findByName(db, principal.domainId, body.name))) {
        throw nameTaken(body.name);
      }
      const patch = { name: body.name, description: body.description ?? row.description, updated_at: now() };
      try {
        await enterpriseProjectRepository.update(db, principal.domainId, id, patch);
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(body.name);
        throw error;
      }
      return toView({ ...row, ...patch });
    },

    /** enable / disable; workspaces can only be created in an enabled enterprise project. */
    async act(principal: Principal, id: string, body: EnterpriseProjectActionBody): Promise<void> {
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
      await enterpriseProjectRepository.update(db, principal.domainId, id, { status, updated_at: now() });
    },
  };
}
