import type { CompiledQuery, Selectable } from 'kysely';
import { compiledInsert } from '../db/compiled-insert.js';
import type { Executor, TraceTable } from '../db/types.js';

export type TraceRow = Selectable<TraceTable>;

/** The filters of a trace list, each an exact match. */
interface TraceFilter {
  domainId: string;
  /** this project's traces and the account-wide ones (project_id null) */
  projectId: string;
  from: number;
  to: number;
  /** only traces older than this position (a page marker's) */
  before?: { time: number; traceId: string };
  serviceType?: string;
  userName?: string;
  resourceId?: string;
  resourceName?: string;
  resourceType?: string;
  traceId?: string;
  traceName?: string;
  traceRating?: string;
}

export type TraceRepository = ReturnType<typeof createTraceRepository>;

const TRACE_COLUMNS = [
  'trace_id',
  'domain_id',
  'project_id',
  'time',
  'record_time',
  'trace_name',
  'trace_rating',
  'trace_type',
  'service_type',
  'resource_type',
  'resource_id',
  'resource_name',
  'code',
  'request',
  'response',
  'user_id',
  'user_name',
  'domain_name',
  'source_ip',
  'request_id',
  'api_version',
  'message',
] as const satisfies ReadonlyArray<keyof TraceRow>;

export function createTraceRepository() {
  // Every change writes one: compiled once, not per trace.
  const insertTrace = compiledInsert('traces', TRACE_COLUMNS);
  return {
    insert: (db: Executor, row: TraceRow): Promise<void> => insertTrace.insert(db, row),

    /** The insert of row as a statement, to send with the change it records (see writeTogether). */
    insertStatement: (db: Executor, row: TraceRow): CompiledQuery => insertTrace.statement(db, row),

    /** Where a page marker points: the trace's time, if it is the account's. */
    findPosition(db: Executor, domainId: string, traceId: string): Promise<{ time: number } | undefined> {
      return db
        .selectFrom('traces')
        .select('time')
        .where('trace_id', '=', traceId)
        .where('domain_id', '=', domainId)
        .executeTakeFirst();
    },

    /** Newest first, by (time, trace_id): a position that newer traces do not move. */
    list(db: Executor, f: TraceFilter, limit: number): Promise<TraceRow[]> {
      let query = db
        .selectFrom('traces')
        .selectAll()
        .where('domain_id', '=', f.domainId)
        .where((eb) => eb.or([eb('project_id', '=', f.projectId), eb('project_id', 'is', null)]))
        .where('time', '>=', f.from)
        .where('time', '<=', f.to);
      if (f.before) {
        const { time, traceId } = f.before;
        query = query.where((eb) => eb.or([eb('time', '<', time), eb.and([eb('time', '=', time), eb('trace_id', '<', traceId)])]));
      }
      const exact = [
        ['service_type', f.serviceType],
        ['user_name', f.userName],
        ['resource_id', f.resourceId],
        ['resource_name', f.resourceName],
        ['resource_type', f.resourceType],
        ['trace_id', f.traceId],
        ['trace_name', f.traceName],
        ['trace_rating', f.traceRating],
      ] as const;
      for (const [column, value] of exact) if (value !== undefined) query = query.where(column, '=', value);
      return query.orderBy('time', 'desc').orderBy('trace_id', 'desc').limit(limit).execute();
    },

    /** Deletes up to limit traces whose id sorts before firstKept (ids grow with time); how many went. */
    async purgeBefore(db: Executor, firstKept: string, limit: number): Promise<number> {
      const result = await db
        .deleteFrom('traces')
        .where('trace_id', 'in', (eb) =>
          eb.selectFrom('traces').select('trace_id').where('trace_id', '<', firstKept).orderBy('trace_id').limit(limit),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async deleteOfDomain(db: Executor, domainId: string): Promise<void> {
      await db.deleteFrom('traces').where('domain_id', '=', domainId).execute();
    },
  };
}
