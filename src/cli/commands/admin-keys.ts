// maws admin keys ls / create / rm / enable / disable
import { seg } from '../client.js';
import { type CommandSpec, openSession, type Session, str } from '../command.js';
import { ApiError, CliError } from '../errors.js';
import type { CreatedCredentialView, CredentialView } from '../../iam/access-key.schemas.js';
import { formatTable, formatTime, printJson } from '../output.js';
import { resolveUser, type User } from './admin-users.js';

const BASE = '/v3.0/OS-CREDENTIAL/credentials';

type Credential = CredentialView & { secret?: CreatedCredentialView['secret'] };

/** The id of the profile's own user: stored at login, else looked up through its own key. */
async function selfUserId(s: Session): Promise<string> {
  if (s.profile.userId) return s.profile.userId;
  if (s.profile.auth === 'aksk') {
    const { body } = await s.client.get<{ credential: Credential }>(`${BASE}/${seg(s.profile.accessKey)}`);
    return body.credential.user_id;
  }
  throw new CliError(`cannot tell which user profile "${s.name}" belongs to: give --user`);
}

/** the name of one user: the profile's own as saved at login, else asked (a user may read itself) */
async function userName(s: Session, userId: string): Promise<string | undefined> {
  if (userId === s.profile.userId && s.profile.userName) return s.profile.userName;
  try {
    return (await s.client.get<{ user: User }>(`/v3/users/${seg(userId)}`)).body.user.name;
  } catch (error) {
    if (error instanceof ApiError) return undefined;
    throw error;
  }
}

/** user id → name, when the caller may list users (root); empty otherwise */
async function userNames(s: Session): Promise<Map<string, string>> {
  try {
    const { body } = await s.client.get<{ users: User[] }>('/v3/users');
    return new Map(body.users.map((u) => [u.id, u.name]));
  } catch (error) {
    if (error instanceof ApiError) return new Map();
    throw error;
  }
}

const ls: CommandSpec = {
  path: ['admin', 'keys', 'ls'],
  usage: '[--user USER]',
  summary: 'list access keys (root: every user\'s; others: their own)',
  options: { user: { type: 'string', value: 'USER', help: 'only this user\'s keys (name or id)' } },
  positionals: [0, 0],
  async run(ctx) {
    const s = openSession(ctx);
    const ref = str(ctx, 'user');
    const userId = ref === undefined ? undefined : (await resolveUser(s.client, ref)).id;
    const { body } = await s.client.get<{ credentials: Credential[] }>(BASE, { user_id: userId });
    if (ctx.json) return printJson(ctx.io, body);
    if (body.credentials.length === 0) return ctx.io.out('No access keys.');
    const names = await userNames(s);
    ctx.io.out(
      formatTable(
        ['ACCESS KEY', 'USER', 'STATUS', 'CREATED', 'DESCRIPTION'],
        body.credentials.map((c) => [c.access, names.get(c.user_id) ?? c.user_id, c.status, formatTime(c.create_time), c.description]),
      ),
    );
  },
};

const create: CommandSpec = {
  path: ['admin', 'keys', 'create'],
  usage: '[--user USER] [--description D]',
  summary: 'create an access key (for yourself by default); the secret is shown only once',
  options: {
    user: { type: 'string', value: 'USER', help: 'owner of the key (name or id; root only for others)' },
    description: { type: 'string', value: 'D', help: 'description' },
  },
  positionals: [0, 0],
  async run(ctx) {
    const s = openSession(ctx);
    const ref = str(ctx, 'user');
    const user: { id: string; name?: string } = ref === undefined ? { id: await selfUserId(s) } : await resolveUser(s.client, ref);
    const credential: Record<string, unknown> = { user_id: user.id };
    if (str(ctx, 'description') !== undefined) credential.description = str(ctx, 'description');
    const { body } = await s.client.post<{ credential: Credential }>(BASE, { credential });
    if (ctx.json) return printJson(ctx.io, body);
    const c = body.credential;
    const name = user.name ?? (await userName(s, c.user_id));
    ctx.io.out(
      [
        `Created an access key for user ${name ? `${name} (${c.user_id})` : c.user_id}:`,
        `  access key: ${c.access}`,
        `  secret key: ${c.secret ?? ''}`,
        'The secret key is shown only this once and cannot be retrieved later: store it now.',
      ].join('\n'),
    );
  },
};

const rm: CommandSpec = {
  path: ['admin', 'keys', 'rm'],
  usage: 'AK',
  summary: 'delete an access key',
  positionals: [1, 1],
  async run(ctx) {
    const s = openSession(ctx);
    await s.client.delete(`${BASE}/${seg(ctx.args[0]!)}`);
    if (!ctx.json) ctx.io.out(`Deleted access key ${ctx.args[0]}.`);
  },
};

function statusCommand(enable: boolean): CommandSpec {
  return {
    path: ['admin', 'keys', enable ? 'enable' : 'disable'],
    usage: 'AK',
    summary: enable ? 'activate an access key' : 'deactivate an access key (requests signed with it are refused)',
    positionals: [1, 1],
    async run(ctx) {
      const s = openSession(ctx);
      const { body } = await s.client.put<{ credential: Credential }>(`${BASE}/${seg(ctx.args[0]!)}`, {
        credential: { status: enable ? 'active' : 'inactive' },
      });
      if (ctx.json) return printJson(ctx.io, body);
      ctx.io.out(`Access key ${body.credential.access} is ${body.credential.status}.`);
    },
  };
}

export const keyCommands: CommandSpec[] = [ls, create, rm, statusCommand(true), statusCommand(false)];
