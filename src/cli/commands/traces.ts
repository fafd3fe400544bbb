// maws traces ls: the audit trail (CTS ListTraces), a page at a time or, with --all, to the end.
import type { TraceList, TraceView } from '../../audit/trace.schemas.js';
import { seg } from '../client.js';
import { type CommandContext, type CommandSpec, flag, intOpt, oneOf, openSession, str, usageError } from '../command.js';
import { formatTable, formatTime, printJson } from '../output.js';

const SERVICES = ['ModelArts', 'IAM', 'EPS'] as const;
const RATINGS = ['normal', 'warning', 'incident'] as const;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
/** CTS's largest page: --all asks for it unless --limit says otherwise */
const MAX_PAGE = 200;

/**
 * --from / --to: epoch milliseconds, an ISO 8601 date or time, or a duration back from now
 * (30m, 1h, 7d).
 */
function parseInstant(ctx: CommandContext, name: string): number | undefined {
  const value = str(ctx, name)?.trim();
  if (value === undefined) return undefined;
  const relative = /^(\d+)([smhdw])$/.exec(value);
  let ms: number;
  if (relative) ms = ctx.now() - Number(relative[1]) * UNIT_MS[relative[2]!]!;
  else if (/^\d+$/.test(value)) ms = Number(value);
  else ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw usageError(ctx, `--${name} must be epoch milliseconds, an ISO date (2026-11-30, 2026-11-30T08:00:00Z) or a duration back from now (30m, 1h, 7d), got "${value}"`);
  }
  return ms;
}

/** --service in any case, sent as CTS spells it */
function service(ctx: CommandContext): string | undefined {
  const value = str(ctx, 'service');
  if (value === undefined) return undefined;
  const found = SERVICES.find((s) => s.toLowerCase() === value.trim().toLowerCase());
  if (!found) throw usageError(ctx, `--service must be one of ${SERVICES.join(', ')}, got "${value}"`);
  return found;
}

function traceRows(traces: readonly TraceView[]): string {
  return formatTable(
    ['TIME', 'TRACE', 'RATING', 'CODE', 'SERVICE', 'RESOURCE TYPE', 'RESOURCE NAME', 'RESOURCE ID', 'USER', 'TYPE', 'SOURCE IP', 'TRACE ID'],
    traces.map((t) => [formatTime(t.time), t.trace_name, t.trace_rating, t.code, t.service_type, t.resource_type, t.resource_name, t.resource_id, t.user?.name, t.trace_type, t.source_ip, t.trace_id]),
  );
}

const ls: CommandSpec = {
  path: ['traces', 'ls'],
  usage:
    '[--from T] [--to T] [--service S] [--user NAME] [--resource-type T] [--resource-name N] [--resource-id ID] [--trace-name N] [--trace-id ID] [--rating R] [--limit N] [--next MARKER | --all]',
  summary: 'list the audit trail of the project and the account, newest first (root user only)',
  details: [
    'Without --from and --to the server shows the last hour. T is epoch milliseconds, an ISO 8601',
    'date or time, or a duration back from now: 30m, 1h, 7d. A page holds --limit traces (default',
    '10, at most 200); when there are more, the marker of the next page is printed on stderr: pass',
    'it as --next with the same filters. --all follows the markers to the end (pages of 200 unless',
    '--limit), counting the pages on stderr; with --json it prints one list of all the traces.',
  ].join('\n'),
  options: {
    from: { type: 'string', value: 'T', help: 'traces at or after T' },
    to: { type: 'string', value: 'T', help: 'traces at or before T (default now)' },
    service: { type: 'string', value: 'S', help: 'ModelArts, IAM or EPS' },
    user: { type: 'string', value: 'NAME', help: 'only the calls of this user (its name)' },
    'resource-type': { type: 'string', value: 'T', help: 'workspace, user, credential, token, project, enterpriseProject' },
    'resource-name': { type: 'string', value: 'N', help: 'only this resource name' },
    'resource-id': { type: 'string', value: 'ID', help: 'only this resource id' },
    'trace-name': { type: 'string', value: 'N', help: 'the operation, e.g. createWorkspace' },
    'trace-id': { type: 'string', value: 'ID', help: 'one trace' },
    rating: { type: 'string', value: 'R', help: 'normal, warning (refused) or incident (failed)' },
    limit: { type: 'string', value: 'N', help: 'traces per page (1-200)' },
    next: { type: 'string', value: 'MARKER', help: 'the page after this marker (printed by the previous page)' },
    all: { type: 'boolean', help: 'every page, following the markers to the end' },
  },
  positionals: [0, 0],
  async run(ctx) {
    const from = parseInstant(ctx, 'from');
    const to = parseInstant(ctx, 'to');
    if (from !== undefined && to !== undefined && from > to) throw usageError(ctx, `--from (${formatTime(from)}) is after --to (${formatTime(to)})`);
    const all = flag(ctx, 'all');
    const next = str(ctx, 'next');
    if (all && next !== undefined) throw usageError(ctx, 'give --next or --all, not both');
    if (next !== undefined && next.trim() === '') throw usageError(ctx, '--next needs the marker printed by the previous page');
    const limit = intOpt(ctx, 'limit', 1, MAX_PAGE) ?? (all ? MAX_PAGE : undefined);
    const query = {
      trace_type: 'system',
      from,
      to,
      service_type: service(ctx),
      user: str(ctx, 'user'),
      resource_type: str(ctx, 'resource-type'),
      resource_name: str(ctx, 'resource-name'),
      resource_id: str(ctx, 'resource-id'),
      trace_name: str(ctx, 'trace-name'),
      trace_id: str(ctx, 'trace-id'),
      trace_rating: oneOf(ctx, 'rating', RATINGS),
      limit,
    };
    const s = openSession(ctx);
    const path = `/v3/${seg(s.projectId)}/traces`;
    const page = (marker: string | undefined) => s.client.get<TraceList>(path, { ...query, next: marker }).then((r) => r.body);

    if (!all) {
      const body = await page(next);
      if (ctx.json) return printJson(ctx.io, body);
      ctx.io.out(body.traces.length === 0 ? (next === undefined ? 'No traces.' : 'No more traces.') : traceRows(body.traces));
      if (body.meta_data.marker !== null) ctx.io.err(`more traces: add --next ${body.meta_data.marker}`);
      return;
    }
    const traces: TraceView[] = [];
    let marker: string | undefined;
    for (let n = 1; ; n++) {
      const body = await page(marker);
      traces.push(...body.traces);
      ctx.io.err(`page ${n}: ${body.traces.length} traces (${traces.length} in all)`);
      if (body.meta_data.marker === null) break;
      marker = body.meta_data.marker;
    }
    if (ctx.json) return printJson(ctx.io, { traces, meta_data: { count: traces.length, marker: null } });
    ctx.io.out(traces.length === 0 ? 'No traces.' : traceRows(traces));
  },
};

export const traceCommands: CommandSpec[] = [ls];
