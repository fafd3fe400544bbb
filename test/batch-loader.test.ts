import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBatchLoader } from '../src/db/batch-loader.js';

/** A fetchMany that records its calls and answers key → `${group}:${key}`, except for keys starting with "missing". */
function recordingFetch() {
  const calls: Array<{ group: string; keys: string[] }> = [];
  const fetchMany = async (group: string, keys: readonly string[]) => {
    calls.push({ group, keys: [...keys] });
    return new Map(keys.filter((k) => !k.startsWith('missing')).map((k) => [k, `${group}:${k}`]));
  };
  return { calls, fetchMany };
}

describe('batch loader', () => {
  test('lookups made in one turn of the event loop share one fetch per group', async () => {
    const { calls, fetchMany } = recordingFetch();
    const loader = createBatchLoader(fetchMany, 100);
    const results = await Promise.all([
      loader.load('p1', 'a'),
      loader.load('p1', 'b'),
      loader.load('p2', 'a'),
      loader.load('p1', 'missing-1'),
    ]);
    assert.deepEqual(results, ['p1:a', 'p1:b', 'p2:a', undefined]);
    assert.deepEqual(calls, [
      { group: 'p1', keys: ['a', 'b', 'missing-1'] },
      { group: 'p2', keys: ['a'] },
    ]);
  });

  test("while a group's fetch is in flight, its new lookups wait for it and then share one fetch", async () => {
    const calls: Array<{ group: string; keys: string[] }> = [];
    const answers: Array<() => void> = [];
    // Each fetch is answered when the test says so, as a round trip to PostgreSQL would be.
    const fetchMany = (group: string, keys: readonly string[]) => {
      calls.push({ group, keys: [...keys] });
      return new Promise<ReadonlyMap<string, string>>((resolve) => answers.push(() => resolve(new Map(keys.map((k) => [k, `${group}:${k}`])))));
    };
    const loader = createBatchLoader(fetchMany, 100);
    const first = loader.load('p', 'a');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls, [{ group: 'p', keys: ['a'] }]);
    const later = [loader.load('p', 'b'), loader.load('p', 'c'), loader.load('q', 'z')];
    await new Promise((resolve) => setImmediate(resolve));
    // p waits for its fetch in flight; q has none and goes at once.
    assert.deepEqual(calls, [{ group: 'p', keys: ['a'] }, { group: 'q', keys: ['z'] }]);
    answers[0]!();
    assert.equal(await first, 'p:a');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls.at(-1), { group: 'p', keys: ['b', 'c'] });
    answers[1]!();
    answers[2]!();
    assert.deepEqual(await Promise.all(later), ['p:b', 'p:c', 'q:z']);
    assert.equal(calls.length, 3);
  });

  test('lookups wait for a fetch that hangs no longer than a moment: they go out beside it', async () => {
    const calls: string[][] = [];
    let secondCall!: () => void;
    const second = new Promise<void>((resolve) => (secondCall = resolve));
    const fetchMany = (group: string, keys: readonly string[]) => {
      calls.push([...keys]);
      if (calls.length === 1) return new Promise<ReadonlyMap<string, string>>(() => {}); // never answered
      secondCall();
      return Promise.resolve(new Map(keys.map((k) => [k, `${group}:${k}`])));
    };
    const loader = createBatchLoader(fetchMany, 100);
    void loader.load('p', 'hung');
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    const later = loader.load('p', 'b');
    await second;
    assert.ok(performance.now() - started < 5000);
    assert.deepEqual(calls, [['hung'], ['b']]);
    assert.equal(await later, 'p:b');
  });

  test('the same key asked twice is fetched once and answers both', async () => {
    const { calls, fetchMany } = recordingFetch();
    const loader = createBatchLoader(fetchMany, 100);
    const [first, second] = await Promise.all([loader.load('p', 'x'), loader.load('p', 'x')]);
    assert.equal(first, 'p:x');
    assert.equal(second, 'p:x');
    assert.deepEqual(calls, [{ group: 'p', keys: ['x'] }]);
  });

  test('lookups in later turns get fresh fetches: nothing is cached', async () => {
    const { calls, fetchMany } = recordingFetch();
    const loader = createBatchLoader(fetchMany, 100);
    assert.equal(await loader.load('p', 'x'), 'p:x');
    assert.equal(await loader.load('p', 'x'), 'p:x');
    assert.deepEqual(calls, [
      { group: 'p', keys: ['x'] },
      { group: 'p', keys: ['x'] },
    ]);
  });

  test('a batch larger than maxBatch is split into several fetches', async () => {
    const { calls, fetchMany } = recordingFetch();
    const loader = createBatchLoader(fetchMany, 3);
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
    const results = await Promise.all(keys.map((k) => loader.load('p', k)));
    assert.deepEqual(results, keys.map((k) => `p:${k}`));
    assert.deepEqual(
      calls.map((c) => c.keys),
      [['k1', 'k2', 'k3'], ['k4', 'k5', 'k6'], ['k7']],
    );
  });

  test('a failed fetch rejects the lookups of its chunk only', async () => {
    const loader = createBatchLoader(async (group, keys) => {
      if (group === 'broken') throw new Error('database is down');
      return new Map(keys.map((k) => [k, k]));
    }, 100);
    const [good, bad] = await Promise.allSettled([loader.load('fine', 'a'), loader.load('broken', 'b')]);
    assert.deepEqual(good, { status: 'fulfilled', value: 'a' });
    assert.equal(bad.status, 'rejected');
    assert.match(String((bad as PromiseRejectedResult).reason), /database is down/);
  });
});
