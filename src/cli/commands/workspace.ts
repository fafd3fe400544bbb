// maws workspace (alias ws): ls, create, show, update, rm
import { type CommandContext, type CommandSpec, flag, intOpt, many, oneOf, openSession, str, usageError } from '../command.js';
import { ApiError, CliError } from '../errors.js';
import { workspacePath, workspacesPath } from '../paths.js';
import { AUTH_TYPES, USER_TYPES } from '../../workspaces/workspace.constants.js';
import type { GrantInput, WorkspaceList, WorkspaceSummary, WorkspaceView } from '../../workspaces/workspace.schemas.js';
import { type Cell, formatFields, formatTable, formatTime, printJson } from '../output.js';

const ID = /^[0-9a-f]{32}$/;

/** A list row, or a shown workspace with its grants. */
type Workspace = WorkspaceSummary & { grants?: WorkspaceView['grants'] };
type Grant = WorkspaceView['grants'][number];


/** --grant USER: an IAM user name or id, or FEDERATE:NAME / AGENCY:NAME */
function parseGrant(ctx: CommandContext, value: string): GrantInput {
  const colon = value.indexOf(':');
  let type = 'IAM';
  let who = value;
  if (colon >= 0) {
    type = value.slice(0, colon).toUpperCase();
    who = value.slice(colon + 1);
    if (!(USER_TYPES as readonly string[]).includes(type)) {
      throw usageError(ctx, `--grant ${value}: the user type must be one of ${USER_TYPES.join(', ')}`);
    }
  }
  if (who === '') throw usageError(ctx, `--grant ${value}: no user given`);
  const input: GrantInput = ID.test(who) && type === 'IAM' ? { user_id: who } : { user_name: who };
  if (type !== 'IAM') input.user_type = type;
  return input;
}

/** A returned grant in the shape the API takes back (empty fields left out) */
function grantInputOf(grant: Grant): GrantInput {
  const input: GrantInput = {};
  if (grant.user_id) input.user_id = grant.user_id;
  if (grant.user_name) input.user_name = grant.user_name;
  if (grant.user_type) input.user_type = grant.user_type;
  return input;
}

function ep(w: Workspace): string {
  return w.enterprise_project_name && w.enterprise_project_name !== w.enterprise_project_id
    ? `${w.enterprise_project_name} (${w.enterprise_project_id})`
    : w.enterprise_project_id;
}

function printWorkspace(ctx: CommandContext, w: Workspace): void {
  const fields: [string, Cell][] = [
    ['ID', w.id],
    ['Name', w.name],
    ['Description', w.description],
    ['Status', w.status],
  ];
  if (w.status_info) fields.push(['Status info', w.status_info]);
  fields.push(
    ['Auth type', w.auth_type],
    ['Enterprise project', ep(w)],
    ['Owner', w.owner],
    ['Created', formatTime(w.create_time)],
    ['Updated', formatTime(w.update_time)],
  );
  const grants = w.grants ?? [];
  let text = formatFields(fields);
  if (w.auth_type === 'internal') {
    text +=
      grants.length === 0
        ? '\nGrants:              none'
        : `\nGrants:\n${formatTable(['USER ID', 'USER NAME', 'TYPE'], grants.map((g) => [g.user_id, g.user_name, g.user_type]))
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n')}`;
  }
  ctx.io.out(text);
}

const ls: CommandSpec = {
  path: ['workspace', 'ls'],
  usage: '[--name S] [--ep ID] [--sort-by name|update_time|status] [--order asc|desc] [--limit N] [--page N] [--accessible]',
  summary: 'list the workspaces of the project',
  details: 'Without --limit the server returns up to 1000 workspaces (a whole project). --page counts from 1.',
  options: {
    name: { type: 'string', value: 'S', help: 'only names containing S (any case)' },
    ep: { type: 'string', value: 'ID', help: 'only this enterprise project' },
    'sort-by': { type: 'string', value: 'FIELD', help: 'name (default), update_time or status' },
    order: { type: 'string', value: 'ORDER', help: 'asc or desc (default)' },
    limit: { type: 'string', value: 'N', help: 'workspaces per page (1-1000)' },
    page: { type: 'string', value: 'N', help: 'page number, from 1' },
    accessible: { type: 'boolean', help: 'hide private and internal workspaces you cannot open' },
  },
  positionals: [0, 0],
  async run(ctx) {
    const sortBy = oneOf(ctx, 'sort-by', ['name', 'update_time', 'status'] as const);
    const order = oneOf(ctx, 'order', ['asc', 'desc'] as const);
    const limit = intOpt(ctx, 'limit', 1);
    const page = intOpt(ctx, 'page', 1);
    const s = openSession(ctx);
    const { body } = await s.client.get<WorkspaceList>(workspacesPath(s), {
      name: str(ctx, 'name'),
      enterprise_project_id: str(ctx, 'ep'),
      sort_by: sortBy,
      order,
      limit,
      offset: page === undefined ? undefined : page - 1,
      filter_accessible: flag(ctx, 'accessible') ? true : undefined,
    });
    if (ctx.json) return printJson(ctx.io, body);
    if (body.workspaces.length === 0) {
      ctx.io.out('No workspaces.');
    } else {
      ctx.io.out(
        formatTable(
          ['ID', 'NAME', 'STATUS', 'AUTH', 'ENTERPRISE PROJECT', 'OWNER', 'UPDATED'],
          body.workspaces.map((w) => [w.id, w.name, w.status, w.auth_type, w.enterprise_project_name || w.enterprise_project_id, w.owner, formatTime(w.update_time)]),
        ),
      );
    }
    if (body.workspaces.length < body.total_count) {
      const p = page ?? 1;
      const more = p * (limit ?? 1000) < body.total_count ? `; next page: --page ${p + 1}` : '';
      ctx.io.err(`${body.workspaces.length} shown of ${body.total_count} workspaces (page ${p})${more}`);
    }
  },
};

const create: CommandSpec = {
  path: ['workspace', 'create'],
  usage: 'NAME [--description D] [--auth-type public|private|internal] [--ep ID] [--grant USER]...',
  summary: 'create a workspace',
  details:
    'USER is an IAM user name or id, or FEDERATE:NAME / AGENCY:NAME. Grants apply only to internal\nworkspaces; --grant without --auth-type creates an internal workspace.',
  options: {
    description: { type: 'string', value: 'D', help: 'description' },
    'auth-type': { type: 'string', value: 'TYPE', help: 'public (default), private or internal' },
    ep: { type: 'string', value: 'ID', help: 'enterprise project id (default "0")' },
    grant: { type: 'string', multiple: true, value: 'USER', help: 'grant a user access' },
  },
  positionals: [1, 1],
  async run(ctx) {
    const grants = many(ctx, 'grant').map((g) => parseGrant(ctx, g));
    let authType = oneOf(ctx, 'auth-type', AUTH_TYPES);
    if (grants.length > 0) {
      if (authType !== undefined && authType !== 'internal') throw usageError(ctx, '--grant applies only to --auth-type internal');
      authType = 'internal';
    }
    const s = openSession(ctx);
    const body: Record<string, unknown> = { name: ctx.args[0] };
    if (str(ctx, 'description') !== undefined) body.description = str(ctx, 'description');
    if (authType !== undefined) body.auth_type = authType;
    if (str(ctx, 'ep') !== undefined) body.enterprise_project_id = str(ctx, 'ep');
    if (grants.length > 0) body.grants = grants;
    const res = await s.client.post<Workspace>(workspacesPath(s), body);
    if (ctx.json) return printJson(ctx.io, res.body);
    ctx.io.out(`Created workspace ${res.body.id}.`);
    printWorkspace(ctx, res.body);
  },
};

const show: CommandSpec = {
  path: ['workspace', 'show'],
  usage: 'ID',
  summary: 'show a workspace with its grants',
  positionals: [1, 1],
  async run(ctx) {
    const s = openSession(ctx);
    const res = await s.client.get<Workspace>(workspacePath(s, ctx.args[0]!));
    if (ctx.json) return printJson(ctx.io, res.body);
    printWorkspace(ctx, res.body);
  },
};

const update: CommandSpec = {
  path: ['workspace', 'update'],
  usage: 'ID [--name N] [--description D] [--auth-type public|private|internal] [--grant USER]... [--clear-grants]',
  summary: 'change a workspace (keeps its grants unless --grant or --clear-grants)',
  details: [
    'The API clears the grants of a workspace whenever an update omits them, so this command reads',
    'the workspace first and sends its current grants back while it stays internal. --grant',
    'replaces the whole grant list; --clear-grants removes every grant. (Read-then-write: a grant',
    'change made by someone else in between is overwritten.)',
  ].join('\n'),
  options: {
    name: { type: 'string', value: 'N', help: 'new name' },
    description: { type: 'string', value: 'D', help: 'new description' },
    'auth-type': { type: 'string', value: 'TYPE', help: 'public, private or internal' },
    grant: { type: 'string', multiple: true, value: 'USER', help: 'the new grant list' },
    'clear-grants': { type: 'boolean', help: 'remove every grant' },
  },
  positionals: [1, 1],
  async run(ctx) {
    const id = ctx.args[0]!;
    const grantsGiven = many(ctx, 'grant').map((g) => parseGrant(ctx, g));
    const clear = flag(ctx, 'clear-grants');
    if (clear && grantsGiven.length > 0) throw usageError(ctx, 'give --grant or --clear-grants, not both');
    const authType = oneOf(ctx, 'auth-type', AUTH_TYPES);
    const name = str(ctx, 'name');
    const description = str(ctx, 'description');
    if (name === undefined && description === undefined && authType === undefined && grantsGiven.length === 0 && !clear) {
      throw usageError(ctx, 'nothing to update: give --name, --description, --auth-type, --grant or --clear-grants');
    }
    if (grantsGiven.length > 0 && authType !== undefined && authType !== 'internal') {
      throw usageError(ctx, '--grant applies only to --auth-type internal');
    }
    const s = openSession(ctx);
    const current = (await s.client.get<Workspace>(workspacePath(s, id))).body;
    const target = authType ?? current.auth_type;
    if (grantsGiven.length > 0 && target !== 'internal') {
      throw new CliError(`workspace ${id} is ${target}: grants apply only to internal workspaces (add --auth-type internal)`);
    }
    const body: Record<string, unknown> = {};
    if (name !== undefined) body.name = name;
    if (description !== undefined) body.description = description;
    if (authType !== undefined) body.auth_type = authType;
    if (target === 'internal') {
      body.grants = clear ? [] : grantsGiven.length > 0 ? grantsGiven : (current.grants ?? []).map(grantInputOf);
    }
    const res = await s.client.put<{ workspace_id: string }>(workspacePath(s, id), body);
    if (ctx.json) return printJson(ctx.io, res.body);
    ctx.io.out(`Updated workspace ${id}.`);
    printWorkspace(ctx, (await s.client.get<Workspace>(workspacePath(s, id))).body);
  },
};

const rm: CommandSpec = {
  path: ['workspace', 'rm'],
  usage: 'ID [--wait [--timeout SECONDS]]',
  summary: 'delete a workspace (removed in the background)',
  details:
    'With --wait, follow the deletion until the workspace is gone (exit 0) or DELETE_FAILED\n(exit 1, with the reason); give up after --timeout seconds (default 600).',
  options: {
    wait: { type: 'boolean', help: 'wait until the deletion finished' },
    timeout: { type: 'string', value: 'SECONDS', help: 'with --wait: how long to wait (default 600)' },
  },
  positionals: [1, 1],
  async run(ctx) {
    const id = ctx.args[0]!;
    const wait = flag(ctx, 'wait');
    const timeout = intOpt(ctx, 'timeout', 1);
    if (timeout !== undefined && !wait) throw usageError(ctx, '--timeout goes with --wait');
    const s = openSession(ctx);
    // progress goes to stderr when stdout carries JSON
    const progress = (line: string) => (ctx.json ? ctx.io.err(line) : ctx.io.out(line));
    let status = 'DELETING';
    try {
      const res = await s.client.delete<{ workspace_id: string }>(workspacePath(s, id));
      if (ctx.json) printJson(ctx.io, res.body);
      else if (!wait) ctx.io.out(`Deleting workspace ${id}: it is removed in the background (follow with --wait).`);
    } catch (error) {
      // already being deleted: with --wait, just follow it
      if (!(wait && error instanceof ApiError && error.code === 'ModelArts.7004')) throw error;
      const current = await s.client.get<Workspace>(workspacePath(s, id)).catch(() => undefined);
      if (current?.body.status !== 'DELETING') throw error;
    }
    if (!wait) return;
    progress(`${id}: ${status}`);
    const deadline = ctx.now() + (timeout ?? 600) * 1000;
    for (;;) {
      await ctx.sleep(500);
      let w: Workspace;
      try {
        w = (await s.client.get<Workspace>(workspacePath(s, id))).body;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'ModelArts.7005') {
          progress(`${id}: deleted`);
          return;
        }
        throw error;
      }
      if (w.status !== status) {
        status = w.status;
        progress(`${id}: ${status}`);
      }
      if (status === 'DELETE_FAILED') {
        throw new CliError(`deleting workspace ${id} failed: ${w.status_info || 'no reason given'}`, [
          `run maws workspace rm ${id} again to retry`,
        ]);
      }
      if (ctx.now() >= deadline) {
        throw new CliError(`gave up after ${timeout ?? 600} s: workspace ${id} is still ${status}`);
      }
    }
  },
};

export const workspaceCommands: CommandSpec[] = [ls, create, show, update, rm];
