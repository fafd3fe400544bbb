// maws admin projects ls / create
import { type CommandSpec, openSession, str } from '../command.js';
import type { ProjectView } from '../../iam/project.schemas.js';
import { formatTable, printJson } from '../output.js';

const BASE = '/v3/projects';

/** A region's project hangs off the account itself; a sub-project off its region's project. */
function regionOf(project: ProjectView, all: readonly ProjectView[]): string {
  if (project.parent_id === project.domain_id) return project.name;
  return all.find((p) => p.id === project.parent_id)?.name ?? project.parent_id;
}

const ls: CommandSpec = {
  path: ['admin', 'projects', 'ls'],
  usage: '',
  summary: 'list the IAM projects of the account: one per region, and their sub-projects',
  positionals: [0, 0],
  async run(ctx) {
    const s = openSession(ctx);
    const { body } = await s.client.get<{ projects: ProjectView[] }>(BASE);
    if (ctx.json) return printJson(ctx.io, body);
    ctx.io.out(
      formatTable(
        ['ID', 'NAME', 'REGION', 'PARENT', 'DESCRIPTION'],
        body.projects.map((p) => [p.id, p.name, regionOf(p, body.projects), p.parent_id, p.description]),
      ),
    );
  },
};

const create: CommandSpec = {
  path: ['admin', 'projects', 'create'],
  usage: 'NAME [--description D]',
  summary: 'create a sub-project of a region (root only)',
  details: [
    'NAME is <region>_<name>, e.g. cn-north-4_team-a: the region is one of the account\'s region',
    'projects (maws admin projects ls), the rest letters, digits, "-" and "_"; 64 characters at most.',
    'The new project has its own default workspace "0"; log in to it with --project NAME.',
  ].join('\n'),
  options: { description: { type: 'string', value: 'D', help: 'description (255 characters at most)' } },
  positionals: [1, 1],
  async run(ctx) {
    const s = openSession(ctx);
    const project: Record<string, unknown> = { name: ctx.args[0] };
    if (str(ctx, 'description') !== undefined) project.description = str(ctx, 'description');
    const res = await s.client.post<{ project: ProjectView }>(BASE, { project });
    if (ctx.json) return printJson(ctx.io, res.body);
    ctx.io.out(`Created project ${res.body.project.name} (id ${res.body.project.id}).`);
  },
};

export const projectCommands: CommandSpec[] = [ls, create];
