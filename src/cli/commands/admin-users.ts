// maws admin users ls / create / rm / enable / disable / unlock
import type { ApiClient } from '../client.js';
import { seg } from '../client.js';
import { type CommandContext, type CommandSpec, flag, openSession, str, usageError } from '../command.js';
import { ApiError, CliError } from '../errors.js';
import type { UserView } from '../../iam/user.schemas.js';
import { formatTable, formatTime, printJson } from '../output.js';

export type User = UserView;

const ID = /^[0-9a-f]{32}$/;

/** USER is a user name or id: names are looked up with GET /v3/users?name= (root only). */
export async function resolveUser(client: ApiClient, ref: string): Promise<{ id: string; name?: string }> {
  try {
    const { body } = await client.get<{ users: User[] }>('/v3/users', { name: ref });
    const found = body.users.find((u) => u.name === ref);
    if (found) return { id: found.id, name: found.name };
  } catch (error) {
    // a user who is not root may not list users, but may still name an id (e.g. its own)
    if (!(error instanceof ApiError && error.code === 'IAM.0002' && ID.test(ref))) throw error;
  }
  if (ID.test(ref)) return { id: ref };
  throw new CliError(`no user named "${ref}" in this account`);
}

const label = (u: { id: string; name?: string }) => (u.name ? `${u.name} (${u.id})` : u.id);

const ls: CommandSpec = {
  path: ['admin', 'users', 'ls'],
  usage: '',
  summary: 'list the IAM users of the account',
  positionals: [0, 0],
  async run(ctx) {
    const s = openSession(ctx);
    const { body } = await s.client.get<{ users: User[] }>('/v3/users');
    if (ctx.json) return printJson(ctx.io, body);
    ctx.io.out(
      formatTable(
        ['ID', 'NAME', 'ENABLED', 'ROOT', 'CREATED', 'DESCRIPTION'],
        body.users.map((u) => [u.id, u.name, u.enabled ? 'yes' : 'no', u.is_root ? 'yes' : 'no', formatTime(u.created_at), u.description]),
      ),
    );
  },
};

async function password(ctx: CommandContext): Promise<string> {
  const given = str(ctx, 'password');
  if (given !== undefined && flag(ctx, 'password-stdin')) throw usageError(ctx, 'give --password or --password-stdin, not both');
  if (given !== undefined) return given;
  if (flag(ctx, 'password-stdin')) {
    const text = (await ctx.stdin.readAll()).replace(/\r?\n$/, '');
    if (text !== '') return text;
  }
  throw usageError(ctx, '--password PW (or --password-stdin) is required');
}

const create: CommandSpec = {
  path: ['admin', 'users', 'create'],
  usage: 'NAME --password PW [--description D]',
  summary: 'create an IAM user',
  details: 'Passwords are 8-32 characters with at least two kinds of character.',
  options: {
    password: { type: 'string', value: 'PW', help: 'the new user\'s password' },
    'password-stdin': { type: 'boolean', help: 'read the password from standard input instead' },
    description: { type: 'string', value: 'D', help: 'description' },
  },
  positionals: [1, 1],
  async run(ctx) {
    const pw = await password(ctx);
    const s = openSession(ctx);
    const user: Record<string, unknown> = { name: ctx.args[0], password: pw };
    if (str(ctx, 'description') !== undefined) user.description = str(ctx, 'description');
    const { body } = await s.client.post<{ user: User }>('/v3/users', { user });
    if (ctx.json) return printJson(ctx.io, body);
    ctx.io.out(`Created user ${body.user.name} (id ${body.user.id}).`);
  },
};

const rm: CommandSpec = {
  path: ['admin', 'users', 'rm'],
  usage: 'USER',
  summary: 'delete an IAM user (with its access keys and grants)',
  positionals: [1, 1],
  async run(ctx) {
    const s = openSession(ctx);
    const user = await resolveUser(s.client, ctx.args[0]!);
    await s.client.delete(`/v3/users/${seg(user.id)}`);
    if (!ctx.json) ctx.io.out(`Deleted user ${label(user)}.`);
  },
};

function enableCommand(enabled: boolean): CommandSpec {
  return {
    path: ['admin', 'users', enabled ? 'enable' : 'disable'],
    usage: 'USER',
    summary: enabled ? 'enable an IAM user' : 'disable an IAM user (its tokens and keys stop working)',
    positionals: [1, 1],
    async run(ctx) {
      const s = openSession(ctx);
      const user = await resolveUser(s.client, ctx.args[0]!);
      const { body } = await s.client.patch<{ user: User }>(`/v3/users/${seg(user.id)}`, { user: { enabled } });
      if (ctx.json) return printJson(ctx.io, body);
      ctx.io.out(`User ${label(body.user)} is ${enabled ? 'enabled' : 'disabled'}.`);
    },
  };
}

const unlock: CommandSpec = {
  path: ['admin', 'users', 'unlock'],
  usage: 'USER',
  summary: 'end a user\'s sign-in lockout (after too many wrong passwords) now',
  positionals: [1, 1],
  async run(ctx) {
    const s = openSession(ctx);
    const user = await resolveUser(s.client, ctx.args[0]!);
    await s.client.post(`/v3/users/${seg(user.id)}/unlock`, undefined);
    if (!ctx.json) ctx.io.out(`User ${label(user)} can sign in again.`);
  },
};

export const userCommands: CommandSpec[] = [ls, create, rm, enableCommand(true), enableCommand(false), unlock];
