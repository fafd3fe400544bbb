import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

/** Fastify's logger is pino's, which also answers whether a level is enabled. */
type Logger = FastifyBaseLogger & { isLevelEnabled(level: string): boolean };
type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildLoggerOptions = Parameters<FastifyBaseLogger['child']>[1];

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Write = (...args: unknown[]) => void;

/**
 * A request's logger (request.log) that makes its pino child, the one that binds the request id,
 * on the first line written at an enabled level. Above info, most requests write none, and making
 * the child cost every request about 2 % of a ShowWorkspace's CPU.
 */
class RequestLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #made(): Logger {
    return (this.#child ??= this.#parent.child(this.#bindings) as Logger);
  }

  #write(level: Level, args: unknown[]): void {
    // Once made, the child decides: its level may have been set apart from the parent's.
    if (this.#child === undefined && !this.#parent.isLevelEnabled(level)) return;
    (this.#made()[level] as Write)(...args);
  }

  fatal(...args: unknown[]): void {
    this.#write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#write('error', args);
  }
  warn(...args: unknown[]): void {
    this.#write('warn', args);
  }
  info(...args: unknown[]): void {
    this.#write('info', args);
  }
  debug(...args: unknown[]): void {
    this.#write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#made().child(bindings, options);
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }
  set level(level: string) {
    this.#made().level = level;
  }
}

/**
 * Fastify's childLoggerFactory for request.log. The child is made at once where it will be used
 * anyway: at info, Fastify writes two lines for every request; and for a route with a log level or
 * serializers of its own.
 */
export const requestLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = function (logger, bindings, options) {
  const parent = logger as unknown as Logger;
  if (options.level !== undefined || options.serializers !== undefined || parent.isLevelEnabled('info')) {
    return parent.child(bindings, options) as FastifyBaseLogger;
  }
  return new RequestLogger(parent, bindings) as unknown as FastifyBaseLogger;
};

/**
 * The factory for a server logging at this level: ours above info; at info and below Fastify's
 * own, since the child is then made for every request anyway (Fastify checks a factory of ours
 * on every request).
 */
export function requestLoggerFactoryFor(level: string): FastifyServerOptions['childLoggerFactory'] {
  return ['warn', 'error', 'fatal', 'silent'].includes(level) ? requestLoggerFactory : undefined;
}
