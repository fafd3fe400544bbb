// The three ways a command fails, each with its exit code. main.ts turns them into one stderr
// line (never a stack trace).

/** Bad command line: exit 2, with the command's usage line. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** the usage line of the command that was being parsed, when known */
    readonly usage?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Anything else the user must act on (not logged in, unreachable server, timeout): exit 1. */
export class CliError extends Error {
  constructor(
    message: string,
    /** extra lines printed after the message, e.g. a hint */
    readonly hints: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The server's documented failure shape {error_code, error_msg, request_id}: exit 1. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly requestId: string | undefined,
    readonly body: unknown,
    readonly hints: readonly string[] = [],
  ) {
    super(`${code}: ${apiMessage}`);
    this.name = 'ApiError';
  }

  withHints(hints: readonly string[]): ApiError {
    return new ApiError(this.status, this.code, this.apiMessage, this.requestId, this.body, [...this.hints, ...hints]);
  }
}

export const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

/** stderr text and exit code for any thrown value */
export function describeFailure(error: unknown): { text: string; exitCode: number } {
  if (error instanceof UsageError) {
    const lines = [`maws: ${error.message}`];
    if (error.usage) lines.push(`usage: ${error.usage}`);
    return { text: lines.join('\n'), exitCode: EXIT_USAGE };
  }
  if (error instanceof ApiError) {
    const id = error.requestId ? ` (request id ${error.requestId})` : '';
    return { text: [`maws: ${error.code}: ${error.apiMessage}${id}`, ...error.hints.map((h) => `maws: ${h}`)].join('\n'), exitCode: EXIT_FAILURE };
  }
  if (error instanceof CliError) {
    return { text: [`maws: ${error.message}`, ...error.hints.map((h) => `maws: ${h}`)].join('\n'), exitCode: EXIT_FAILURE };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { text: `maws: unexpected error: ${message}`, exitCode: EXIT_FAILURE };
}
