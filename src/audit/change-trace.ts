import type { CompiledQuery } from 'kysely';
import type { Db, Executor } from '../db/types.js';
import type { AppError } from '../errors.js';

/** What a change's trace says beyond its request: the resource it acted on, and the answer. */
export interface TraceOutcome {
  resourceId?: string;
  resourceName?: string;
  /** the answer's body as sent; secrets are removed when it is recorded */
  response?: unknown;
}

/** Who a trace is about when no credential says so: a sign-in names the user it was for. */
export interface TraceSubject {
  userId: string | null;
  userName: string;
  domainId: string;
  domainName: string;
}

/**
 * The trace of one change request (CTS). A service records it in the transaction of its change,
 * so that the change and its trace commit together, or neither does. A request that changed
 * nothing (refused, or with nothing left to do) is recorded once its answer is sent.
 */
export interface ChangeTrace {
  record(trx: Executor, outcome?: TraceOutcome): Promise<void>;
  /**
   * The trace as an insert that the service sends with its change's own writes (writeTogether),
   * instead of record in a transaction; undefined when nothing is recorded. The trace counts as
   * recorded once asked for: a service that asks must send it.
   */
  statement(executor: Executor, outcome?: TraceOutcome): CompiledQuery | undefined;
  /** a refusal that changed something all the same (a sign-in's failure count), in that change's transaction */
  recordRefusal(trx: Executor, error: AppError, resource?: Omit<TraceOutcome, 'response'>): Promise<void>;
  /** names the user a request acts for when no credential did (a sign-in, before it succeeds) */
  attribute(subject: TraceSubject): void;
  /** a note for the trace's message (a sign-in that locked its user says so) */
  remark(message: string): void;
}

/** The trace of a change that is not recorded: the audit trail is off (MAWS_AUDIT_TRAIL=false). */
export const NOT_RECORDED: ChangeTrace = {
  record: () => Promise.resolve(),
  statement: () => undefined,
  recordRefusal: () => Promise.resolve(),
  attribute: () => undefined,
  remark: () => undefined,
};

/** A change of one statement or more and its trace, in one transaction. */
export function tracedChange<T>(
  db: Db,
  trace: ChangeTrace,
  change: (trx: Executor) => Promise<T>,
  outcome: (result: T) => TraceOutcome,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const result = await change(trx);
    await trace.record(trx, outcome(result));
    return result;
  });
}
