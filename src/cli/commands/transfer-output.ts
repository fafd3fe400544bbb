// What export, import and migrate print: progress on stderr during long runs, the verification table.
import type { CommandContext } from '../command.js';
import { formatTable, printJson } from '../output.js';
import type { ImportReport } from '../../transfer/import.js';

const PROGRESS_EVERY_MS = 2000;

/** A progress line on stderr at most every 2 s (on the CLI's clock): quick runs print none. */
export function progress(ctx: CommandContext, verb: string): (table: string, rows: number, phase?: 'loading' | 'verifying') => void {
  let last = ctx.now();
  return (table, rows, phase) => {
    const now = ctx.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    ctx.io.err(`${phase === 'verifying' ? 'verifying' : verb} ${table}: ${rows.toLocaleString('en-US')} rows`);
  };
}

/** Both sides of every table, and the verdict. */
export function printReport(ctx: CommandContext, report: ImportReport, sourceName: string, targetName: string): void {
  if (ctx.json) return printJson(ctx.io, report);
  ctx.io.out(
    formatTable(
      ['TABLE', `${sourceName} ROWS`, `${targetName} ROWS`, `${sourceName} SHA-256`, `${targetName} SHA-256`, 'VERIFIED'],
      report.tables.map((t) => [
        t.table,
        t.source.rows,
        t.target.rows,
        t.source.sha256.slice(0, 16),
        t.target.sha256.slice(0, 16),
        t.source.rows === t.target.rows && t.source.sha256 === t.target.sha256 ? 'yes' : 'NO',
      ]),
    ),
  );
  const rows = report.tables.reduce((n, t) => n + t.target.rows, 0);
  const scope = report.scope.kind === 'account' ? `account ${report.scope.account}` : 'the whole service';
  ctx.io.out(`Verified: ${rows.toLocaleString('en-US')} rows of ${scope} in ${report.tables.length} tables; every row count and checksum matches.`);
}
