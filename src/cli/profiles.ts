// The profile store: one JSON file (default ~/.maws/config.json) holding every profile and the
// name of the current one. It contains secrets (secret keys, tokens), so it is always written
// with mode 0600, atomically (write a temporary file, then rename).
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { CliError } from './errors.js';

interface ProfileBase {
  endpoint: string;
  projectId: string;
  projectName?: string;
  userId?: string;
  userName?: string;
  domainName?: string;
}

export interface AkSkProfile extends ProfileBase {
  auth: 'aksk';
  accessKey: string;
  secretKey: string;
}

export interface TokenProfile extends ProfileBase {
  auth: 'token';
  token: string;
  /** ISO 8601 */
  expiresAt: string;
}

export type Profile = AkSkProfile | TokenProfile;

interface ConfigFile {
  current?: string;
  profiles: Record<string, Profile>;
}

export const DEFAULT_PROFILE = 'default';
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function defaultConfigPath(): string {
  return path.join(homedir(), '.maws', 'config.json');
}

export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new CliError(`invalid profile name "${name}": use 1-64 letters, digits, "_", "." or "-"`);
  }
  return name;
}

function isProfile(value: unknown): value is Profile {
  if (value === null || typeof value !== 'object') return false;
  const p = value as Record<string, unknown>;
  if (typeof p.endpoint !== 'string' || typeof p.projectId !== 'string') return false;
  if (p.auth === 'aksk') return typeof p.accessKey === 'string' && typeof p.secretKey === 'string';
  if (p.auth === 'token') return typeof p.token === 'string' && typeof p.expiresAt === 'string';
  return false;
}

export class ProfileStore {
  constructor(readonly file: string) {}

  read(): ConfigFile {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
      throw new CliError(`cannot read ${this.file}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CliError(`${this.file} is not valid JSON: fix or remove it, then run maws login`);
    }
    const raw = parsed as { current?: unknown; profiles?: unknown };
    const profiles: Record<string, Profile> = {};
    if (raw && typeof raw.profiles === 'object' && raw.profiles !== null) {
      for (const [name, profile] of Object.entries(raw.profiles)) if (isProfile(profile)) profiles[name] = profile;
    }
    return { current: typeof raw?.current === 'string' ? raw.current : undefined, profiles };
  }

  write(config: ConfigFile): void {
    const dir = path.dirname(this.file);
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
      chmodSync(tmp, 0o600); // the mode option does not apply when the file already existed
      renameSync(tmp, this.file);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw new CliError(`cannot write ${this.file}: ${(error as Error).message}`);
    }
  }

  /** The profile --profile names, else the current one; "not logged in" when there is none. */
  select(name: string | undefined): { name: string; profile: Profile } {
    const config = this.read();
    const chosen = name ?? config.current;
    if (chosen === undefined) throw new CliError('not logged in: run maws login');
    const profile = config.profiles[chosen];
    if (!profile) {
      throw new CliError(
        name === undefined
          ? `not logged in: the current profile "${chosen}" does not exist, run maws login`
          : `not logged in with profile "${chosen}": run maws login --profile ${chosen}`,
      );
    }
    return { name: chosen, profile };
  }

  /**
   * Read-modify-write under a lock file, so that several maws processes (e.g. parallel logins in
   * a script) do not lose each other's changes. A lock older than 10 s is taken as abandoned.
   */
  async update<T>(change: (config: ConfigFile) => T): Promise<T> {
    const lock = `${this.file}.lock`;
    const deadline = Date.now() + 5000;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new CliError(`cannot create ${path.dirname(this.file)}: ${(error as Error).message}`);
    }
    for (;;) {
      try {
        closeSync(openSync(lock, 'wx', 0o600));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new CliError(`cannot lock ${this.file}: ${(error as Error).message}`);
      }
      try {
        if (Date.now() - statSync(lock).mtimeMs > 10_000) rmSync(lock, { force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) {
        throw new CliError(`${this.file} is locked by another maws process (remove ${lock} if none is running)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
    }
    try {
      const config = this.read();
      const result = change(config);
      this.write(config);
      return result;
    } finally {
      rmSync(lock, { force: true });
    }
  }

  /** Saves a profile and makes it the current one. */
  save(name: string, profile: Profile): Promise<void> {
    return this.update((config) => {
      config.profiles[name] = profile;
      config.current = name;
    });
  }
}
