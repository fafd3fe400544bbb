// What a command is (path, usage, options, positional arguments, run) and the context it runs in.
import { ApiClient } from './client.js';
import { CliError, UsageError } from './errors.js';
import { formatTime, type Io } from './output.js';
import { DEFAULT_PROFILE, type Profile, type ProfileStore } from './profiles.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** placeholder shown in help, e.g. "ID" */
  value?: string;
  help: string;
}

type OptionValue = string | boolean | (string | boolean)[] | undefined;

export interface CommandContext {
  spec: CommandSpec;
  values: Record<string, OptionValue>;
  args: string[];
  json: boolean;
  /** --profile, when given */
  profileName: string | undefined;
  store: ProfileStore;
  io: Io;
  stdin: { isTTY: boolean; readAll(): Promise<string>; promptHidden(prompt: string): Promise<string> };
  sleep(ms: number): Promise<void>;
  now(): number;
  env: Record<string, string | undefined>;
}

export interface CommandSpec {
  path: string[];
  /** usage after the command path, e.g. "ID [--wait] [--timeout SECONDS]" */
  usage: string;
  summary: string;
  details?: string;
  options?: Record<string, OptionSpec>;
  /** how many positional arguments: [min, max] */
  positionals?: [number, number];
  run(ctx: CommandContext): Promise<void>;
}

export function usageLine(spec: CommandSpec): string {
  return `maws ${spec.path.join(' ')}${spec.usage ? ` ${spec.usage}` : ''}`;
}

export function usageError(ctx: CommandContext, message: string): UsageError {
  return new UsageError(message, usageLine(ctx.spec));
}

export function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function flag(ctx: CommandContext, name: string): boolean {
  return ctx.values[name] === true;
}

export function many(ctx: CommandContext, name: string): string[] {
  const v = ctx.values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

/** A whole number option within [min, max]; undefined when absent. */
export function intOpt(ctx: CommandContext, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = str(ctx, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) < min || Number(v) > max) {
    throw usageError(ctx, `--${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, got "${v}"`);
  }
  return Number(v);
}

export function oneOf<T extends string>(ctx: CommandContext, name: string, allowed: readonly T[]): T | undefined {
  const v = str(ctx, name);
  if (v === undefined) return undefined;
  const found = allowed.find((a) => a === v.toLowerCase());
  if (!found) throw usageError(ctx, `--${name} must be one of ${allowed.join(', ')}, got "${v}"`);
  return found;
}

export interface Session {
  name: string;
  profile: Profile;
  client: ApiClient;
  projectId: string;
}

/**
 * A client of the operator API (/maws/…): the endpoint is MAWS_ENDPOINT, else the selected
 * profile's; the token is MAWS_OPERATOR_TOKEN (never an option: it would show in `ps`).
 */
export function openOperatorClient(ctx: CommandContext): ApiClient {
  const token = ctx.env.MAWS_OPERATOR_TOKEN;
  if (token === undefined || token === '') {
    throw new CliError('the operator API needs its token: set MAWS_OPERATOR_TOKEN (the server printed it on its first start)');
  }
  const endpoint = ctx.env.MAWS_ENDPOINT || ctx.store.select(ctx.profileName).profile.endpoint;
  return new ApiClient(endpoint, { kind: 'bearer', token }, 'the operator token was refused: check MAWS_OPERATOR_TOKEN');
}

function loginAgain(name: string): string {
  return name === DEFAULT_PROFILE ? 'maws login' : `maws login --profile ${name}`;
}

/** The selected profile with a ready client; refuses an expired token before calling the server. */
export function openSession(ctx: CommandContext): Session {
  const { name, profile } = ctx.store.select(ctx.profileName);
  if (profile.auth === 'token') {
    const expires = Date.parse(profile.expiresAt);
    if (!Number.isFinite(expires) || expires <= ctx.now()) {
      const where = name === DEFAULT_PROFILE ? '' : `profile "${name}", `;
      throw new CliError(`token expired, run maws login again (${where}expired ${formatTime(profile.expiresAt)})`, [
        `to renew it: ${loginAgain(name)} --password-stdin`,
      ]);
    }
    const client = new ApiClient(
      profile.endpoint,
      { kind: 'token', token: profile.token },
      `the token of profile "${name}" was refused: run ${loginAgain(name)} again`,
    );
    return { name, profile, client, projectId: profile.projectId };
  }
  const client = new ApiClient(profile.endpoint, {
    kind: 'aksk',
    accessKey: profile.accessKey,
    secretKey: profile.secretKey,
    projectId: profile.projectId,
  });
  return { name, profile, client, projectId: profile.projectId };
}
