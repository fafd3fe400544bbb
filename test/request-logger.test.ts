import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import Fastify from 'fastify';
import { requestLoggerFactory, requestLoggerFactoryFor } from '../src/http/request-logger.js';

/** An app whose log lines land in lines, with request.log made by requestLoggerFactory; children counts the pino children made. */
async function appLoggingAt(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  let children = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = Fastify({ logger: { level, stream }, childLoggerFactory: requestLoggerFactory, genReqId: () => 'req-1' });
  // pino's children inherit their methods from it: the spy counts theirs too, and keeps their this.
  const logger = app.log;
  const child = logger.child;
  logger.child = function (this: typeof logger, ...args: Parameters<typeof child>) {
    children++;
    return child.apply(this, args);
  } as typeof logger.child;
  app.get('/silent', async (request) => {
    request.log.info('not at warn');
    return { level: request.log.level };
  });
  app.get('/', async (request) => {
    request.log.debug('not at warn');
    request.log.info({ step: 1 }, 'info line');
    request.log.warn({ step: 2 }, 'warn line');
    request.log.child({ part: 'child' }).error('child line');
    return { level: request.log.level };
  });
  app.get('/quiet', { logLevel: 'error' }, async (request) => {
    request.log.warn('below the route level');
    request.log.error('at the route level');
    return {};
  });
  return { app, lines, children: () => children };
}

test('request.log writes what its level lets through, bound to the request id', async (t) => {
  const { app, lines, children } = await appLoggingAt('warn');
  t.after(() => app.close());
  await app.ready();
  const before = children();
  const silent = await app.inject({ method: 'GET', url: '/silent' });
  assert.deepEqual(silent.json(), { level: 'warn' }, "the parent's level, read without a child");
  assert.equal(children(), before, 'a request that writes nothing makes no child');
  const res = await app.inject({ method: 'GET', url: '/' });
  assert.deepEqual(res.json(), { level: 'warn' });
  const written = lines.filter((l) => l.reqId === 'req-1').map((l) => [l.msg, l.step ?? l.part]);
  assert.deepEqual(written, [
    ['warn line', 2],
    ['child line', 'child'],
  ]);
  assert.equal(lines.filter((l) => l.msg === 'incoming request' || l.msg === 'info line').length, 0);

  await app.inject({ method: 'GET', url: '/quiet' });
  assert.deepEqual(
    lines.filter((l) => String(l.msg).includes('route level')).map((l) => [l.msg, l.reqId]),
    [['at the route level', 'req-1']],
    "a route's own log level applies",
  );
});

test('at info, Fastify\'s request lines and the route\'s go out with the request id', async (t) => {
  const { app, lines } = await appLoggingAt('info');
  t.after(() => app.close());
  await app.inject({ method: 'GET', url: '/' });
  const messages = lines.filter((l) => l.reqId === 'req-1').map((l) => l.msg);
  assert.deepEqual(messages, ['incoming request', 'info line', 'warn line', 'child line', 'request completed']);
});

test("the server takes the lazy logger above info only, where Fastify's request lines are off", () => {
  for (const level of ['warn', 'error', 'fatal', 'silent']) assert.equal(requestLoggerFactoryFor(level), requestLoggerFactory, level);
  for (const level of ['info', 'debug', 'trace']) assert.equal(requestLoggerFactoryFor(level), undefined, level);
});
