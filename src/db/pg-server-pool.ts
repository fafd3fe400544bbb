import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { isConnectionLoss } from './connection-loss.js';
import { statementFor } from './named-statements.js';

// Statements that change nothing, so running one again on another session cannot do anything twice.
const REPEATABLE_STATEMENT = /^\s*(begin|start transaction|select)\b/i;

/**
 * The pool the server's queries go through: the SQL texts of lookups go as named statements (see
 * named-statements.ts), and a checkout runs its first statement again on another connection when the one
 * handed out turns out to be lost. After PostgreSQL drops every connection (a restart,
 * pg_terminate_backend), the news reaches each idle connection as a message on its socket; a
 * request can check one out before the event loop has read it, and its first statement then fails
 * although the database is back. Only the first statement of a checkout is repeated, and only when
 * it changes nothing (BEGIN or a SELECT): any later one may follow writes of the lost session,
 * and a lost write may have been committed before the connection went.
 */
export function serverPool(pool: PostgresPool, maxAttempts: number): PostgresPool {
  return {
    connect: async () => firstStatementRetried(pool, await pool.connect(), maxAttempts),
    end: () => pool.end(),
  };
}

function firstStatementRetried(pool: PostgresPool, handedOut: PostgresPoolClient, maxAttempts: number): PostgresPoolClient {
  let client = handedOut;
  let first = true;

  async function runFirst<R>(sqlText: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send<R>(client, sqlText, parameters);
      } catch (error) {
        if (attempt >= maxAttempts || !isConnectionLoss(error) || !REPEATABLE_STATEMENT.test(sqlText)) throw error;
        // Released with the error, the lost client is discarded instead of going back to the pool.
        client.release(true);
        client = await pool.connect();
      }
    }
  }

  return {
    query(sqlOrCursor: any, parameters?: ReadonlyArray<unknown>): any {
      if (first && typeof sqlOrCursor === 'string') {
        first = false;
        return runFirst(sqlOrCursor, parameters ?? []);
      }
      first = false;
      return typeof sqlOrCursor === 'string' ? send(client, sqlOrCursor, parameters ?? []) : client.query(sqlOrCursor);
    },
    release: (destroy?: boolean) => client.release(destroy),
  } as PostgresPoolClient;
}

function send<R>(client: PostgresPoolClient, sqlText: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
  const statement = statementFor(sqlText, parameters);
  // pg takes a named statement as a query config; kysely's type of the client knows only the text form.
  return typeof statement === 'string' ? client.query<R>(statement, parameters) : (client as any).query(statement);
}
