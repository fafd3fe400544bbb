import type { Database } from './config.js';

/** A start that cannot succeed as configured; its message is the one line the operator reads. */
export class StartFailure extends Error {}

/** The database as the operator configured it, without a password. */
function describeDatabase(database: Database): string {
  if (database.kind === 'sqlite') return database.file;
  try {
    const url = new URL(database.url);
    if (url.password) url.password = '';
    return url.toString();
  } catch {
    return 'DATABASE_URL (not a valid URL)';
  }
}

/** The cause in a few words: connecting to a name with several addresses fails with an AggregateError without a message. */
function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message) return error.message;
  if (error instanceof AggregateError && error.errors.length > 0) return causeOf(error.errors[0]);
  return (error as NodeJS.ErrnoException).code ?? error.name;
}

export function databaseFailure(database: Database, error: unknown): StartFailure {
  return new StartFailure(`cannot use the database ${describeDatabase(database)}: ${causeOf(error)}`);
}

export function listenFailure(host: string, port: number, error: unknown): StartFailure {
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return new StartFailure(`cannot listen on ${address}: address in use (set MAWS_PORT)`);
  if (code === 'EADDRNOTAVAIL') return new StartFailure(`cannot listen on ${address}: no such local address (set MAWS_HOST)`);
  if (code === 'EACCES') return new StartFailure(`cannot listen on ${address}: permission denied (set MAWS_PORT above 1023)`);
  return new StartFailure(`cannot listen on ${address}: ${causeOf(error)}`);
}
