import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { createServingGate } from '../src/http/serving-gate.js';
import { newRequestId } from '../src/ids.js';

test('until the start is complete every request, matched or not, gets 503 in the error shape; then they are served', async (t) => {
  const app = Fastify({ genReqId: newRequestId });
  t.after(() => app.close());
  const gate = createServingGate();
  gate.install(app);
  app.get('/healthz', async () => ({ status: 'ok' }));

  for (const url of ['/healthz', '/no/such/route']) {
    const refused = await app.inject({ method: 'GET', url });
    assert.equal(refused.statusCode, 503);
    const body = refused.json();
    assert.deepEqual(Object.keys(body).sort(), ['error_code', 'error_msg', 'request_id']);
    assert.equal(body.error_code, 'ModelArts.7008');
    assert.equal(refused.headers['x-request-id'], body.request_id);
  }
  gate.open();
  assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
});
