// maws admin eps ls / create / update / enable / disable
import { seg } from '../client.js';
import { type CommandSpec, openSession, str, usageError } from '../command.js';
import { EP_DISABLED, EP_ENABLED } from '../../eps/enterprise-project.constants.js';
import type { EnterpriseProjectView } from '../../eps/enterprise-project.schemas.js';
import { formatTable, formatTime, printJson } from '../output.js';

const BASE = '/v1.0/enterprise-projects';

type EnterpriseProject = EnterpriseProjectView;

const statusText = (status: number) => (status === EP_ENABLED ? 'enabled' : status === EP_DISABLED ? 'disabled' : String(status));

const ls: CommandSpec = {
  path: ['admin', 'eps', 'ls'],
  usage: '[--name S]',
  summary: 'list enterprise projects',
  options: { name: { type: 'string', value: 'S', help: 'only names containing S (any case)' } },
  positionals: [0, 0],
  async run(ctx) {
    const s = openSession(ctx);
    const { body } = await s.client.get<{ enterprise_projects: EnterpriseProject[]; total_count: number }>(BASE, { name: str(ctx, 'name') });
    if (ctx.json) return printJson(ctx.io, body);
    ctx.io.out(
      formatTable(
        ['ID', 'NAME', 'STATUS', 'CREATED', 'UPDATED', 'DESCRIPTION'],
        body.enterprise_projects.map((e) => [e.id, e.name, statusText(e.status), formatTime(e.created_at), formatTime(e.updated_at), e.description]),
      ),
    );
    if (body.enterprise_projects.length < body.total_count) {
      ctx.io.err(`${body.enterprise_projects.length} shown of ${body.total_count} enterprise projects`);
    }
  },
};

const create: CommandSpec = {
  path: ['admin', 'eps', 'create'],
  usage: 'NAME [--description D]',
  summary: 'create an enterprise project',
  options: { description: { type: 'string', value: 'D', help: 'description' } },
  positionals: [1, 1],
  async run(ctx) {
    const s = openSession(ctx);
    const body: Record<string, unknown> = { name: ctx.args[0] };
    if (str(ctx, 'description') !== undefined) body.description = str(ctx, 'description');
    const res = await s.client.post<{ enterprise_project: EnterpriseProject }>(BASE, body);
    if (ctx.json) return printJson(ctx.io, res.body);
    ctx.io.out(`Created enterprise project ${res.body.enterprise_project.name} (id ${res.body.enterprise_project.id}).`);
  },
};

const update: CommandSpec = {
  path: ['admin', 'eps', 'update'],
  usage: 'ID [--name N] [--description D]',
  summary: 'rename an enterprise project or change its description',
  details: 'The API needs the name on every update: without --name the current one is sent again.',
  options: {
    name: { type: 'string', value: 'N', help: 'new name' },
    description: { type: 'string', value: 'D', help: 'new description' },
  },
  positionals: [1, 1],
  async run(ctx) {
    const id = ctx.args[0]!;
    let name = str(ctx, 'name');
    const description = str(ctx, 'description');
    if (name === undefined && description === undefined) throw usageError(ctx, 'nothing to update: give --name or --description');
    const s = openSession(ctx);
    name ??= (await s.client.get<{ enterprise_project: EnterpriseProject }>(`${BASE}/${seg(id)}`)).body.enterprise_project.name;
    const body: Record<string, unknown> = { name };
    if (description !== undefined) body.description = description;
    const res = await s.client.put<{ enterprise_project: EnterpriseProject }>(`${BASE}/${seg(id)}`, body);
    if (ctx.json) return printJson(ctx.io, res.body);
    ctx.io.out(`Updated enterprise project ${res.body.enterprise_project.name} (id ${id}).`);
  },
};

function actionCommand(action: 'enable' | 'disable'): CommandSpec {
  return {
    path: ['admin', 'eps', action],
    usage: 'ID',
    summary: `${action} an enterprise project`,
    positionals: [1, 1],
    async run(ctx) {
      const s = openSession(ctx);
      await s.client.post(`${BASE}/${seg(ctx.args[0]!)}/action`, { action });
      if (!ctx.json) ctx.io.out(`Enterprise project ${ctx.args[0]} is ${action}d.`);
    },
  };
}

export const epCommands: CommandSpec[] = [ls, create, update, actionCommand('enable'), actionCommand('disable')];
