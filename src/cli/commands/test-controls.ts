// maws test fail-deletions / hold-deletions / fault / reset / ls / clear: the operator API's test
// controls (the server must run with MAWS_TEST_CONTROLS=true).
import { seg } from '../client.js';
import { type CommandContext, type CommandSpec, flag, intOpt, many, openOperatorClient, str, usageError } from '../command.js';
import type { ProjectResetResult, TestControlView } from '../../testing/test-control.schemas.js';
import { formatTable, formatTime, printJson } from '../output.js';

const BASE = '/maws/v1/test-controls';
const DAY_SECONDS = 86400;

const ttlOption = { type: 'string', value: 'SECONDS', help: 'the control expires after this long (default 3600, at most 86400)' } as const;
const countOption = (help: string) => ({ type: 'string', value: 'N', help }) as const;

function ttl(ctx: CommandContext): number | undefined {
  return intOpt(ctx, 'ttl', 1, DAY_SECONDS);
}

/** "the next 2 deletions in project P end …", "every deletion in project P ends …" */
function sentence(remaining: number | null, noun: string, where: string, verb: string, rest: string): string {
  if (remaining === null) return `every ${noun} ${where} ${verb}s ${rest}`;
  return remaining === 1 ? `the next ${noun} ${where} ${verb}s ${rest}` : `the next ${remaining} ${noun}s ${where} ${verb} ${rest}`;
}

function scope(c: TestControlView): string {
  if (c.workspace_id !== null) return `of workspace ${c.workspace_id} (project ${c.project_id})`;
  return c.project_id === null ? 'in any project' : `in project ${c.project_id}`;
}

/** One line saying what a control does. */
function describeControl(c: TestControlView): string {
  if (c.kind === 'deletion_failure') return sentence(c.remaining, 'deletion', scope(c), 'end', `in DELETE_FAILED: "${c.message}"`);
  if (c.kind === 'deletion_hold') return sentence(c.remaining, 'deletion', scope(c), 'stay', `DELETING for ${c.hold_seconds} s`);
  const effect = [c.latency_ms !== undefined ? `${c.latency_ms} ms late` : '', c.error ? `with ${c.error.status} ${c.error.error_code}` : '']
    .filter(Boolean)
    .join(' and ');
  const share = c.share === 1 ? '' : ` (share ${c.share}${c.seed !== undefined ? `, seed ${c.seed}` : ''})`;
  return sentence(c.remaining, 'chosen call', `to ${c.operations.join(', ')} ${scope(c)}`, 'answer', effect) + share;
}

function printCreated(ctx: CommandContext, control: TestControlView): void {
  if (ctx.json) return printJson(ctx.io, control);
  ctx.io.out(`Test control ${control.id}: ${describeControl(control)} (expires ${formatTime(control.expires_at)}).`);
}

function withTtl(ctx: CommandContext, body: Record<string, unknown>): Record<string, unknown> {
  const seconds = ttl(ctx);
  if (seconds !== undefined) body.ttl_seconds = seconds;
  return body;
}

/** PROJECT, --workspace and --count: which deletions a deletion control takes, and how many. */
function deletionScope(ctx: CommandContext, parameters: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { project_id: ctx.args[0], ...parameters };
  if (str(ctx, 'workspace') !== undefined) body.workspace_id = str(ctx, 'workspace');
  const count = intOpt(ctx, 'count', 1);
  if (count !== undefined) body.count = count;
  return withTtl(ctx, body);
}

const failDeletions: CommandSpec = {
  path: ['test', 'fail-deletions'],
  usage: 'PROJECT [--workspace ID] [--count N] [--message M] [--ttl SECONDS]',
  summary: 'make the next deletions of a project (or of one workspace) end in DELETE_FAILED',
  details: 'PROJECT is a project id. A DELETE of the failed workspace retries the deletion.',
  options: {
    workspace: { type: 'string', value: 'ID', help: 'only this workspace' },
    count: countOption('how many deletions fail (default 1)'),
    message: { type: 'string', value: 'M', help: 'the failed workspace\'s status_info' },
    ttl: ttlOption,
  },
  positionals: [1, 1],
  async run(ctx) {
    const message = str(ctx, 'message');
    const body = deletionScope(ctx, message === undefined ? {} : { message });
    const client = openOperatorClient(ctx);
    printCreated(ctx, (await client.post<TestControlView>(`${BASE}/deletion-failures`, body)).body);
  },
};

const holdDeletions: CommandSpec = {
  path: ['test', 'hold-deletions'],
  usage: 'PROJECT --seconds S [--workspace ID] [--count N] [--ttl SECONDS]',
  summary: 'keep deletions of a project (or of one workspace) DELETING for a while',
  details: 'Without --count every deletion is held until the control expires or is cleared.',
  options: {
    seconds: { type: 'string', value: 'S', help: 'how long after the DELETE a held workspace stays DELETING' },
    workspace: { type: 'string', value: 'ID', help: 'only this workspace' },
    count: countOption('how many deletions are held'),
    ttl: ttlOption,
  },
  positionals: [1, 1],
  async run(ctx) {
    const seconds = intOpt(ctx, 'seconds', 1, DAY_SECONDS);
    if (seconds === undefined) throw usageError(ctx, '--seconds S is required');
    const body = deletionScope(ctx, { hold_seconds: seconds });
    const client = openOperatorClient(ctx);
    printCreated(ctx, (await client.post<TestControlView>(`${BASE}/deletion-holds`, body)).body);
  },
};

/** STATUS:CODE[:MESSAGE]; the message may hold colons. */
function parseError(ctx: CommandContext, value: string): Record<string, unknown> {
  const match = /^(\d{3}):([^:]+)(?::(.+))?$/s.exec(value);
  const status = Number(match?.[1]);
  if (!match || status < 400 || status > 599) {
    throw usageError(ctx, `--error must be STATUS:CODE[:MESSAGE] with a status from 400 to 599, e.g. 429:APIG.0308, got "${value}"`);
  }
  const error: Record<string, unknown> = { status, error_code: match[2] };
  if (match[3] !== undefined) error.error_msg = match[3];
  return error;
}

function parseShare(ctx: CommandContext): number | undefined {
  const value = str(ctx, 'share');
  if (value === undefined) return undefined;
  const share = Number(value);
  if (value.trim() === '' || !Number.isFinite(share) || share < 0 || share > 1) {
    throw usageError(ctx, `--share must be a number from 0 to 1, got "${value}"`);
  }
  return share;
}

const fault: CommandSpec = {
  path: ['test', 'fault'],
  usage: '--operation OP... (--error STATUS:CODE[:MSG] | --latency MS) [--share X] [--project ID] [--count N] [--seed N] [--ttl SECONDS]',
  summary: 'answer a share of the calls to chosen operations with an error, or delay them',
  details:
    'OP is an operationId, e.g. CreateWorkspace, ListWorkspace, ShowWorkspace, DeleteWorkspace\n' +
    '(the list is in /openapi.json). --error 429:APIG.0308 throttles like the API gateway;\n' +
    '--error and --latency together delay, then fail. --seed makes a --share below 1 repeatable.',
  options: {
    operation: { type: 'string', multiple: true, value: 'OP', help: 'an operation to affect' },
    error: { type: 'string', value: 'STATUS:CODE[:MSG]', help: 'answer with this error' },
    latency: { type: 'string', value: 'MS', help: 'delay the call by this many milliseconds (at most 60000)' },
    share: { type: 'string', value: 'X', help: 'the share of calls affected, 0 to 1 (default 1)' },
    project: { type: 'string', value: 'ID', help: 'only calls to this project (default every project)' },
    count: countOption('how many calls are affected (default every chosen one until it expires)'),
    seed: { type: 'string', value: 'N', help: 'a seed for the choice of calls' },
    ttl: ttlOption,
  },
  positionals: [0, 0],
  async run(ctx) {
    const operations = many(ctx, 'operation');
    if (operations.length === 0) throw usageError(ctx, '--operation OP is required');
    const error = str(ctx, 'error');
    const latency = intOpt(ctx, 'latency', 1, 60000);
    if (error === undefined && latency === undefined) throw usageError(ctx, 'give --error STATUS:CODE[:MSG], --latency MS or both');
    const body: Record<string, unknown> = { operations };
    if (error !== undefined) body.error = parseError(ctx, error);
    if (latency !== undefined) body.latency_ms = latency;
    const share = parseShare(ctx);
    if (share !== undefined) body.share = share;
    if (str(ctx, 'project') !== undefined) body.project_id = str(ctx, 'project');
    const count = intOpt(ctx, 'count', 1);
    if (count !== undefined) body.count = count;
    const seed = intOpt(ctx, 'seed', 0, 4294967295);
    if (seed !== undefined) body.seed = seed;
    const client = openOperatorClient(ctx);
    printCreated(ctx, (await client.post<TestControlView>(`${BASE}/faults`, withTtl(ctx, body))).body);
  },
};

const reset: CommandSpec = {
  path: ['test', 'reset'],
  usage: 'PROJECT --yes',
  summary: 'put a project back as on its first start (every workspace goes, workspace "0" is new)',
  details: 'Removes every workspace with its grants and quotas, pending deletions and the project\'s test controls.',
  options: { yes: { type: 'boolean', help: 'yes, remove every workspace of the project' } },
  positionals: [1, 1],
  async run(ctx) {
    if (!flag(ctx, 'yes')) throw usageError(ctx, `this removes every workspace of project ${ctx.args[0]}: add --yes to go ahead`);
    const client = openOperatorClient(ctx);
    const { body } = await client.post<ProjectResetResult>(`${BASE}/project-resets`, { project_id: ctx.args[0] });
    if (ctx.json) return printJson(ctx.io, body);
    ctx.io.out(
      `Project ${body.project_id} is reset: ${body.removed_workspaces} workspace(s) removed, ${body.cleared_controls} test control(s) cleared.`,
    );
  },
};

const ls: CommandSpec = {
  path: ['test', 'ls'],
  usage: '[--project ID]',
  summary: 'list the active test controls',
  options: { project: { type: 'string', value: 'ID', help: 'only those of this project' } },
  positionals: [0, 0],
  async run(ctx) {
    const client = openOperatorClient(ctx);
    const { body } = await client.get<{ test_controls: TestControlView[] }>(BASE, { project_id: str(ctx, 'project') });
    if (ctx.json) return printJson(ctx.io, body);
    if (body.test_controls.length === 0) return ctx.io.out('No active test controls.');
    ctx.io.out(
      formatTable(
        ['ID', 'KIND', 'LEFT', 'EXPIRES', 'WHAT'],
        body.test_controls.map((c) => [c.id, c.kind, c.remaining ?? 'unlimited', formatTime(c.expires_at), describeControl(c)]),
      ),
    );
  },
};

const clear: CommandSpec = {
  path: ['test', 'clear'],
  usage: '[ID] [--project ID]',
  summary: 'remove one test control, those of a project, or all of them',
  options: { project: { type: 'string', value: 'ID', help: 'only the controls of this project' } },
  positionals: [0, 1],
  async run(ctx) {
    const id = ctx.args[0];
    if (id !== undefined && str(ctx, 'project') !== undefined) throw usageError(ctx, 'give ID or --project, not both');
    const client = openOperatorClient(ctx);
    const { body } =
      id !== undefined
        ? await client.delete<{ cleared: number }>(`${BASE}/${seg(id)}`)
        : await client.request<{ cleared: number }>('DELETE', BASE, { query: { project_id: str(ctx, 'project') } });
    if (ctx.json) return printJson(ctx.io, body);
    ctx.io.out(`Cleared ${body.cleared} test control(s).`);
  },
};

export const testControlCommands: CommandSpec[] = [failDeletions, holdDeletions, fault, reset, ls, clear];
