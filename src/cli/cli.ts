// Argument parsing and dispatch: find the command in argv, parse its options with node:util
// parseArgs, run it, and turn any failure into one stderr message and an exit code.
import { VERSION } from '../version.js';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { type CommandContext, type CommandSpec, usageLine } from './command.js';
import { authCommands } from './commands/auth.js';
import { accountCommands } from './commands/admin-accounts.js';
import { epCommands } from './commands/admin-eps.js';
import { keyCommands } from './commands/admin-keys.js';
import { projectCommands } from './commands/admin-projects.js';
import { userCommands } from './commands/admin-users.js';
import { transferCommands } from './commands/admin-transfer.js';
import { rotateMasterKeyCommand } from './commands/admin-master-key.js';
import { quotaCommands } from './commands/quotas.js';
import { serveCommand } from './commands/serve.js';
import { testControlCommands } from './commands/test-controls.js';
import { traceCommands } from './commands/traces.js';
import { workspaceCommands } from './commands/workspace.js';
import { describeFailure, EXIT_OK, UsageError } from './errors.js';
import { commandHelp, GLOBAL_OPTIONS, groupHelp, topHelp } from './help.js';
import { type Io, processIo } from './output.js';
import { ProfileStore } from './profiles.js';
import { processStdin } from './stdin.js';

const COMMANDS: readonly CommandSpec[] = [
  ...authCommands,
  ...workspaceCommands,
  ...quotaCommands,
  ...traceCommands,
  ...userCommands,
  ...keyCommands,
  ...epCommands,
  ...projectCommands,
  ...testControlCommands,
  ...transferCommands,
  rotateMasterKeyCommand,
  ...accountCommands,
  serveCommand,
];

/** Alternative spellings per position, keyed by the (normalised) words before it. */
const ALIASES: Record<string, Record<string, string>> = {
  '': { ws: 'workspace', workspaces: 'workspace', quota: 'quotas', profile: 'profiles', trace: 'traces' },
  workspace: { list: 'ls', delete: 'rm', remove: 'rm', get: 'show' },
  quotas: { show: 'get' },
  traces: { list: 'ls' },
  profiles: { switch: 'use' },
  admin: { user: 'users', key: 'keys', credentials: 'keys', ep: 'eps', 'enterprise-projects': 'eps', project: 'projects', account: 'accounts' },
  'admin users': { list: 'ls', delete: 'rm' },
  'admin keys': { list: 'ls', delete: 'rm' },
  'admin eps': { list: 'ls' },
  'admin projects': { list: 'ls' },
  test: { list: 'ls', rm: 'clear' },
  'admin accounts': { list: 'ls', get: 'show', delete: 'rm', remove: 'rm' },
};

interface CliEnvironment {
  configPath: string;
  /** the MAWS_* variables `maws serve` configures the server from (default process.env) */
  env?: Record<string, string | undefined>;
  io?: Io;
  stdin?: CommandContext['stdin'];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}


interface Word {
  index: number;
  value: string;
}

/** The non-option words of argv (candidates for the command path) and the help/version flags. */
function scan(argv: readonly string[]): { words: Word[]; help: boolean; version: boolean; json: boolean } {
  const words: Word[] = [];
  let help = false;
  let json = false;
  let wantsVersion = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      for (let j = i + 1; j < argv.length; j++) words.push({ index: j, value: argv[j]! });
      break;
    }
    if (a === '--help' || a === '-h') help = true;
    else if (a === '--version') wantsVersion = true;
    else if (a === '--json') json = true;
    else if (a === '--profile') i++; // its value is not a command word
    else if (!(a.startsWith('-') && a.length > 1)) words.push({ index: i, value: a });
  }
  return { words, help, version: wantsVersion, json };
}

function normalise(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) out.push(ALIASES[out.join(' ')]?.[w] ?? w);
  return out;
}

type Resolution = { kind: 'command'; spec: CommandSpec } | { kind: 'group'; prefix: string[] } | { kind: 'none'; unknown?: string };

function resolve(words: readonly string[]): Resolution {
  const norm = normalise(words);
  const matches = COMMANDS.filter((s) => s.path.length <= norm.length && s.path.every((p, i) => norm[i] === p)).sort(
    (a, b) => b.path.length - a.path.length,
  );
  // a group word followed by more words is a subcommand that does not exist, unless the command takes arguments
  let prefix: string[] = [];
  for (let k = norm.length; k >= 1; k--) {
    const candidate = norm.slice(0, k);
    if (COMMANDS.some((s) => s.path.length > k && candidate.every((p, i) => s.path[i] === p))) {
      prefix = candidate;
      break;
    }
  }
  const best = matches[0];
  if (best && best.path.length >= prefix.length) return { kind: 'command', spec: best };
  if (prefix.length > 0) {
    const next = words[prefix.length];
    return next === undefined ? { kind: 'group', prefix } : { kind: 'none', unknown: `${prefix.join(' ')} ${next}` };
  }
  return { kind: 'none', unknown: words[0] };
}

function parseOptions(spec: CommandSpec, args: string[]) {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries({ ...GLOBAL_OPTIONS, ...spec.options })) {
    options[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) };
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.split(/\.\s/)[0]!.replace(/\.$/, '');
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1), usageLine(spec));
  }
}

export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<number> {
  const io = env.io ?? processIo;
  const { words, help, version: wantsVersion, json } = scan(argv);
  try {
    if (words[0]?.value === 'help') {
      const target = resolve(words.slice(1).map((w) => w.value));
      if (target.kind === 'command') io.out(commandHelp(target.spec));
      else if (target.kind === 'group') io.out(groupHelp(target.prefix, COMMANDS));
      else if (target.unknown === undefined) io.out(topHelp(COMMANDS));
      else throw new UsageError(`unknown command "${target.unknown}"`, 'maws help [COMMAND]');
      return EXIT_OK;
    }
    if (wantsVersion && (words.length === 0 || !help)) {
      io.out(`maws ${VERSION}`);
      return EXIT_OK;
    }
    const found = resolve(words.map((w) => w.value));
    if (found.kind === 'none') {
      if (found.unknown === undefined) {
        if (help) {
          io.out(topHelp(COMMANDS));
          return EXIT_OK;
        }
        throw new UsageError('missing command (see maws help)', 'maws [--profile NAME] [--json] COMMAND [ARGS...]');
      }
      throw new UsageError(`unknown command "${found.unknown}" (see maws help)`, 'maws COMMAND [ARGS...]');
    }
    if (found.kind === 'group') {
      if (help) {
        io.out(groupHelp(found.prefix, COMMANDS));
        return EXIT_OK;
      }
      throw new UsageError(`"maws ${found.prefix.join(' ')}" needs a subcommand (see maws help ${found.prefix.join(' ')})`, `maws ${found.prefix.join(' ')} COMMAND [ARGS...]`);
    }
    const spec = found.spec;
    if (help) {
      io.out(commandHelp(spec));
      return EXIT_OK;
    }
    const consumed = new Set(words.slice(0, spec.path.length).map((w) => w.index));
    const { values, positionals } = parseOptions(spec, argv.filter((_, i) => !consumed.has(i)));
    const [min, max] = spec.positionals ?? [0, 0];
    if (positionals.length < min) {
      const names = spec.usage.split(' ').filter((t, i, all) => all.slice(0, i + 1).every((x) => /^[A-Z]/.test(x)));
      const missing = names.slice(positionals.length, min);
      throw new UsageError(missing.length > 0 ? `missing ${missing.join(' ')}` : 'missing argument', usageLine(spec));
    }
    if (positionals.length > max) throw new UsageError(`unexpected argument "${positionals[max]}"`, usageLine(spec));
    if (positionals.some((p) => p.trim() === '')) throw new UsageError('arguments must not be empty', usageLine(spec));
    const profileName = typeof values.profile === 'string' ? values.profile : undefined;
    if (profileName !== undefined && profileName.trim() === '') throw new UsageError('--profile needs a name', usageLine(spec));
    await spec.run({
      spec,
      values,
      args: positionals,
      json: values.json === true,
      profileName,
      store: new ProfileStore(env.configPath),
      io,
      stdin: env.stdin ?? processStdin,
      sleep: env.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      now: env.now ?? Date.now,
      env: env.env ?? process.env,
    });
    return EXIT_OK;
  } catch (error) {
    // decided from argv, so that errors found before or while parsing the options are JSON too
    const { text, exitCode } = describeFailure(error, json);
    io.err(text);
    return exitCode;
  }
}
