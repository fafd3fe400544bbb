// The three ways a command fails, each with its exit code. runCli turns them into one stderr
// message, or one JSON object with --json (never a stack trace).

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

/** stderr text and exit code for any thrown value: one line per message, or with --json one JSON object */
export function describeFailure(error: unknown, json = false): { text: string; exitCode: number } {
  const { report, exitCode } = failureReport(error);
  if (json) return { text: JSON.stringify(report), exitCode };
  const lines = [`maws: ${report.message}`];
  if (error instanceof UsageError && error.usage) lines.push(`usage: ${error.usage}`);
  lines.push(...(report.hints ?? []).map((h) => `maws: ${h}`));
  return { text: lines.join('\n'), exitCode };
}

/**
 * The --json error object. Every one has `error` (its kind: usage, api, failure, unexpected) and
 * `message` (the text printed without --json); API errors add the server's error_code, error_msg,
 * request_id and the HTTP status, usage errors the usage line, others their hints.
 */
interface FailureReport {
  error: 'usage' | 'api' | 'failure' | 'unexpected';
  message: string;
  usage?: string;
  status?: number;
  error_code?: string;
  error_msg?: string;
  request_id?: string | null;
  hints?: readonly string[];
}

function failureReport(error: unknown): { report: FailureReport; exitCode: number } {
  if (error instanceof UsageError) {
    return { report: { error: 'usage', message: error.message, ...(error.usage ? { usage: error.usage } : {}) }, exitCode: EXIT_USAGE };
  }
  if (error instanceof ApiError) {
    const id = error.requestId ? ` (request id ${error.requestId})` : '';
    const report: FailureReport = {
      error: 'api',
      message: `${error.code}: ${error.apiMessage}${id}`,
      status: error.status,
      error_code: error.code,
      error_msg: error.apiMessage,
      request_id: error.requestId ?? null,
    };
    return { report: withHints(report, error.hints), exitCode: EXIT_FAILURE };
  }
  if (error instanceof CliError) return { report: withHints({ error: 'failure', message: error.message }, error.hints), exitCode: EXIT_FAILURE };
  const message = error instanceof Error ? error.message : String(error);
  return { report: { error: 'unexpected', message: `unexpected error: ${message}` }, exitCode: EXIT_FAILURE };
}

function withHints(report: FailureReport, hints: readonly string[]): FailureReport {
  return hints.length > 0 ? { ...report, hints } : report;
}
