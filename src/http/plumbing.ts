import Ajv from 'ajv';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isConnectionLoss } from '../db/connection-loss.js';
import { AppError, ERRORS, type ErrorBody, type ErrorKind } from '../errors.js';
import type { Principal } from '../iam/principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** exact body bytes as received: AK/SK signatures hash them */
    rawBody: Buffer | null;
    /** why the body could not be parsed; reported only after authentication */
    bodyError: Error | null;
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** which error family validation failures belong to */
    errorFamily?: 'modelarts' | 'iam';
    /** reachable without credentials */
    public?: boolean;
  }
}

const EMPTY = Buffer.alloc(0);
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export function sendError(reply: FastifyReply, kind: ErrorKind, message: string): FastifyReply {
  const body: ErrorBody = { error_code: ERRORS[kind].code, error_msg: message, request_id: reply.request.id };
  return reply.status(ERRORS[kind].status).header('X-Request-Id', reply.request.id).send(body);
}

/** Queries and params are strings on the wire and may be coerced; JSON bodies must already have the right types. */
function installValidators(app: FastifyInstance): void {
  // verbose: errors carry their schema, whose description makes a readable message. The schemas
  // are ours and fixed, so checking them against the meta-schema at every start is wasted time.
  const common = {
    useDefaults: true,
    removeAdditional: true,
    allErrors: false,
    strict: false,
    verbose: true,
    validateSchema: false,
  } as const;
  const bodyAjv = new Ajv.default({ ...common, coerceTypes: false });
  const textAjv = new Ajv.default({ ...common, coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  parentSchema?: { description?: string };
}

/** "body.name: 4–64 characters: …" rather than a raw regular expression. */
export function formatSchemaErrors(errors: readonly SchemaError[], dataVar: string): Error {
  const e = errors[0];
  if (!e) return new Error(`invalid ${dataVar}`);
  const at = `${dataVar}${e.instancePath.replaceAll('/', '.')}`;
  if (e.keyword === 'required') return new Error(`${at}.${String(e.params.missingProperty)} is required`);
  const description = e.keyword === 'pattern' ? e.parentSchema?.description : undefined;
  return new Error(`${at}: ${description ?? e.message ?? 'is invalid'}`);
}

function badBody(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400 });
}

function installBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, payload, done) => {
    const raw = payload as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    if (!JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) {
      request.bodyError = badBody('Content-Type must be application/json');
      return done(null, undefined);
    }
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch {
      request.bodyError = badBody('request body is not valid JSON');
      done(null, undefined);
    }
  });
}

function kindForClientError(request: FastifyRequest, error: FastifyError): ErrorKind {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'body_too_large';
  if (error.validation || error.statusCode === 400) {
    return request.routeOptions.config?.errorFamily === 'iam' ? 'iam_invalid_parameter' : 'invalid_parameter';
  }
  return 'malformed_request';
}

function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.kind === 'internal') request.log.error({ err: error }, 'internal error');
      return sendError(reply, error.kind, error.message);
    }
    if (isConnectionLoss(error)) {
      request.log.error({ err: error }, 'database connection lost');
      return sendError(reply, 'unavailable', 'database unavailable');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendError(reply, kindForClientError(request, error), error.message);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 'internal', 'Internal error occurred in workspace manager.');
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 'route_not_found', `API not found: ${request.method} ${request.url.split('?')[0]}`),
  );
}

export function installPlumbing(app: FastifyInstance): void {
  app.decorateRequest('rawBody', null);
  app.decorateRequest('bodyError', null);
  app.decorateRequest('principal', null);
  installValidators(app);
  installBodyParser(app);
  installErrorHandlers(app);
}

export function rawBodyOf(request: FastifyRequest): Buffer {
  return request.rawBody ?? EMPTY;
}

/** The authenticated caller; routes behind the auth hook always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'Incorrect IAM authentication information: x-auth-token not found');
  return request.principal;
}
