import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { addRouteHook, OPERATOR_PREFIX } from '../http/route-needs.js';
import { sendErrorCode } from '../http/send-error.js';
import type { FaultError } from './test-control.schemas.js';
import { seededRandom } from './seeded-random.js';

/** An active fault control, as the request path uses it. */
export interface FaultRule {
  id: string;
  projectId: string | null;
  operations: ReadonlySet<string>;
  share: number;
  error?: FaultError;
  latencyMs?: number;
  seed?: number;
  /** null: no limit; otherwise each affected call takes one use from the database */
  remaining: number | null;
  expiresAt: number;
}

interface FaultInjectorDeps {
  /** the active fault controls, from the database */
  load(): Promise<FaultRule[]>;
  /** takes one use of a counted fault; false when none is left */
  take(id: string): Promise<boolean>;
  /** the server's clock (expiry) */
  now(): number;
  /** how long the cached rules are used before they are read again: how soon another replica's change applies */
  refreshMs: number;
  /** the machine's clock, for the cache's age (tests move the server's clock, not this one) */
  monotonicNow?: () => number;
  random?: () => number;
}

export type FaultInjector = ReturnType<typeof createFaultInjector>;

/**
 * Answers a share of the calls to chosen operations with an error or a delay, before their
 * handler. Installed only when test controls are on: then each route with an operationId gets one
 * preHandler hook, which reads cached rules (no query unless the cache is older than refreshMs,
 * or a counted fault is used).
 */
export function createFaultInjector(deps: FaultInjectorDeps) {
  const monotonicNow = deps.monotonicNow ?? (() => performance.now());
  const random = deps.random ?? Math.random;
  let log: FastifyInstance['log'] | undefined;
  /** the operationIds of the routes that can be faulted, as they were registered */
  const operations = new Set<string>();
  let rules: FaultRule[] = [];
  let loadedAt = -Infinity;
  let loading: Promise<FaultRule[]> | undefined;
  /** bumped by every reload, so that an older read cannot replace a newer one */
  let generation = 0;
  /** seeded rules keep their sequence across reloads */
  const generators = new Map<string, () => number>();

  function reload(): Promise<FaultRule[]> {
    const mine = ++generation;
    const started = monotonicNow();
    const load = deps.load().then((fresh) => {
      if (mine === generation) {
        rules = fresh;
        loadedAt = started;
        for (const id of generators.keys()) if (!fresh.some((r) => r.id === id)) generators.delete(id);
      }
      return rules;
    });
    loading = load;
    load.then(
      () => void (loading === load && (loading = undefined)),
      () => void (loading === load && (loading = undefined)),
    );
    return load;
  }

  function current(): FaultRule[] | Promise<FaultRule[]> {
    if (monotonicNow() - loadedAt < deps.refreshMs) return rules;
    return loading ?? reload();
  }

  function chosen(rule: FaultRule): boolean {
    if (rule.share >= 1) return true;
    if (rule.share <= 0) return false;
    if (rule.seed === undefined) return random() < rule.share;
    let next = generators.get(rule.id);
    if (!next) generators.set(rule.id, (next = seededRandom(rule.seed)));
    return next() < rule.share;
  }

  /** The first matching rule that picks this call and still has a use for it. */
  async function pick(candidates: FaultRule[]): Promise<FaultRule | undefined> {
    for (const rule of candidates) {
      if (!chosen(rule)) continue;
      if (rule.remaining !== null && !(await deps.take(rule.id))) {
        rules = rules.filter((r) => r !== rule);
        continue;
      }
      return rule;
    }
    return undefined;
  }

  function act(rule: FaultRule, request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
    const fail = () => {
      const { status, error_code, error_msg } = rule.error!;
      sendErrorCode(reply, status, error_code, error_msg);
    };
    const goOn = rule.error ? fail : () => done();
    if (rule.latencyMs === undefined) goOn();
    else setTimeout(goOn, rule.latencyMs);
  }

  function hookFor(operationId: string) {
    const decide = (active: FaultRule[], request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
      if (active.length === 0) return done();
      const projectId = request.project?.id ?? null;
      const time = deps.now();
      const candidates = active.filter(
        (r) => r.operations.has(operationId) && (r.projectId === null || r.projectId === projectId) && r.expiresAt > time,
      );
      if (candidates.length === 0) return done();
      pick(candidates).then(
        (rule) => (rule ? act(rule, request, reply, done) : done()),
        (error: Error) => done(error),
      );
    };
    // A callback hook: with no fault active it costs a look at the cached list.
    return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
      const found = current();
      if (Array.isArray(found)) return decide(found, request, reply, done);
      found.then(
        (fresh) => decide(fresh, request, reply, done),
        (error: Error) => {
          // The call goes on without faults rather than failing because the rules could not be read.
          log?.warn({ err: error }, 'test controls: reading the fault controls failed');
          done();
        },
      );
    };
  }

  return {
    /** the operationIds that faults can name */
    operations: operations as ReadonlySet<string>,
    /** Reads the rules now (after a change through this replica). */
    reload: async (): Promise<void> => {
      await reload();
    },
    /** Must run before the routes are registered. */
    install(app: FastifyInstance): void {
      log = app.log;
      app.addHook('onRoute', (route: RouteOptions) => {
        const operationId = (route.schema as { operationId?: unknown } | undefined)?.operationId;
        if (typeof operationId !== 'string' || route.url.startsWith(OPERATOR_PREFIX)) return;
        operations.add(operationId);
        addRouteHook(route, 'preHandler', hookFor(operationId));
      });
    },
  };
}
