import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { createFaultInjector, type FaultRule } from '../src/testing/fault-injector.js';

function rule(overrides: Partial<FaultRule> = {}): FaultRule {
  return {
    id: 'r1',
    projectId: null,
    operations: new Set(['ShowThing']),
    share: 1,
    error: { status: 429, error_code: 'APIG.0308', error_msg: 'throttled' },
    remaining: null,
    expiresAt: Number.MAX_SAFE_INTEGER,
    ...overrides,
  };
}

/** A replica's app with one faultable route; stored is what the database holds. */
async function replica(stored: { rules: FaultRule[]; loads: number }, clock: { ms: number }, refreshMs = 1000) {
  const faults = createFaultInjector({
    load: async () => {
      stored.loads++;
      return stored.rules;
    },
    take: async () => true,
    now: Date.now,
    refreshMs,
    monotonicNow: () => clock.ms,
  });
  const app = Fastify();
  faults.install(app);
  app.get('/thing', { schema: { operationId: 'ShowThing' } }, async () => ({ ok: true }));
  app.get('/other', { schema: { operationId: 'ShowOther' } }, async () => ({ ok: true }));
  app.get('/hidden', async () => ({ ok: true }));
  app.get('/maws/v1/op', { schema: { operationId: 'MawsOp' } }, async () => ({ ok: true }));
  await app.ready();
  return { app, faults };
}

describe('fault injector', () => {
  it('a change made through another replica applies here once the cache is refreshMs old, and not before', async (t) => {
    const stored = { rules: [] as FaultRule[], loads: 0 };
    const clock = { ms: 0 };
    const { app } = await replica(stored, clock);
    t.after(() => app.close());
    assert.equal((await app.inject('/thing')).statusCode, 200);
    assert.equal(stored.loads, 1);
    stored.rules = [rule()];
    clock.ms = 999;
    assert.equal((await app.inject('/thing')).statusCode, 200);
    assert.equal(stored.loads, 1, 'no query while the cache is fresh');
    clock.ms = 1000;
    const res = await app.inject('/thing');
    assert.equal(res.statusCode, 429);
    assert.deepEqual(res.json(), { error_code: 'APIG.0308', error_msg: 'throttled', request_id: res.json().request_id });
    assert.equal(stored.loads, 2);
    assert.equal((await app.inject('/other')).statusCode, 200);
  });

  it('knows the operations of the routes it hooked: not the operator API, not routes without an operationId', async (t) => {
    const { app, faults } = await replica({ rules: [], loads: 0 }, { ms: 0 });
    t.after(() => app.close());
    assert.deepEqual([...faults.operations].sort(), ['ShowOther', 'ShowThing']);
  });

  it('a counted fault that another replica used up is dropped and the call goes on', async (t) => {
    const stored = { rules: [rule({ remaining: 1 })], loads: 0 };
    const faults = createFaultInjector({ load: async () => stored.rules, take: async () => false, now: Date.now, refreshMs: 60_000 });
    const app = Fastify();
    faults.install(app);
    app.get('/thing', { schema: { operationId: 'ShowThing' } }, async () => ({ ok: true }));
    t.after(() => app.close());
    assert.equal((await app.inject('/thing')).statusCode, 200);
  });

  it('an expired rule in the cache is ignored at once', async (t) => {
    let time = 1000;
    const faults = createFaultInjector({ load: async () => [rule({ expiresAt: 2000 })], take: async () => true, now: () => time, refreshMs: 60_000 });
    const app = Fastify();
    faults.install(app);
    app.get('/thing', { schema: { operationId: 'ShowThing' } }, async () => ({ ok: true }));
    t.after(() => app.close());
    assert.equal((await app.inject('/thing')).statusCode, 429);
    time = 2000;
    assert.equal((await app.inject('/thing')).statusCode, 200);
  });

  it('without a seed, a share picks a call when the random draw falls below it', async (t) => {
    const draws = [0.49, 0.5, 0.1, 0.99];
    const faults = createFaultInjector({
      load: async () => [rule({ share: 0.5 })],
      take: async () => true,
      now: Date.now,
      refreshMs: 60_000,
      random: () => draws.shift()!,
    });
    const app = Fastify();
    faults.install(app);
    app.get('/thing', { schema: { operationId: 'ShowThing' } }, async () => ({ ok: true }));
    t.after(() => app.close());
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await app.inject('/thing')).statusCode);
    assert.deepEqual(seen, [429, 200, 429, 200]);
  });

  it('when the rules cannot be read, calls go on', async (t) => {
    const faults = createFaultInjector({ load: () => Promise.reject(new Error('db down')), take: async () => true, now: Date.now, refreshMs: 10 });
    const app = Fastify({ logger: false });
    faults.install(app);
    app.get('/thing', { schema: { operationId: 'ShowThing' } }, async () => ({ ok: true }));
    t.after(() => app.close());
    assert.equal((await app.inject('/thing')).statusCode, 200);
  });
});
