// maws login / logout / profiles
import { ApiClient } from '../client.js';
import { type CommandContext, type CommandSpec, flag, str, usageError } from '../command.js';
import { ApiError, CliError } from '../errors.js';
import type { TokenResponse } from '../../auth/token.schemas.js';
import type { ProjectView } from '../../iam/project.schemas.js';
import { formatTable, formatTime, printJson } from '../output.js';
import { type AkSkProfile, checkProfileName, DEFAULT_PROFILE, type Profile, type TokenProfile } from '../profiles.js';

function endpointOf(ctx: CommandContext, existing: Profile | undefined): string {
  const given = str(ctx, 'endpoint') ?? existing?.endpoint;
  if (given === undefined) throw usageError(ctx, '--endpoint is required');
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw usageError(ctx, `--endpoint must be an http(s) URL, got "${given}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(ctx, `--endpoint must be an http(s) URL, got "${given}"`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw usageError(ctx, '--endpoint must not carry credentials, a query or a fragment');
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

function projectList(projects: readonly ProjectView[]): string {
  return projects.map((p) => `${p.name} (${p.id})`).join(', ');
}

async function readPassword(ctx: CommandContext, required: boolean): Promise<string | undefined> {
  const given = str(ctx, 'password');
  if (given !== undefined && flag(ctx, 'password-stdin')) throw usageError(ctx, 'give --password or --password-stdin, not both');
  if (given !== undefined) return given;
  if (flag(ctx, 'password-stdin')) {
    const text = (await ctx.stdin.readAll()).replace(/\r?\n$/, '');
    if (text === '') throw usageError(ctx, '--password-stdin: nothing was read from standard input');
    return text;
  }
  if (!required) return undefined;
  if (ctx.stdin.isTTY) return ctx.stdin.promptHidden('Password: ');
  throw usageError(ctx, 'give --password PW or --password-stdin');
}

async function loginWithKeys(ctx: CommandContext, profileName: string, endpoint: string): Promise<void> {
  const accessKey = str(ctx, 'ak');
  const secretKey = str(ctx, 'sk');
  if (!accessKey || !secretKey) throw usageError(ctx, '--ak and --sk go together');
  for (const o of ['user', 'domain', 'password', 'password-stdin']) {
    if (ctx.values[o] !== undefined) throw usageError(ctx, `--${o} is for password login, not with --ak/--sk`);
  }
  const projectId = str(ctx, 'project-id');
  const projectName = str(ctx, 'project');
  if (projectId !== undefined && projectName !== undefined) throw usageError(ctx, 'give --project or --project-id, not both');
  const client = new ApiClient(endpoint, { kind: 'aksk', accessKey, secretKey });
  const list = async (name?: string) =>
    (await client.get<{ projects: ProjectView[] }>('/v3/projects', { name })).body.projects;

  let project: ProjectView | undefined;
  if (projectName !== undefined) {
    project = (await list(projectName)).find((p) => p.name === projectName);
    if (!project) {
      throw new CliError(`the account has no project named "${projectName}"; its projects: ${projectList(await list()) || 'none'}`);
    }
  } else {
    const all = await list();
    if (projectId !== undefined) {
      project = all.find((p) => p.id === projectId);
      if (!project) throw new CliError(`the account has no project with id ${projectId}; its projects: ${projectList(all) || 'none'}`);
    } else if (all.length === 1) {
      project = all[0];
    } else if (all.length === 0) {
      throw new CliError('the account has no projects');
    } else {
      throw new CliError(`the account has ${all.length} projects, choose one with --project NAME or --project-id ID: ${projectList(all)}`);
    }
  }
  if (!project) throw new CliError('no project');

  // Best effort: who owns this key (shown by maws profiles, default user of admin keys create).
  let userId: string | undefined;
  let userName: string | undefined;
  try {
    userId = (await client.get<{ credential: { user_id: string } }>(`/v3.0/OS-CREDENTIAL/credentials/${encodeURIComponent(accessKey)}`)).body
      .credential.user_id;
    userName = (await client.get<{ user: { name: string } }>(`/v3/users/${encodeURIComponent(userId)}`)).body.user.name;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }

  const profile: AkSkProfile = {
    auth: 'aksk',
    endpoint,
    accessKey,
    secretKey,
    projectId: project.id,
    projectName: project.name,
    ...(userId !== undefined ? { userId } : {}),
    ...(userName !== undefined ? { userName } : {}),
  };
  await ctx.store.save(profileName, profile);
  if (ctx.json) {
    printJson(ctx.io, { profile: profileName, endpoint, access_key: accessKey, project: { id: project.id, name: project.name }, user_id: userId, user_name: userName });
    return;
  }
  ctx.io.out(
    `Logged in to ${endpoint} with access key ${accessKey}${userName ? ` (user ${userName})` : ''}, project ${project.name} (${project.id}).\n` +
      `Profile "${profileName}" saved to ${ctx.store.file} and made current.`,
  );
}

type TokenBody = TokenResponse;

async function loginWithPassword(ctx: CommandContext, profileName: string, endpoint: string, existing: Profile | undefined): Promise<void> {
  const previous = existing?.auth === 'token' ? existing : undefined;
  const user = str(ctx, 'user') ?? previous?.userName;
  const domain = str(ctx, 'domain') ?? previous?.domainName;
  const projectId = str(ctx, 'project-id');
  const projectName = str(ctx, 'project') ?? (projectId === undefined ? previous?.projectName : undefined);
  if (str(ctx, 'project') !== undefined && projectId !== undefined) throw usageError(ctx, 'give --project or --project-id, not both');
  if (user === undefined) throw usageError(ctx, 'give --ak and --sk, or --user, --domain and --project');
  if (domain === undefined) throw usageError(ctx, '--domain is required with --user');
  if (projectName === undefined && projectId === undefined) throw usageError(ctx, '--project is required with --user');
  const password = (await readPassword(ctx, true))!;
  const client = new ApiClient(endpoint, { kind: 'none' });
  const res = await client.post<TokenBody>('/v3/auth/tokens', {
    auth: {
      identity: { methods: ['password'], password: { user: { name: user, password, domain: { name: domain } } } },
      scope: { project: projectId !== undefined ? { id: projectId } : { name: projectName } },
    },
  });
  const token = res.headers.get('x-subject-token');
  const project = res.body?.token?.project;
  if (!token || !project || typeof res.body.token.expires_at !== 'string') {
    throw new CliError(`${endpoint} answered the login without a project-scoped token`);
  }
  const profile: TokenProfile = {
    auth: 'token',
    endpoint,
    token,
    expiresAt: res.body.token.expires_at,
    projectId: project.id,
    projectName: project.name,
    userId: res.body.token.user.id,
    userName: res.body.token.user.name,
    domainName: res.body.token.user.domain.name,
  };
  await ctx.store.save(profileName, profile);
  if (ctx.json) {
    printJson(ctx.io, res.body);
    return;
  }
  ctx.io.out(
    `Logged in to ${endpoint} as ${profile.userName} (account ${profile.domainName}), project ${project.name} (${project.id}).\n` +
      `The token is valid until ${formatTime(profile.expiresAt)}. Profile "${profileName}" saved to ${ctx.store.file} and made current.`,
  );
}

const login: CommandSpec = {
  path: ['login'],
  usage:
    '--endpoint URL (--ak AK --sk SK [--project-id ID | --project NAME] | --user NAME --domain NAME --project NAME [--password PW | --password-stdin])',
  summary: 'log in and save the credentials as a profile',
  details: [
    'With --ak/--sk the keys are checked with a signed GET /v3/projects and stored; every later',
    'request is signed. Without a project, the account\'s only project is used.',
    'With --user a token is requested (valid 24 h by default) and stored with its project;',
    'only the token is saved, never the password. Without --password or --password-stdin the',
    'password is asked for on the terminal.',
    'The profile (default "default", or --profile NAME) becomes the current one. Logging in',
    'again to an existing profile reuses its endpoint, user, account and project unless given.',
  ].join('\n'),
  options: {
    endpoint: { type: 'string', value: 'URL', help: 'server URL, e.g. http://127.0.0.1:8080' },
    ak: { type: 'string', value: 'AK', help: 'access key' },
    sk: { type: 'string', value: 'SK', help: 'secret key' },
    'project-id': { type: 'string', value: 'ID', help: 'project id' },
    project: { type: 'string', value: 'NAME', help: 'project name (e.g. cn-north-4)' },
    user: { type: 'string', value: 'NAME', help: 'IAM user name (password login)' },
    domain: { type: 'string', value: 'NAME', help: 'account (domain) name (password login)' },
    password: { type: 'string', value: 'PW', help: 'password (visible to other local users: prefer --password-stdin)' },
    'password-stdin': { type: 'boolean', help: 'read the password from standard input' },
  },
  positionals: [0, 0],
  async run(ctx) {
    const profileName = checkProfileName(ctx.profileName ?? DEFAULT_PROFILE);
    const existing = ctx.store.read().profiles[profileName];
    const endpoint = endpointOf(ctx, existing);
    const keys = ctx.values.ak !== undefined || ctx.values.sk !== undefined;
    if (keys) return loginWithKeys(ctx, profileName, endpoint);
    if (ctx.values.user === undefined && existing?.auth !== 'token') {
      throw usageError(ctx, 'give --ak and --sk, or --user, --domain and --project');
    }
    return loginWithPassword(ctx, profileName, endpoint, existing);
  },
};

/** Best effort: the profile is gone either way, and an expired or unreachable token needs no revoking. */
async function revokeQuietly(profile: TokenProfile): Promise<boolean> {
  try {
    const client = new ApiClient(profile.endpoint, { kind: 'token', token: profile.token });
    await client.request('DELETE', '/v3/auth/tokens', { headers: { 'x-subject-token': profile.token } });
    return true;
  } catch {
    return false;
  }
}

const logout: CommandSpec = {
  path: ['logout'],
  usage: '[--profile NAME]',
  summary: 'forget a profile (the current one by default)',
  details: 'Removes the profile and its credentials from the config file; a token profile\'s token is\nrevoked on the server too (when the server can be reached).',
  positionals: [0, 0],
  async run(ctx) {
    let removed: Profile | undefined;
    const name = await ctx.store.update((config) => {
      const chosen = ctx.profileName ?? config.current;
      if (chosen === undefined || !config.profiles[chosen]) {
        throw new CliError(chosen === undefined ? 'not logged in: no current profile' : `no profile named "${chosen}"`);
      }
      removed = config.profiles[chosen];
      delete config.profiles[chosen];
      if (config.current === chosen) delete config.current;
      return chosen;
    });
    const revoked = removed?.auth === 'token' && (await revokeQuietly(removed));
    if (ctx.json) printJson(ctx.io, { removed: name, token_revoked: revoked });
    else ctx.io.out(`Removed profile "${name}"${revoked ? ' and revoked its token' : ''}.`);
  },
};

function describeProfile(name: string, profile: Profile, current: boolean, now: number) {
  const expired = profile.auth === 'token' && !(Date.parse(profile.expiresAt) > now);
  return {
    name,
    current,
    endpoint: profile.endpoint,
    auth: profile.auth,
    project_id: profile.projectId,
    project_name: profile.projectName ?? null,
    user_name: profile.userName ?? null,
    domain_name: profile.domainName ?? null,
    access_key: profile.auth === 'aksk' ? profile.accessKey : null,
    expires_at: profile.auth === 'token' ? profile.expiresAt : null,
    expired,
  };
}

const profiles: CommandSpec = {
  path: ['profiles'],
  usage: '',
  summary: 'list the saved profiles (* marks the current one); never shows secrets',
  positionals: [0, 0],
  async run(ctx) {
    const config = ctx.store.read();
    const rows = Object.entries(config.profiles)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, p]) => describeProfile(name, p, name === config.current, ctx.now()));
    if (ctx.json) {
      printJson(ctx.io, { current: config.current ?? null, profiles: rows });
      return;
    }
    if (rows.length === 0) {
      ctx.io.out('No profiles: run maws login.');
      return;
    }
    ctx.io.out(
      formatTable(
        ['', 'NAME', 'ENDPOINT', 'PROJECT', 'AUTH', 'IDENTITY', 'VALID UNTIL'],
        rows.map((r) => [
          r.current ? '*' : ' ',
          r.name,
          r.endpoint,
          r.project_name ?? r.project_id,
          r.auth === 'aksk' ? 'ak/sk' : 'token',
          r.auth === 'aksk'
            ? `${r.access_key}${r.user_name ? ` (${r.user_name})` : ''}`
            : `${r.user_name ?? '?'}@${r.domain_name ?? '?'}`,
          r.auth === 'aksk' ? '' : r.expired ? `expired ${formatTime(r.expires_at)}` : formatTime(r.expires_at),
        ]),
      ),
    );
  },
};

const profilesUse: CommandSpec = {
  path: ['profiles', 'use'],
  usage: 'NAME',
  summary: 'make a profile the current one',
  positionals: [1, 1],
  async run(ctx) {
    const name = ctx.args[0]!;
    await ctx.store.update((config) => {
      if (!config.profiles[name]) throw new CliError(`no profile named "${name}"`);
      config.current = name;
    });
    if (ctx.json) printJson(ctx.io, { current: name });
    else ctx.io.out(`Profile "${name}" is now current.`);
  },
};

export const authCommands: CommandSpec[] = [login, logout, profiles, profilesUse];
