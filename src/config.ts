import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Static, Type } from 'typebox';
import { schemaChecker } from './schema-check.js';

/** An account's (domain's) name, which is also its root user's: MAWS_ROOT_NAME and the operator API's accounts. */
export const ACCOUNT_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_.-]{2,63}$';

/** Every environment variable the server reads; nothing else in src/ touches process.env. */
const EnvSchema = Type.Object({
  MAWS_HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  MAWS_PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535 }),
  MAWS_DATA_DIR: Type.String({ default: './data', minLength: 1 }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^(sqlite:|postgres://|postgresql://)' })),
  MAWS_SQLITE_MMAP_MB: Type.Integer({ default: 256, minimum: 0, maximum: 65536 }),
  MAWS_LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  MAWS_ROOT_NAME: Type.String({ default: 'admin', pattern: ACCOUNT_NAME_PATTERN }),
  MAWS_ROOT_PASSWORD: Type.Optional(Type.String({ minLength: 8, maxLength: 128 })),
  MAWS_ROOT_ACCESS_KEY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{8,64}$' })),
  MAWS_ROOT_SECRET_KEY: Type.Optional(Type.String({ pattern: '^[\\x21-\\x7e]{16,128}$' })),
  MAWS_PROJECT_ID: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' })),
  MAWS_PROJECT_NAME: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
  MAWS_REGIONS: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,32}(,[a-z0-9-]{1,32})*$' })),
  MAWS_OPERATOR_TOKEN: Type.Optional(Type.String({ pattern: '^[\\x21-\\x7e]{24,256}$' })),
  MAWS_TEST_CONTROLS: Type.Boolean({ default: false }),
  MAWS_TOKEN_TTL_SECONDS: Type.Integer({ default: 86400, minimum: 60 }),
  MAWS_SIGNATURE_SKEW_SECONDS: Type.Integer({ default: 900, minimum: 1 }),
  MAWS_AUTH_CACHE_MS: Type.Integer({ default: 5000, minimum: 0, maximum: 60000 }),
  MAWS_LOCKOUT_ATTEMPTS: Type.Integer({ default: 5, minimum: 0, maximum: 100 }),
  MAWS_LOCKOUT_WINDOW_MINUTES: Type.Integer({ default: 15, minimum: 1, maximum: 1440 }),
  MAWS_LOCKOUT_MINUTES: Type.Integer({ default: 15, minimum: 1, maximum: 1440 }),
  MAWS_MAX_WORKSPACES: Type.Integer({ default: 1000, minimum: 0 }),
  MAWS_QUOTA_CATALOG: Type.Optional(Type.String({ minLength: 1 })),
  MAWS_BODY_LIMIT_BYTES: Type.Integer({ default: 12 * 1024 * 1024, minimum: 1024 }),
  MAWS_HEADERS_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100 }),
  MAWS_REQUEST_TIMEOUT_MS: Type.Integer({ default: 30000, minimum: 100 }),
  MAWS_KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ default: 72000, minimum: 100 }),
  MAWS_WORKER: Type.Boolean({ default: true }),
  MAWS_JOB_POLL_MS: Type.Integer({ default: 500, minimum: 10 }),
  MAWS_JOB_CONCURRENCY: Type.Integer({ default: 4, minimum: 1, maximum: 64 }),
  MAWS_JOB_LEASE_MS: Type.Integer({ default: 60000, minimum: 1000 }),
  MAWS_JOB_MAX_ATTEMPTS: Type.Integer({ default: 5, minimum: 1 }),
  MAWS_JOB_RETRY_BASE_MS: Type.Integer({ default: 1000, minimum: 0 }),
  MAWS_JOB_RETENTION_HOURS: Type.Integer({ default: 168, minimum: 1 }),
  MAWS_TRACE_RETENTION_DAYS: Type.Integer({ default: 7, minimum: 1, maximum: 3650 }),
  MAWS_AUDIT_TRAIL: Type.Boolean({ default: true }),
  MAWS_DELETE_HOOK_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  MAWS_DELETE_HOOK_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100 }),
  MAWS_CONSOLE_DIR: Type.Optional(Type.String({ minLength: 1 })),
  MAWS_THROTTLE_SIGN_IN_PER_IP: Type.Integer({ default: 50, minimum: 0 }),
  MAWS_THROTTLE_FAILED_AUTH_PER_IP: Type.Integer({ default: 200, minimum: 0 }),
  MAWS_THROTTLE_IP_WINDOW_SECONDS: Type.Integer({ default: 10, minimum: 1, maximum: 86400 }),
  MAWS_THROTTLE_PER_USER: Type.Integer({ default: 0, minimum: 0 }),
  MAWS_THROTTLE_USER_WINDOW_SECONDS: Type.Integer({ default: 1, minimum: 1, maximum: 86400 }),
  MAWS_TRUST_PROXY: Type.Optional(Type.String({ pattern: '^(true|false|[0-9A-Fa-f.:/]+(,[0-9A-Fa-f.:/]+)*)$' })),
  MAWS_REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  MAWS_REDIS_KEY_PREFIX: Type.String({ default: 'maws:throttle:', pattern: '^[\\x21-\\x7e]{1,64}$' }),
  MAWS_MASTER_KEY: Type.Optional(Type.String({ minLength: 1 })),
});
type Env = Static<typeof EnvSchema>;

/**
 * Checks the variables that are set, against their part of EnvSchema only: compiling the whole
 * schema took a tenth of the server's start, and a deployment sets a handful of them. The others
 * take their defaults.
 */
function checkSetVariables(known: Record<string, unknown>): string[] {
  const properties = EnvSchema.properties as Record<string, { default?: unknown }>;
  const problems = schemaChecker(Type.Object(Object.fromEntries(Object.keys(known).map((k) => [k, properties[k]!]))), { coerce: true })(known);
  for (const [name, schema] of Object.entries(properties)) {
    if (!(name in known) && schema.default !== undefined) known[name] = schema.default;
  }
  return problems;
}

/** mmapBytes: how much of the SQLite file is read through a memory map instead of read(2) calls */
export type Database = { kind: 'sqlite'; file: string; mmapBytes: number } | { kind: 'postgres'; url: string };

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  database: Database;
  logLevel: string;
  bodyLimitBytes: number;
  /**
   * headersMs: from a request's first byte to the end of its headers; requestMs: to the end of its
   * body; keepAliveMs: how long an idle connection waits for the next request
   */
  timeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  root: {
    name: string;
    password?: string;
    accessKey?: string;
    secretKey?: string;
    /** the id of the root account's project in the first region */
    projectId?: string;
  };
  /** every account has one project per region, named after it; the first is the default region */
  regions: readonly string[];
  /** the operator API's credential; undefined keeps the stored one (or generates one on the first start) */
  operatorToken?: string;
  /** the operator API's test controls (fault injection, project reset) answer only when true */
  testControls: boolean;
  /**
   * cacheMs: how long a replica may keep using a credential that another replica changed;
   * lockout: failed password sign-ins that lock a user (attempts 0: never), within windowMs, for durationMs
   */
  auth: { tokenTtlMs: number; signatureSkewMs: number; cacheMs: number; lockout: { attempts: number; windowMs: number; durationMs: number } };
  workspaces: { maxPerProject: number };
  quotaCatalogFile?: string;
  /** retentionMs: how long done and failed jobs are kept before the worker deletes them */
  jobs: { worker: boolean; pollMs: number; concurrency: number; leaseMs: number; maxAttempts: number; retryBaseMs: number; retentionMs: number };
  /** how long audit traces are kept before they are purged (CTS keeps seven days) */
  traceRetentionMs: number;
  /** whether changes are recorded in the audit trail (off: nothing is recorded, ListTraces finds nothing new) */
  auditTrail: boolean;
  deleteHook?: { url: string; timeoutMs: number };
  /** the web console's built files, served at /console/ */
  consoleDir: string;
  /** MAWS_MASTER_KEY's keys (base64): the first encrypts secret keys, all decrypt; undefined: the key file in dataDir */
  masterKeys?: readonly string[];
  throttle: Throttling;
  /**
   * Whose X-Forwarded-For names the client (Fastify's trustProxy): every sender's (true), or the
   * listed addresses' and CIDRs'; the per-address throttles count the address it gives
   */
  trustProxy: boolean | string;
}

/**
 * Requests allowed per window (0: no limit). Without redis each replica counts alone; with it,
 * all replicas share one count per key.
 */
export interface Throttling {
  signInPerIp: number;
  failedAuthPerIp: number;
  ipWindowSeconds: number;
  perUser: number;
  userWindowSeconds: number;
  redis?: { url: string; keyPrefix: string };
}

/**
 * The folder holding package.json: this file runs from src/ (tsx) or from a bundle in dist/, and
 * the console is built into dist/console either way, whatever the working directory.
 */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export class ConfigError extends Error {}

function parseEnv(env: Record<string, string | undefined>): Env {
  const known: Record<string, unknown> = Object.fromEntries(
    Object.keys(EnvSchema.properties)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  // Fills in defaults and converts numbers and booleans in place.
  const problems = checkSetVariables(known);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return known as unknown as Env;
}

function databaseOf(env: Env, dataDir: string): Database {
  const url = env.DATABASE_URL;
  const mmapBytes = env.MAWS_SQLITE_MMAP_MB * 1024 * 1024;
  if (url === undefined) return { kind: 'sqlite', file: path.join(dataDir, 'maws.db'), mmapBytes };
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === '') throw new ConfigError('invalid configuration:\n  DATABASE_URL: sqlite: needs a file path');
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file), mmapBytes };
  }
  return { kind: 'postgres', url };
}

/** MAWS_PROJECT_NAME, from before regions, names the one region when MAWS_REGIONS is not set. */
function regionsOf(env: Env): string[] {
  if (env.MAWS_REGIONS === undefined) return [env.MAWS_PROJECT_NAME ?? 'cn-north-4'];
  if (env.MAWS_PROJECT_NAME !== undefined) {
    throw new ConfigError('invalid configuration:\n  MAWS_PROJECT_NAME and MAWS_REGIONS cannot both be set: MAWS_REGIONS names the projects');
  }
  const regions = env.MAWS_REGIONS.split(',');
  const repeated = regions.find((r, i) => regions.indexOf(r) !== i);
  if (repeated) throw new ConfigError(`invalid configuration:\n  MAWS_REGIONS: ${repeated} is listed twice`);
  return regions;
}

/** Checked here: Fastify would refuse a bad address only with a stack trace. */
function trustProxyOf(value: string | undefined): boolean | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  for (const entry of value.split(',')) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const bits = isIP(address) === 4 ? 32 : isIP(address) === 6 ? 128 : 0;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (bits === 0 || !prefixOk || rest.length > 0) {
      throw new ConfigError(`invalid configuration:\n  MAWS_TRUST_PROXY: ${entry} is not an IP address or CIDR (true, or addresses and CIDRs, comma-separated)`);
    }
  }
  return value;
}

/** Refused at the start, before anything connects: ioredis would otherwise read a typo as some other host. */
function redisOf(env: Env): Throttling['redis'] {
  const url = env.MAWS_REDIS_URL;
  if (url === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // The URL may hold a password: it is not repeated.
  }
  if (!parsed || parsed.hostname === '' || !/^(\/\d*)?$/.test(parsed.pathname) || parsed.search !== '' || parsed.hash !== '') {
    throw new ConfigError('invalid configuration:\n  MAWS_REDIS_URL: not a Redis URL of the form redis://[[user]:password@]host[:port][/db] (or rediss:// for TLS)');
  }
  return { url, keyPrefix: env.MAWS_REDIS_KEY_PREFIX };
}

/** The base64 of 32 bytes (src/secrets/master-key.ts decodes it). */
const MASTER_KEY = /^[A-Za-z0-9+/]{43}=$/;

/** One key, or during a rotation several, comma-separated; the value itself is never echoed. */
function masterKeysOf(env: Env): string[] | undefined {
  if (env.MAWS_MASTER_KEY === undefined) return undefined;
  const keys = env.MAWS_MASTER_KEY.split(',').map((k) => k.trim());
  const bad = keys.findIndex((k) => !MASTER_KEY.test(k));
  if (bad >= 0) {
    throw new ConfigError(
      `invalid configuration:\n  MAWS_MASTER_KEY: key ${bad + 1} is not the base64 of 32 random bytes (44 characters, e.g. from \`openssl rand -base64 32\`)`,
    );
  }
  return keys;
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const e = parseEnv(env);
  const dataDir = path.resolve(e.MAWS_DATA_DIR);
  const config: Config = {
    host: e.MAWS_HOST,
    port: e.MAWS_PORT,
    dataDir,
    database: databaseOf(e, dataDir),
    logLevel: e.MAWS_LOG_LEVEL,
    bodyLimitBytes: e.MAWS_BODY_LIMIT_BYTES,
    timeouts: { headersMs: e.MAWS_HEADERS_TIMEOUT_MS, requestMs: e.MAWS_REQUEST_TIMEOUT_MS, keepAliveMs: e.MAWS_KEEP_ALIVE_TIMEOUT_MS },
    root: {
      name: e.MAWS_ROOT_NAME,
      password: e.MAWS_ROOT_PASSWORD,
      accessKey: e.MAWS_ROOT_ACCESS_KEY,
      secretKey: e.MAWS_ROOT_SECRET_KEY,
      projectId: e.MAWS_PROJECT_ID,
    },
    regions: regionsOf(e),
    operatorToken: e.MAWS_OPERATOR_TOKEN,
    testControls: e.MAWS_TEST_CONTROLS,
    auth: {
      tokenTtlMs: e.MAWS_TOKEN_TTL_SECONDS * 1000,
      signatureSkewMs: e.MAWS_SIGNATURE_SKEW_SECONDS * 1000,
      cacheMs: e.MAWS_AUTH_CACHE_MS,
      lockout: {
        attempts: e.MAWS_LOCKOUT_ATTEMPTS,
        windowMs: e.MAWS_LOCKOUT_WINDOW_MINUTES * 60_000,
        durationMs: e.MAWS_LOCKOUT_MINUTES * 60_000,
      },
    },
    workspaces: { maxPerProject: e.MAWS_MAX_WORKSPACES },
    quotaCatalogFile: e.MAWS_QUOTA_CATALOG,
    traceRetentionMs: e.MAWS_TRACE_RETENTION_DAYS * 24 * 3600 * 1000,
    auditTrail: e.MAWS_AUDIT_TRAIL,
    jobs: {
      worker: e.MAWS_WORKER,
      pollMs: e.MAWS_JOB_POLL_MS,
      concurrency: e.MAWS_JOB_CONCURRENCY,
      leaseMs: e.MAWS_JOB_LEASE_MS,
      maxAttempts: e.MAWS_JOB_MAX_ATTEMPTS,
      retryBaseMs: e.MAWS_JOB_RETRY_BASE_MS,
      retentionMs: e.MAWS_JOB_RETENTION_HOURS * 3600 * 1000,
    },
    deleteHook: e.MAWS_DELETE_HOOK_URL
      ? { url: e.MAWS_DELETE_HOOK_URL, timeoutMs: e.MAWS_DELETE_HOOK_TIMEOUT_MS }
      : undefined,
    consoleDir: e.MAWS_CONSOLE_DIR === undefined ? path.join(packageRoot(), 'dist', 'console') : path.resolve(e.MAWS_CONSOLE_DIR),
    trustProxy: trustProxyOf(e.MAWS_TRUST_PROXY),
    throttle: {
      signInPerIp: e.MAWS_THROTTLE_SIGN_IN_PER_IP,
      failedAuthPerIp: e.MAWS_THROTTLE_FAILED_AUTH_PER_IP,
      ipWindowSeconds: e.MAWS_THROTTLE_IP_WINDOW_SECONDS,
      perUser: e.MAWS_THROTTLE_PER_USER,
      userWindowSeconds: e.MAWS_THROTTLE_USER_WINDOW_SECONDS,
      redis: redisOf(e),
    },
    masterKeys: masterKeysOf(e),
  };
  if ((config.root.accessKey === undefined) !== (config.root.secretKey === undefined)) {
    throw new ConfigError('invalid configuration:\n  MAWS_ROOT_ACCESS_KEY and MAWS_ROOT_SECRET_KEY must be set together');
  }
  // Node refuses a header deadline later than the whole request's.
  if (config.timeouts.headersMs > config.timeouts.requestMs) {
    throw new ConfigError(
      `invalid configuration:\n  MAWS_HEADERS_TIMEOUT_MS (${config.timeouts.headersMs}) must not exceed MAWS_REQUEST_TIMEOUT_MS (${config.timeouts.requestMs})`,
    );
  }
  // Otherwise a cleanup call could outlive its job's lease and run again, at the same time, elsewhere.
  if (config.deleteHook && config.deleteHook.timeoutMs >= config.jobs.leaseMs) {
    throw new ConfigError(
      `invalid configuration:\n  MAWS_DELETE_HOOK_TIMEOUT_MS (${config.deleteHook.timeoutMs}) must be below MAWS_JOB_LEASE_MS (${config.jobs.leaseMs})`,
    );
  }
  return Object.freeze(config);
}
