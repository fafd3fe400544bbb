import type { ChangeTrace } from '../audit/change-trace.js';
import { requireRoot } from '../access/permissions.js';
import type { Principal } from '../access/principal.js';
import { uniqueOr } from '../db/unique-violation.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import type { IamEvents } from './iam.events.js';
import type { IdentityRepository, ProjectRow } from './identity.repository.js';
import type { CreateProjectBody, ProjectView } from './project.schemas.js';

/**
 * Keystone's project object. A region's project hangs off the account (its parent is the domain,
 * as the cloud answers); a sub-project off its region's project.
 */
export function projectView(p: ProjectRow): ProjectView {
  return {
    id: p.id,
    name: p.name,
    domain_id: p.domain_id,
    parent_id: p.parent_id ?? p.domain_id,
    description: p.description,
    enabled: true,
    is_domain: false,
    links: { self: `/v3/projects/${p.id}` },
  };
}

function invalid(message: string): AppError {
  return new AppError('iam_invalid_parameter', message);
}

/**
 * The region project a sub-project name belongs under: the one named by parent_id, or else the
 * longest region name that, followed by "_", starts the name (so that neither of two regions whose
 * names extend each other takes the other's sub-projects).
 */
function regionOf(name: string, parentId: string | undefined, regions: readonly ProjectRow[]): ProjectRow {
  const prefixes = (r: ProjectRow) => name.length > r.name.length + 1 && name.startsWith(`${r.name}_`);
  if (parentId !== undefined) {
    const parent = regions.find((r) => r.id === parentId);
    if (!parent) throw invalid(`parent_id ${parentId} is not the project of a region of this account`);
    if (!prefixes(parent)) throw invalid(`the name of a project in region ${parent.name} must be ${parent.name}_<name>`);
    return parent;
  }
  const region = regions.filter(prefixes).sort((a, b) => b.name.length - a.name.length)[0];
  if (!region) {
    throw invalid(`the project name must be <region>_<name> with one of this account's regions: ${regions.map((r) => r.name).join(', ')}`);
  }
  return region;
}

export type ProjectService = ReturnType<typeof createProjectService>;

/** IAM sub-projects: a root user divides a region of its account into projects of their own. */
export function createProjectService(deps: { db: Db; identity: IdentityRepository; events: IamEvents; now: () => number }) {
  const { db, identity, events, now } = deps;
  return {
    /** The project gets what every project has (workspace "0") in the same transaction. */
    async create(principal: Principal, body: CreateProjectBody, trace: ChangeTrace): Promise<ProjectView> {
      requireRoot(principal, 'iam:projects:createProject');
      const input = body.project;
      if (input.domain_id !== undefined && input.domain_id !== principal.domainId) {
        throw invalid("domain_id must be the caller's account (domain) id");
      }
      const projects = await identity.listProjects(db, principal.domainId);
      const region = regionOf(input.name, input.parent_id, projects.filter((p) => p.parent_id === null));
      const taken = () => new AppError('iam_conflict', `project name ${input.name} already exists`);
      if (projects.some((p) => p.name === input.name)) throw taken();
      const owner = await identity.findUserById(db, principal.userId);
      if (!owner) throw new AppError('iam_forbidden', 'the caller no longer exists');
      const project: ProjectRow = {
        id: newId(),
        domain_id: principal.domainId,
        name: input.name,
        parent_id: region.id,
        description: input.description ?? '',
        workspace_count: 0,
        created_at: now(),
      };
      const view = projectView(project);
      await uniqueOr(
        () =>
          db.transaction().execute(async (trx) => {
            await identity.insertProject(trx, project);
            await events.projectCreated(trx, project, owner);
            await trace.record(trx, { resourceId: project.id, resourceName: project.name, response: { project: view } });
          }),
        taken,
      );
      return view;
    },
  };
}
