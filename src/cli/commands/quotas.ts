// maws quotas get / set
import { type CommandSpec, openSession, usageError } from '../command.js';
import type { QuotaView, UpdatedQuotaView } from '../../quotas/quota.schemas.js';
import { formatTable, formatTime, printJson } from '../output.js';
import { workspacePath } from '../paths.js';

type Quota = UpdatedQuotaView & { used_quota?: QuotaView['used_quota'] };

const limitText = (n: number) => (n === -1 ? 'unlimited' : String(n));

function quotaTable(quotas: readonly Quota[], withUsed: boolean): string {
  const headers = ['RESOURCE', 'NAME', 'QUOTA', ...(withUsed ? ['USED'] : []), 'MIN', 'MAX', 'UNIT', 'UPDATED'];
  return formatTable(
    headers,
    quotas.map((q) => [
      q.resource,
      q.name_en,
      limitText(q.quota),
      ...(withUsed ? [q.used_quota ?? null] : []),
      q.min_quota,
      q.max_quota,
      q.unit_en,
      formatTime(q.update_time),
    ]),
  );
}

const get: CommandSpec = {
  path: ['quotas', 'get'],
  usage: 'WORKSPACE_ID',
  summary: 'show the quotas of a workspace',
  positionals: [1, 1],
  async run(ctx) {
    const s = openSession(ctx);
    const res = await s.client.get<{ quotas: Quota[] }>(`${workspacePath(s, ctx.args[0]!)}/quotas`);
    if (ctx.json) return printJson(ctx.io, res.body);
    ctx.io.out(res.body.quotas.length === 0 ? 'No quotas.' : quotaTable(res.body.quotas, true));
  },
};

const set: CommandSpec = {
  path: ['quotas', 'set'],
  usage: 'WORKSPACE_ID RESOURCE=QUOTA [RESOURCE=QUOTA...]',
  summary: 'change quotas of a workspace (QUOTA: a number, or -1 / unlimited)',
  details: 'Values are checked by the server against the quota catalog (min/max, whether -1 is allowed).',
  positionals: [2, Infinity],
  async run(ctx) {
    const [workspaceId, ...pairs] = ctx.args as [string, ...string[]];
    const quotas = pairs.map((pair) => {
      const eq = pair.lastIndexOf('=');
      if (eq <= 0 || eq === pair.length - 1) throw usageError(ctx, `expected RESOURCE=QUOTA, got "${pair}"`);
      const resource = pair.slice(0, eq);
      const raw = pair.slice(eq + 1).trim();
      // whole numbers are sent as numbers; anything else is sent as given, for the server to judge
      const quota: unknown = /^-?\d+$/.test(raw) ? Number(raw) : raw.toLowerCase() === 'unlimited' ? -1 : raw;
      return { resource, quota };
    });
    const s = openSession(ctx);
    const res = await s.client.put<{ quotas: Quota[] }>(`${workspacePath(s, workspaceId)}/quotas`, { quotas });
    if (ctx.json) return printJson(ctx.io, res.body);
    ctx.io.out(`Updated ${res.body.quotas.length} quota${res.body.quotas.length === 1 ? '' : 's'} of workspace ${workspaceId}.`);
    if (res.body.quotas.length > 0) ctx.io.out(quotaTable(res.body.quotas, false));
  },
};

export const quotaCommands: CommandSpec[] = [get, set];
