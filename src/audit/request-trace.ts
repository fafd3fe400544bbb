import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { CompiledQuery } from 'kysely';
import type { Executor } from '../db/types.js';
import type { AppError, ErrorBody } from '../errors.js';
import { addRouteHook } from '../http/route-needs.js';
import type { AuditService, TraceRecord } from './audit.service.js';
import { type ChangeTrace, NOT_RECORDED, type TraceOutcome, type TraceSubject } from './change-trace.js';

/** A change route's trace: what CTS calls the service, the resource type and the trace name. */
interface TraceSpec {
  service: TraceRecord['serviceType'];
  resourceType: string;
  name: string;
  /** the path parameter that names the resource, when the path names it */
  resourceParam?: string;
  /** the route's success status (200 unless said) */
  code?: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** a change route: its calls are recorded in the audit trail (CTS) */
    trace?: TraceSpec;
  }
  interface FastifyRequest {
    /** the trace of a change route's call; null on other routes */
    changeTrace: RequestTrace | null;
  }
}

/** Sent by the web console with its calls: their traces are ConsoleAction, not ApiCall. */
const CONSOLE_CLIENT_HEADER = 'x-maws-client';

/** The trace of a change request: recorded in the service's transaction, or once answered. */
class RequestTrace implements ChangeTrace {
  /** the status a service wrote the trace with, in its transaction (which may still roll back: see finish) */
  recordedCode: number | undefined;
  subject: TraceSubject | undefined;
  message: string | undefined;

  constructor(
    private readonly request: FastifyRequest,
    private readonly spec: TraceSpec,
    private readonly audit: Pick<AuditService, 'record' | 'recordStatement'>,
    /** when the request arrived */
    private readonly time: number,
  ) {}

  attribute(subject: TraceSubject): void {
    this.subject = subject;
  }

  remark(message: string): void {
    this.message = message;
  }

  async record(trx: Executor, outcome: TraceOutcome = {}): Promise<void> {
    await this.write(trx, this.spec.code ?? 200, outcome);
  }

  statement(executor: Executor, outcome: TraceOutcome = {}): CompiledQuery | undefined {
    const code = this.spec.code ?? 200;
    const draft = this.draft(code, outcome);
    const statement = draft && this.audit.recordStatement(executor, draft);
    if (statement) this.recordedCode = code;
    return statement;
  }

  async recordRefusal(trx: Executor, error: AppError, resource: Omit<TraceOutcome, 'response'> = {}): Promise<void> {
    // The body the error handler will send (send-error.ts).
    const response: ErrorBody = { error_code: error.code, error_msg: error.message, request_id: this.request.id };
    await this.write(trx, error.status, { ...resource, response });
  }

  private async write(trx: Executor, code: number, outcome: TraceOutcome): Promise<void> {
    const draft = this.draft(code, outcome);
    if (!draft) return;
    await this.audit.record(trx, draft);
    this.recordedCode = code;
  }

  /**
   * The trace of the answer about to be sent, when no service recorded it: the request was refused
   * (a recording transaction then rolled back, and the answer is another), or there was nothing to change.
   */
  async finish(executor: Executor, status: number, response: unknown): Promise<void> {
    const draft = this.draft(status, { response });
    if (draft) await this.audit.record(executor, draft);
  }

  /** undefined when nobody can be named: a request whose credential was refused belongs to no account */
  private draft(code: number, outcome: TraceOutcome): TraceRecord | undefined {
    const { request, spec } = this;
    const principal = request.principal;
    const who: TraceSubject | undefined = principal
      ? { userId: principal.userId, userName: principal.userName, domainId: principal.domainId, domainName: principal.domainName }
      : this.subject;
    if (!who) return undefined;
    const params = request.params as Record<string, string | undefined> | undefined;
    const body = request.body as Record<string, unknown> | null | undefined;
    const bodyName = body && typeof body === 'object' && typeof body.name === 'string' ? body.name : undefined;
    return {
      domainId: who.domainId,
      domainName: who.domainName,
      projectId: request.project?.id ?? null,
      user: { id: who.userId, name: who.userName },
      sourceIp: request.ip,
      traceType: request.headers[CONSOLE_CLIENT_HEADER] === 'console' ? 'ConsoleAction' : 'ApiCall',
      serviceType: spec.service,
      resourceType: spec.resourceType,
      traceName: spec.name,
      resourceId: outcome.resourceId ?? (spec.resourceParam ? params?.[spec.resourceParam] : undefined),
      resourceName: outcome.resourceName ?? bodyName,
      code,
      request: body ?? undefined,
      response: outcome.response,
      requestId: request.id,
      apiVersion: request.url.split('/')[1] ?? '',
      message: this.message,
      time: this.time,
    };
  }
}

/**
 * The trace of this change route's call, to record in the transaction of the change. A route
 * that does not declare config.trace gets none: test/audit-trail.test.ts lists such routes.
 */
export function traceOf(request: FastifyRequest): ChangeTrace {
  return request.changeTrace ?? NOT_RECORDED;
}

function parsed(payload: unknown): unknown {
  if (typeof payload !== 'string' || payload === '') return undefined;
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

/**
 * Gives every route that declares config.trace its trace: created when the request arrives, given
 * to the service, and written just before the answer unless the service wrote it with its change.
 * Hooks go on those routes only: reads pay nothing.
 */
export function installChangeTraces(
  app: FastifyInstance,
  deps: { audit: Pick<AuditService, 'record' | 'recordStatement'>; executor: Executor; now: () => number },
): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const spec = route.config?.trace;
    if (!spec) return;
    addRouteHook(route, 'onRequest', (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
      request.changeTrace = new RequestTrace(request, spec, deps.audit, deps.now());
      done();
    });
    // Written before the answer leaves: a client that got its answer finds the trace.
    addRouteHook(route, 'onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (e: null, p: unknown) => void) => {
      const trace = request.changeTrace;
      if (!trace || trace.recordedCode === reply.statusCode) return done(null, payload);
      trace.finish(deps.executor, reply.statusCode, parsed(payload)).then(
        () => done(null, payload),
        (error: unknown) => {
          request.log.error({ err: error }, 'the trace of this request could not be written');
          done(null, payload);
        },
      );
    });
  });
}

/** A route's config with its calls recorded in the audit trail. */
export function traced<C extends object>(config: C, trace: TraceSpec): C & { trace: TraceSpec } {
  return { ...config, trace };
}
