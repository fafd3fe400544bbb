import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, preValidationHookHandler } from 'fastify';
import type { Redis } from 'ioredis';
import type { Throttling } from '../config.js';
import { announcesBody } from './route-needs.js';
import { sendErrorCode } from './send-error.js';

/** The API Gateway's answer when a throttling policy's limit is reached. */
const THROTTLED = { status: 429, code: 'APIG.0308' } as const;

type Policy = 'ip' | 'user';
type Checker = ReturnType<FastifyInstance['createRateLimit']>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the password sign-in: limited per source address before its body is read */
    signIn?: boolean;
  }
}

/** The gateway's unit: "time:1 second", "time:5 second", "time:1 minute". */
function windowText(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minute` : `${seconds} second`;
}

function throttledMessage(policy: Policy, limit: number, windowSeconds: number): string {
  return `The throttling threshold has been reached: policy ${policy} over ratelimit,limit:${limit},time:${windowText(windowSeconds)}`;
}

/** Where the counters are, for the log: never the URL, which may hold a password. */
function redisTarget(url: string): string {
  const { protocol, host } = new URL(url);
  return `${protocol}//${host}`;
}

/**
 * One client for every replica's counters. A command must not wait for a Redis that is down
 * (no offline queue, a short timeout): the limiter then lets the request through.
 */
async function connectRedis(app: FastifyInstance, url: string): Promise<Redis> {
  // Loaded only when configured: a replica counting alone does not pay its memory.
  const { Redis } = await import('ioredis');
  const target = redisTarget(url);
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500, connectTimeout: 2000 });
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    app.log.warn(`throttling: Redis at ${target} unreachable (${error.message}); requests are let through unthrottled until it is back`);
  });
  client.on('ready', () => {
    if (down) app.log.info(`throttling: Redis at ${target} reachable again`);
    down = false;
  });
  app.addHook('onClose', (_instance, done) => {
    client.disconnect();
    done();
  });
  logOnceListening(app, `throttling: counters shared through Redis at ${target}`);
  return client;
}

/** Said once the port is bound: a start that fails prints its one line and nothing else. */
function logOnceListening(app: FastifyInstance, message: string): void {
  app.server.once('listening', () => app.log.info(message));
}

/**
 * Per source address: password sign-ins (before the body is read and the password hashed), and
 * refused credentials (counted when refused: a request is throttled only once it failed).
 * Per user, when configured: every authenticated request, keyed on the proved principal.
 * Returns what the error handler calls on a 401, which answers 429 instead once over the limit.
 * With everything per user off, an authenticated request's path gets no hook and no counter.
 */
export async function installThrottling(app: FastifyInstance, settings: Throttling): Promise<(request: FastifyRequest, reply: FastifyReply) => Promise<boolean>> {
  const redis = settings.redis && (await connectRedis(app, settings.redis.url));
  if (!redis) logOnceListening(app, 'throttling: counters kept by this replica alone (set MAWS_REDIS_URL to share them)');
  // Counters shared by name across all routes: createRateLimit's checkers, not per-route configs.
  await app.register(rateLimit, { global: false, redis, nameSpace: settings.redis?.keyPrefix, skipOnError: false });
  const ipKey = (prefix: string) => (request: FastifyRequest) => `${prefix}:${rateLimit.normalizeIP(request.ip)}`;
  const limiter = (max: number, windowSeconds: number, keyGenerator: (request: FastifyRequest) => string) =>
    max > 0 ? app.createRateLimit({ max, timeWindow: windowSeconds * 1000, keyGenerator }) : undefined;
  const signIn = limiter(settings.signInPerIp, settings.ipWindowSeconds, ipKey('sign-in'));
  const failedAuth = limiter(settings.failedAuthPerIp, settings.ipWindowSeconds, ipKey('failed-auth'));
  const perUser = limiter(settings.perUser, settings.userWindowSeconds, (request) => `user:${request.principal!.userId}`);

  let warned = 0;
  /** Fail open: a counter store that does not answer must not take the API down with it. */
  const exceeded = async (check: Checker, request: FastifyRequest) => {
    try {
      const result = await check(request);
      return !result.isAllowed && result.isExceeded ? result.ttl : null;
    } catch (error) {
      if (Date.now() - warned > 60_000) {
        warned = Date.now();
        request.log.warn(`throttling: the counter store failed, requests are let through unthrottled (${(error as Error).message})`);
      }
      return null;
    }
  };
  const refuse = (reply: FastifyReply, policy: Policy, limit: number, windowSeconds: number, ttlMs: number) => {
    reply.header('Retry-After', String(Math.max(1, Math.ceil(ttlMs / 1000))));
    return sendErrorCode(reply, THROTTLED.status, THROTTLED.code, throttledMessage(policy, limit, windowSeconds));
  };
  /** Before the body: one not read is best refused with Connection: close. */
  const refuseUnread = (request: FastifyRequest, reply: FastifyReply, policy: Policy, limit: number, windowSeconds: number, ttlMs: number) => {
    if (announcesBody(request)) reply.header('Connection', 'close');
    return refuse(reply, policy, limit, windowSeconds, ttlMs);
  };

  const throttleSignIn: onRequestHookHandler = async (request, reply) => {
    const ttl = await exceeded(signIn!, request);
    if (ttl !== null) return refuseUnread(request, reply, 'ip', settings.signInPerIp, settings.ipWindowSeconds, ttl);
  };
  // A token is proved before the body is read; an AK/SK signature only with it, in preValidation.
  const throttleTokenUser: onRequestHookHandler = async (request, reply) => {
    if (request.principal === null) return;
    const ttl = await exceeded(perUser!, request);
    if (ttl !== null) return refuseUnread(request, reply, 'user', settings.perUser, settings.userWindowSeconds, ttl);
  };
  const throttleSignedUser: preValidationHookHandler = async (request, reply) => {
    if (request.principal?.method !== 'aksk') return;
    const ttl = await exceeded(perUser!, request);
    if (ttl !== null) return refuse(reply, 'user', settings.perUser, settings.userWindowSeconds, ttl);
  };

  app.addHook('onRoute', (route) => {
    // Appended: they run after route-needs' authentication, which sets request.principal.
    const append = (name: 'onRequest' | 'preValidation', hook: unknown) => {
      const existing = route[name];
      (route as Record<typeof name, unknown>)[name] = [...(existing === undefined ? [] : [existing].flat()), hook];
    };
    if (route.config?.signIn === true && signIn) append('onRequest', throttleSignIn);
    if (perUser && route.config?.public !== true && route.config?.operator !== true) {
      append('onRequest', throttleTokenUser);
      append('preValidation', throttleSignedUser);
    }
  });

  return async (request, reply) => {
    if (!failedAuth) return false;
    const ttl = await exceeded(failedAuth, request);
    if (ttl === null) return false;
    refuse(reply, 'ip', settings.failedAuthPerIp, settings.ipWindowSeconds, ttl);
    return true;
  };
}
