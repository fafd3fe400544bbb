import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import type { Principal } from '../src/access/principal.js';
import { AppError } from '../src/errors.js';
import { decorateRequestContext } from '../src/http/request-context.js';
import { installRouteNeeds } from '../src/http/route-needs.js';

const principal: Principal = {
  userId: 'u1',
  userName: 'bob',
  domainId: 'd1',
  domainName: 'acme',
  isRoot: false,
  projectId: 'p1',
  method: 'token',
};

/**
 * An app whose route needs record what ran, in order. With answerAtOnce, authentication and the
 * project scope answer without a promise and refuse by throwing, as the cached paths do.
 */
function appWithNeeds(steps: string[], answerAtOnce = false) {
  const app = Fastify();
  decorateRequestContext(app);
  const answer = <T>(produce: () => T): T | Promise<T> => (answerAtOnce ? produce() : Promise.resolve().then(produce));
  installRouteNeeds(app, {
    authenticate(request) {
      return answer(() => {
        steps.push('authenticate');
        if (request.headers['x-auth-token'] !== 'good') throw new AppError('unauthenticated', 'no');
        return principal;
      });
    },
    async authenticateOperator(request) {
      steps.push('operator');
      if (request.headers.authorization !== 'Bearer op') throw new AppError('unauthenticated', 'not the operator');
    },
    scopeToProject(request) {
      return answer(() => {
        steps.push('scope');
        const id = (request.params as { project_id: string }).project_id;
        if (id === 'foreign') throw new AppError('project_mismatch', 'not yours');
        return { id, domain_id: 'd1', name: 'r' };
      });
    },
    observe: (_request, _reply, route) => void steps.push(`observe ${route}`),
  });
  return app;
}

describe('route needs', () => {
  it('applies authentication, then the project scope, then the metrics, as the route declares', async (t) => {
    const steps: string[] = [];
    const app = appWithNeeds(steps);
    t.after(() => app.close());
    app.get('/v1/:project_id/things', { config: { projectScope: true } }, async (request) => {
      steps.push('handler');
      return { project: request.project?.id, user: request.principal?.userId };
    });
    app.get('/open', { config: { public: true } }, async () => ({ ok: true }));
    const res = await app.inject({ url: '/v1/p9/things', headers: { 'x-auth-token': 'good' } });
    assert.deepEqual(res.json(), { project: 'p9', user: 'u1' });
    assert.ok(res.headers['x-request-id']);
    assert.deepEqual(steps, ['authenticate', 'scope', 'handler', 'observe /v1/:project_id/things']);

    steps.length = 0;
    assert.equal((await app.inject({ url: '/v1/p9/things' })).statusCode, 401);
    assert.deepEqual(steps, ['authenticate', 'observe /v1/:project_id/things']);

    steps.length = 0;
    assert.equal((await app.inject({ url: '/open' })).statusCode, 200);
    assert.deepEqual(steps, ['observe /open']);

    steps.length = 0;
    assert.equal((await app.inject({ url: '/nowhere' })).statusCode, 404);
    assert.deepEqual(steps, ['observe unmatched']);
  });

  it('refuses a route with a project in its path that does not declare the project scope', async () => {
    const app = appWithNeeds([]);
    assert.throws(
      () => app.get('/v1/:project_id/forgotten', async () => ({})),
      /GET \/v1\/:project_id\/forgotten has a project in its path but does not declare projectScope/,
    );
    await app.close();
  });

  it('proves an operator route by the operator token alone, never by an IAM credential', async (t) => {
    const steps: string[] = [];
    const app = appWithNeeds(steps);
    t.after(() => app.close());
    app.get('/maws/v1/things', { config: { operator: true } }, async (request) => ({ principal: request.principal }));
    assert.deepEqual((await app.inject({ url: '/maws/v1/things', headers: { authorization: 'Bearer op' } })).json(), { principal: null });
    assert.deepEqual(steps, ['operator', 'observe /maws/v1/things']);
    steps.length = 0;
    // An IAM token is not an operator's.
    assert.equal((await app.inject({ url: '/maws/v1/things', headers: { 'x-auth-token': 'good' } })).statusCode, 401);
    assert.deepEqual(steps, ['operator', 'observe /maws/v1/things']);
  });

  it('refuses a route under the operator prefix that does not declare operator', async () => {
    const app = appWithNeeds([]);
    assert.throws(
      () => app.get('/maws/v1/forgotten', async () => ({})),
      /GET \/maws\/v1\/forgotten is under the operator prefix but does not declare operator/,
    );
    await app.close();
  });
  for (const answerAtOnce of [false, true]) {
    it(`refuses and admits alike when the providers answer ${answerAtOnce ? 'at once (throwing to refuse)' : 'through promises'}`, async (t) => {
      const steps: string[] = [];
      const app = appWithNeeds(steps, answerAtOnce);
      t.after(() => app.close());
      app.post('/v1/:project_id/things', { config: { projectScope: true } }, async (request) => ({ project: request.project?.id, body: request.body }));
      const send = (project: string, token?: string) =>
        app.inject({ method: 'POST', url: `/v1/${project}/things`, headers: token ? { 'x-auth-token': token } : {}, payload: { a: 1 } });

      const ok = await send('p1', 'good');
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { project: 'p1', body: { a: 1 } });
      assert.deepEqual(steps, ['authenticate', 'scope', 'observe /v1/:project_id/things']);

      steps.length = 0;
      const unauthenticated = await send('p1', 'bad');
      assert.equal(unauthenticated.statusCode, 401);
      assert.equal(unauthenticated.headers.connection, 'close', 'the unread body is refused with the connection');
      assert.deepEqual(steps, ['authenticate', 'observe /v1/:project_id/things']);

      steps.length = 0;
      const foreign = await send('foreign', 'good');
      assert.equal(foreign.statusCode, 403);
      assert.ok(foreign.headers['x-request-id']);
      assert.deepEqual(steps, ['authenticate', 'scope', 'observe /v1/:project_id/things']);
    });
  }
});
