// The operator API's credential: generated once when none is configured, replaced when one is,
// and checked as a bearer token (by its digest, so the token itself is never stored).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.js';
import { connectDb } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createOperatorModule } from '../src/operator/operator.module.js';
import { createTestStorage } from './helpers/database.js';

async function operatorOnFreshDb(t: { after(fn: () => unknown): void }) {
  const storage = await createTestStorage();
  const db = connectDb(loadConfig(storage.env).database);
  t.after(async () => {
    await db.destroy();
    await storage.cleanup();
  });
  await migrateToLatest(db);
  return { db, operator: createOperatorModule({ db, now: Date.now }) };
}

/** Whether the module admits a request with these headers. */
async function admits(operator: ReturnType<typeof createOperatorModule>, headers: Record<string, string>): Promise<boolean> {
  const app = Fastify();
  let admitted = false;
  app.get('/', async (request) => {
    await operator.authenticate(request).then(() => (admitted = true), () => undefined);
    return {};
  });
  await app.inject({ url: '/', headers });
  await app.close();
  return admitted;
}

describe('operator credential', () => {
  test('generated once on a fresh database, shown once, then kept', async (t) => {
    const { db, operator } = await operatorOnFreshDb(t);
    const token = await operator.ensureCredential(undefined);
    assert.match(token ?? '', /^maws-op-[A-Za-z0-9]{40}$/);
    assert.equal(await operator.ensureCredential(undefined), null);
    assert.ok(await admits(operator, { authorization: `Bearer ${token}` }));
    const stored = await db.selectFrom('operator_credentials').select('secret_hash').execute();
    assert.equal(stored.length, 1);
    assert.ok(!stored[0]!.secret_hash.includes(token!), 'only a digest is stored');
  });

  test('a configured token replaces the stored one and is never echoed', async (t) => {
    const { operator } = await operatorOnFreshDb(t);
    const generated = await operator.ensureCredential(undefined);
    const configured = 'configured-operator-token-0123456789';
    assert.equal(await operator.ensureCredential(configured), null);
    assert.ok(await admits(operator, { authorization: `Bearer ${configured}` }));
    assert.ok(!(await admits(operator, { authorization: `Bearer ${generated}` })));
  });

  test('refuses a missing, malformed or wrong token', async (t) => {
    const { operator } = await operatorOnFreshDb(t);
    const token = (await operator.ensureCredential(undefined))!;
    assert.ok(!(await admits(operator, {})));
    assert.ok(!(await admits(operator, { authorization: token })));
    assert.ok(!(await admits(operator, { authorization: `Basic ${token}` })));
    assert.ok(!(await admits(operator, { authorization: `Bearer ${token}x` })));
    assert.ok(!(await admits(operator, { 'x-auth-token': token })));
    assert.ok(await admits(operator, { authorization: `bearer ${token}` }));
  });
});
