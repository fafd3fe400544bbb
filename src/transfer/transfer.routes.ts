import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../config.js';
import { connectDb } from '../db/connect.js';
import { AppError } from '../errors.js';
import { exportLines } from './export.js';
import type { Line } from './format.js';
import { serializeLines } from './ndjson.js';
import { TransferError } from './transfer-error.js';

const ExportQuery = Type.Object({
  account: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'only this account\'s rows (its name)' })),
});

function operatorError(error: unknown): unknown {
  if (!(error instanceof TransferError)) return error;
  const kind = error.kind === 'not_found' ? 'operator_not_found' : error.kind === 'conflict' ? 'operator_conflict' : 'operator_invalid_parameter';
  return new AppError(kind, error.message);
}

/** The first line, then the rest; the snapshot's own connection is closed however the stream ends. */
const STALLED_READER_MS = 60_000;

async function* andThen(first: Line, rest: AsyncGenerator<Line>, close: () => Promise<void>): AsyncGenerator<Line> {
  try {
    yield first;
    yield* rest;
  } finally {
    await rest.return(undefined);
    await close();
  }
}

/**
 * GET /maws/v1/export: the export format (docs/export-format.md), streamed from a snapshot read on
 * a connection of its own, so the server goes on serving (and writing) meanwhile. A failure after
 * the first line can only cut the stream short: the missing trailer tells the reader.
 */
export function transferRoutes(deps: { database: Database; now: () => number }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/maws/v1/export',
      {
        config: { operator: true },
        schema: {
          operationId: 'ExportSnapshot',
          summary: 'Export a consistent snapshot of the service or of one account (NDJSON)',
          tags: ['Operator'],
          querystring: ExportQuery,
          response: {
            200: {
              description: 'The export, streamed: a header line, per table a line and its rows, a trailer (docs/export-format.md)',
              content: { 'application/x-ndjson': { schema: Type.Unsafe<unknown>({ type: 'string', description: 'newline-delimited JSON' }) } },
            },
          },
        },
      },
      async (request, reply) => {
        if (deps.database.kind === 'sqlite' && deps.database.file === ':memory:') {
          throw new AppError('operator_conflict', 'an in-memory SQLite database has no second connection to read a snapshot on: it cannot be exported');
        }
        const db = connectDb(deps.database, { connections: 1 });
        const lines = exportLines(db, { account: request.query.account, now: deps.now });
        let first: IteratorResult<Line>;
        try {
          first = await lines.next();
        } catch (error) {
          await db.destroy();
          throw operatorError(error);
        }
        const body = Readable.from(serializeLines(andThen(first.value as Line, lines, () => db.destroy())));
        // A reader that stops reading without closing would hold the snapshot's connection and
        // transaction for ever: a minute without a byte moving ends the answer, and with it both.
        reply.raw.setTimeout(STALLED_READER_MS, () => reply.raw.destroy());
        return reply.type('application/x-ndjson; charset=utf-8').send(body);
      },
    );
  };
}
