// maws admin accounts ls / show / create / disable / enable / rm: the operator API's accounts
import { seg } from '../client.js';
import { type CommandContext, type CommandSpec, flag, openOperatorClient, str, usageError } from '../command.js';
import type { AccountView, CreatedAccount } from '../../iam/account.schemas.js';
import { formatFields, formatTable, formatTime, printJson } from '../output.js';

const BASE = '/maws/v1/accounts';

const OPERATOR_DETAILS =
  'An operator command: it needs MAWS_OPERATOR_TOKEN, and calls MAWS_ENDPOINT (else the profile\'s endpoint).';

const state = (a: AccountView) => (a.enabled ? 'enabled' : 'disabled');

const ls: CommandSpec = {
  path: ['admin', 'accounts', 'ls'],
  usage: '',
  summary: 'list the accounts (operator)',
  details: OPERATOR_DETAILS,
  positionals: [0, 0],
  async run(ctx) {
    const { body } = await openOperatorClient(ctx).get<{ accounts: AccountView[] }>(BASE);
    if (ctx.json) return printJson(ctx.io, body);
    ctx.io.out(
      formatTable(
        ['ID', 'NAME', 'STATUS', 'PROJECTS', 'USERS', 'WORKSPACES', 'CREATED', 'DESCRIPTION'],
        body.accounts.map((a) => [
          a.id,
          a.name,
          state(a),
          a.projects.map((p) => p.name).join(','),
          a.user_count,
          a.workspace_count,
          formatTime(a.created_at),
          a.description,
        ]),
      ),
    );
  },
};

function showAccount(ctx: CommandContext, a: AccountView): void {
  ctx.io.out(
    formatFields([
      ['ID', a.id],
      ['Name', a.name],
      ['Status', state(a)],
      ['Description', a.description],
      ['Created', formatTime(a.created_at)],
      ['Users', a.user_count],
      ['Workspaces', a.workspace_count],
    ]),
  );
  ctx.io.out(['', formatTable(['PROJECT ID', 'PROJECT'], a.projects.map((p) => [p.id, p.name]))].join('\n'));
}

const show: CommandSpec = {
  path: ['admin', 'accounts', 'show'],
  usage: 'ACCOUNT',
  summary: 'show an account and its projects (operator; ACCOUNT is a name or an id)',
  details: OPERATOR_DETAILS,
  positionals: [1, 1],
  async run(ctx) {
    const { body } = await openOperatorClient(ctx).get<{ account: AccountView }>(`${BASE}/${seg(ctx.args[0]!)}`);
    if (ctx.json) return printJson(ctx.io, body);
    showAccount(ctx, body.account);
  },
};

/** The root password from standard input, or none: the server then generates one and answers it once. */
async function rootPassword(ctx: CommandContext): Promise<string | undefined> {
  if (!flag(ctx, 'password-stdin')) return undefined;
  const text = (await ctx.stdin.readAll()).replace(/\r?\n$/, '');
  if (text === '') throw usageError(ctx, '--password-stdin read nothing from standard input');
  return text;
}

const create: CommandSpec = {
  path: ['admin', 'accounts', 'create'],
  usage: 'NAME [--password-stdin] [--description D]',
  summary: 'create an account with its root user NAME, one project per region and a root access key (operator)',
  details: `${OPERATOR_DETAILS}\nWithout --password-stdin the root password is generated. The root password (when generated) and the access key's secret are printed only this once.`,
  options: {
    'password-stdin': { type: 'boolean', help: "read the root user's password from standard input" },
    description: { type: 'string', value: 'D', help: 'description' },
  },
  positionals: [1, 1],
  async run(ctx) {
    const password = await rootPassword(ctx);
    const request: Record<string, unknown> = { name: ctx.args[0] };
    if (password !== undefined) request.password = password;
    if (str(ctx, 'description') !== undefined) request.description = str(ctx, 'description');
    const { body } = await openOperatorClient(ctx).post<CreatedAccount>(BASE, request);
    if (ctx.json) return printJson(ctx.io, body);
    const a = body.account;
    ctx.io.out(
      [
        `Created account ${a.name} (id ${a.id}) with root user ${body.root_user.name} (id ${body.root_user.id}).`,
        ...a.projects.map((p) => `  project: ${p.name} (id ${p.id})`),
        ...(body.password !== undefined ? [`  root password:   ${body.password}`] : []),
        `  root access key: ${body.access_key}`,
        `  root secret key: ${body.secret_key}`,
        body.password !== undefined
          ? 'The password and the secret key are shown only this once and cannot be retrieved later: store them now.'
          : 'The secret key is shown only this once and cannot be retrieved later: store it now.',
      ].join('\n'),
    );
  },
};

function enableCommand(enabled: boolean): CommandSpec {
  return {
    path: ['admin', 'accounts', enabled ? 'enable' : 'disable'],
    usage: 'ACCOUNT',
    summary: enabled
      ? 'enable an account: its users\' credentials work again (operator)'
      : 'disable an account: every credential of its users is refused, nothing is deleted (operator)',
    details: OPERATOR_DETAILS,
    positionals: [1, 1],
    async run(ctx) {
      const { body } = await openOperatorClient(ctx).put<{ account: AccountView }>(`${BASE}/${seg(ctx.args[0]!)}`, { enabled });
      if (ctx.json) return printJson(ctx.io, body);
      ctx.io.out(`Account ${body.account.name} (id ${body.account.id}) is ${state(body.account)}.`);
    },
  };
}

const rm: CommandSpec = {
  path: ['admin', 'accounts', 'rm'],
  usage: 'ACCOUNT --yes',
  summary: 'delete an account and everything it owns (operator)',
  details: `${OPERATOR_DETAILS}\nDeletes its workspaces, enterprise projects, users, access keys, tokens and projects at once; there is no undo, hence --yes.`,
  options: { yes: { type: 'boolean', help: 'confirm the deletion' } },
  positionals: [1, 1],
  async run(ctx) {
    if (!flag(ctx, 'yes')) {
      throw usageError(ctx, `deleting account ${ctx.args[0]} removes everything it owns and cannot be undone: add --yes`);
    }
    const { body } = await openOperatorClient(ctx).delete<{ account: AccountView }>(`${BASE}/${seg(ctx.args[0]!)}`);
    if (ctx.json) return printJson(ctx.io, body);
    const a = body.account;
    ctx.io.out(`Deleted account ${a.name} (id ${a.id}) with its ${a.user_count} user(s) and ${a.workspace_count} workspace(s).`);
  },
};

export const accountCommands: CommandSpec[] = [ls, show, create, enableCommand(false), enableCommand(true), rm];
