// maws admin export / maws admin import / maws migrate: backup, restore and SQLite → PostgreSQL.
// The transfer code (and the database drivers) is loaded only by these commands.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { type CommandContext, type CommandSpec, openOperatorClient, str, usageError } from '../command.js';
import { CliError } from '../errors.js';
import { progress, printReport } from './transfer-output.js';

/** Refusals of the transfer code are the user's to act on: one line, exit 1. */
async function transferring<T>(run: () => Promise<T>): Promise<T> {
  const { TransferError } = await import('../../transfer/transfer-error.js');
  try {
    return await run();
  } catch (error) {
    if (error instanceof TransferError) throw new CliError(error.message);
    throw error;
  }
}

/** The export is written beside its destination with mode 0600 and renamed into place once complete. */
async function writeAtomically(file: string, write: (handle: fsp.FileHandle) => Promise<void>): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.partial`);
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(temporary, 'wx', 0o600);
  } catch (error) {
    throw new CliError(`cannot write ${file}: ${(error as Error).message}`);
  }
  try {
    await write(handle);
    await handle.sync();
    await handle.close();
    await fsp.rename(temporary, file).catch((error: Error) => {
      // The destination is a directory, say: the user's to fix, in one line.
      throw new CliError(`cannot write ${file}: ${error.message}`);
    });
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fsp.rm(temporary, { force: true });
    throw error;
  }
}

const exportCommand: CommandSpec = {
  path: ['admin', 'export'],
  usage: '[--account NAME] [--output FILE]',
  summary: 'export a consistent snapshot of the service (or of one account) from the running server',
  details:
    'Streams GET /maws/v1/export (the operator API: MAWS_OPERATOR_TOKEN) while the server goes on serving. ' +
    'The file (mode 0600) is written only once the export is complete and its checksums match. ' +
    'Secrets are in it as stored (access keys\' secret keys encrypted under the master key, which a server on an import ' +
    'of it needs too): keep it safe. Format: docs/export-format.md.',
  options: {
    account: { type: 'string', value: 'NAME', help: 'only this account\'s rows' },
    output: { type: 'string', short: 'o', value: 'FILE', help: 'where to write it (default or "-": standard output)' },
  },
  positionals: [0, 0],
  async run(ctx) {
    const account = str(ctx, 'account');
    if (account !== undefined && account.trim() === '') throw usageError(ctx, '--account needs a name');
    const output = str(ctx, 'output');
    const client = openOperatorClient(ctx);
    const { ExportChecker } = await import('../../transfer/format.js');
    const { parseText } = await import('../../transfer/ndjson.js');
    const body = await client.stream('/maws/v1/export', { account });
    const report = progress(ctx, 'exporting');
    const summary = await transferring(async () => {
      const checker = new ExportChecker();
      const copy = async (write: (text: string) => Promise<void>) => {
        let chunk = '';
        let rows = 0;
        for await (const { line, text } of parseText(body)) {
          checker.accept(line);
          if (line.kind === 'table') rows = 0;
          if (line.kind === 'row') report(checker.currentTable!.name, ++rows);
          chunk += `${text}\n`;
          if (chunk.length >= 64 * 1024) {
            await write(chunk);
            chunk = '';
          }
        }
        if (chunk !== '') await write(chunk);
        return checker.finish();
      };
      if (output === undefined || output === '-') {
        // Standard output cannot be taken back: a broken export ends without its trailer, which import refuses.
        return copy(async (text) => ctx.io.out(text.slice(0, -1)));
      }
      let tables: Awaited<ReturnType<typeof copy>> | undefined;
      await writeAtomically(output, async (handle) => {
        tables = await copy(async (text) => void (await handle.write(text)));
      });
      return tables!;
    });
    const rows = Object.values(summary).reduce((n, s) => n + s.rows, 0);
    const line = `Exported ${rows.toLocaleString('en-US')} rows in ${Object.keys(summary).length} tables${account ? ` of account ${account}` : ''}; checksums verified.`;
    if (output === undefined || output === '-') ctx.io.err(line);
    else ctx.io.out(`${line} Written to ${output} (mode 0600).`);
  },
};

async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  let stream: fs.ReadStream;
  try {
    await fsp.access(file, fs.constants.R_OK);
    stream = fs.createReadStream(file);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    yield* stream as AsyncIterable<Buffer>;
  } catch (error) {
    // Opening succeeds on a directory; reading it fails (EISDIR), as does a disk error.
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function databaseOption(ctx: CommandContext, name: string): string {
  const value = str(ctx, name);
  if (value === undefined || value.trim() === '') throw usageError(ctx, `--${name} is required`);
  return value;
}

const importCommand: CommandSpec = {
  path: ['admin', 'import'],
  usage: '--to DATABASE FILE',
  summary: 'load an export into an empty database (connects to it directly), then verify it',
  details:
    'DATABASE is a SQLite file (a path or sqlite:PATH, created if missing) or a postgres:// URL. It is migrated, ' +
    'must hold no rows (do not start a server on it before), and is loaded in one transaction: ' +
    'any refusal leaves it as it was. Every table\'s row count and checksum is checked against the file.',
  options: {
    to: { type: 'string', value: 'DATABASE', help: 'the target: a SQLite path, sqlite:PATH or postgres://…' },
  },
  positionals: [1, 1],
  async run(ctx) {
    const to = databaseOption(ctx, 'to');
    const { importInto, parseDatabase } = await import('../../transfer/databases.js');
    const { linesOf, parseText } = await import('../../transfer/ndjson.js');
    const report = await transferring(async () =>
      importInto(parseDatabase(to), linesOf(parseText(fileChunks(ctx.args[0]!))), { onProgress: progress(ctx, 'importing') }),
    );
    printReport(ctx, report, 'FILE', 'DATABASE');
  },
};

const migrateCommand: CommandSpec = {
  path: ['migrate'],
  usage: '--from DATABASE --to DATABASE',
  summary: 'copy a database into an empty one (SQLite → PostgreSQL) and verify it',
  details:
    'Reads the source in one snapshot (a server may go on running on it; writes made after the copy began are not copied), ' +
    'migrates the target, refuses it unless empty, copies every table in one transaction and compares row counts and ' +
    'a SHA-256 per table. DATABASE: a SQLite path, sqlite:PATH or postgres://… See the README for the whole procedure.',
  options: {
    from: { type: 'string', value: 'DATABASE', help: 'the source: a SQLite path, sqlite:PATH or postgres://…' },
    to: { type: 'string', value: 'DATABASE', help: 'the empty target: postgres://… or a SQLite path' },
  },
  positionals: [0, 0],
  async run(ctx) {
    const from = databaseOption(ctx, 'from');
    const to = databaseOption(ctx, 'to');
    const { migrateDatabase, parseDatabase } = await import('../../transfer/databases.js');
    const report = await transferring(async () =>
      migrateDatabase(parseDatabase(from), parseDatabase(to), { onProgress: progress(ctx, 'copying') }),
    );
    printReport(ctx, report, 'SOURCE', 'TARGET');
  },
};

export const transferCommands: readonly CommandSpec[] = [exportCommand, importCommand, migrateCommand];
