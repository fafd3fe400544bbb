import type { CompiledQuery } from 'kysely';
import type { Principal, ProjectRef } from '../access/principal.js';
import type { Db, Executor } from '../db/types.js';
import { AppError } from '../errors.js';
import { traceText } from './redact.js';
import { firstTraceIdAt, newTraceId } from './trace-id.js';
import type { TraceRepository, TraceRow } from './trace.repository.js';
import type { ListTracesQuery, TraceList, TraceView } from './trace.schemas.js';

export type TraceType = 'ApiCall' | 'ConsoleAction' | 'SystemAction';
export type TraceRating = 'normal' | 'warning' | 'incident';

/** One action to record, as its domain knows it. */
export interface TraceRecord {
  domainId: string;
  domainName: string;
  /** null for account-wide services (IAM, EPS, sign-in) */
  projectId: string | null;
  /** null for the system's own actions (the deletion worker) */
  user: { id: string | null; name: string } | null;
  sourceIp: string | null;
  traceType: TraceType;
  serviceType: 'ModelArts' | 'IAM' | 'EPS';
  resourceType: string;
  traceName: string;
  resourceId?: string;
  resourceName?: string;
  /** the HTTP status of the answer */
  code: number;
  /** by default from the code: 5xx incident, 4xx warning, else normal */
  rating?: TraceRating;
  request?: unknown;
  response?: unknown;
  requestId: string;
  apiVersion: string;
  message?: string;
  /** when the action happened */
  time: number;
}

const HOUR_MS = 3600 * 1000;
const PURGE_BATCH = 1000;

/**
 * A caller's text as a trace keeps it: PostgreSQL stores no NUL character, and a refused request
 * may well have sent one (in a path, say); JSON text escapes its own.
 */
function storable(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\ufffd') : text;
}

function ratingOf(code: number): TraceRating {
  return code >= 500 ? 'incident' : code >= 400 ? 'warning' : 'normal';
}

function toView(row: TraceRow): TraceView {
  const view: TraceView = {
    trace_id: row.trace_id,
    trace_name: row.trace_name,
    trace_rating: row.trace_rating,
    trace_type: row.trace_type,
    service_type: row.service_type,
    resource_type: row.resource_type,
    resource_id: row.resource_id,
    resource_name: row.resource_name,
    code: row.code,
    request: row.request,
    response: row.response,
    request_id: row.request_id,
    api_version: row.api_version,
    message: row.message,
    time: Number(row.time),
    record_time: Number(row.record_time),
  };
  if (row.user_name !== null) {
    view.user = { id: row.user_id ?? '', name: row.user_name, domain: { id: row.domain_id, name: row.domain_name } };
  }
  if (row.source_ip !== null) view.source_ip = row.source_ip;
  return view;
}

export type AuditService = ReturnType<typeof createAuditService>;

/** recording false (MAWS_AUDIT_TRAIL=false): nothing is written, whoever records (the deletion worker too). */
export function createAuditService(deps: { db: Db; repo: TraceRepository; retentionMs: number; recording: boolean; now: () => number }) {
  const { db, repo, now } = deps;

  function traceRow(r: TraceRecord): TraceRow {
    const recordTime = now();
    return {
      trace_id: newTraceId(recordTime),
      domain_id: r.domainId,
      project_id: r.projectId,
      time: r.time,
      record_time: recordTime,
      trace_name: r.traceName,
      trace_rating: r.rating ?? ratingOf(r.code),
      trace_type: r.traceType,
      service_type: r.serviceType,
      resource_type: r.resourceType,
      resource_id: storable(r.resourceId ?? ''),
      resource_name: storable(r.resourceName ?? ''),
      code: String(r.code),
      request: traceText(r.request),
      response: traceText(r.response),
      user_id: r.user?.id ?? null,
      user_name: r.user ? storable(r.user.name) : null,
      domain_name: r.domainName,
      source_ip: r.sourceIp,
      request_id: r.requestId,
      api_version: r.apiVersion,
      message: storable(r.message ?? ''),
    };
  }

  return {
    /** Writes the trace with the caller's executor: inside the transaction of the change it records. */
    async record(executor: Executor, r: TraceRecord): Promise<void> {
      if (deps.recording) await repo.insert(executor, traceRow(r));
    },

    /** The trace's insert, to send with the writes of the change it records (see writeTogether); undefined when not recording. */
    recordStatement(executor: Executor, r: TraceRecord): CompiledQuery | undefined {
      return deps.recording ? repo.insertStatement(executor, traceRow(r)) : undefined;
    },

    /** CTS ListTraces: the root user reads its account's traces; an IAM user none. */
    async list(principal: Principal, project: ProjectRef, query: ListTracesQuery): Promise<TraceList> {
      if (!principal.isRoot) {
        throw new AppError('cts_forbidden', 'The user fails the authentication or does not have permission to this operation.');
      }
      const to = query.to ?? now();
      const from = query.from ?? to - HOUR_MS;
      if (from > to) throw new AppError('cts_invalid_parameter', `Invalid query criteria: from (${from}) is after to (${to}).`);
      let before: { time: number; traceId: string } | undefined;
      if (query.next !== undefined) {
        const position = await repo.findPosition(db, principal.domainId, query.next);
        if (!position) {
          throw new AppError('cts_invalid_parameter', `Invalid query criteria: next ${query.next} is no trace of this account (it may have passed the retention).`);
        }
        before = { time: Number(position.time), traceId: query.next };
      }
      const rows = await repo.list(
        db,
        {
          domainId: principal.domainId,
          projectId: project.id,
          from,
          to,
          before,
          serviceType: query.service_type,
          userName: query.user,
          resourceId: query.resource_id,
          resourceName: query.resource_name,
          resourceType: query.resource_type,
          traceId: query.trace_id,
          traceName: query.trace_name,
          traceRating: query.trace_rating,
        },
        query.limit + 1,
      );
      const page = rows.slice(0, query.limit);
      const marker = rows.length > query.limit ? page.at(-1)!.trace_id : null;
      return { traces: page.map(toView), meta_data: { count: page.length, marker } };
    },

    /** Deletes the traces recorded before the retention (MAWS_TRACE_RETENTION_DAYS); how many went. */
    async purgeExpired(): Promise<number> {
      const firstKept = firstTraceIdAt(now() - deps.retentionMs);
      let purged = 0;
      for (;;) {
        const batch = await repo.purgeBefore(db, firstKept, PURGE_BATCH);
        purged += batch;
        if (batch < PURGE_BATCH) return purged;
      }
    },

    /** A deleted account's traces go with it: nobody can read them any more. */
    deleteOfAccount: (trx: Executor, domainId: string): Promise<void> => repo.deleteOfDomain(trx, domainId),
  };
}
