// The helpers that start real server processes must never leave one behind: a group of replicas
// where one fails to start is stopped whole, at once, instead of keeping the test run alive.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { createTestStorage, TEST_DB } from './helpers/database.js';
import { cleanupFor, spawnServers } from './helpers/process.js';

/** Server processes this test process started that are still running. */
function ourServers(): string[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, ppid, ...args]) => Number(ppid) === process.pid && args.join(' ').includes('src/main.ts'))
    .map(([pid]) => pid!);
}

describe('spawnServers', { skip: TEST_DB === 'postgres' && 'process handling does not depend on the database' }, () => {
  it('stops the replicas that started when one of them fails, and reports the failure', async (t) => {
    // One SQLite file serves one process: each replica that starts gets its own.
    const storages = [await createTestStorage(), await createTestStorage()];
    t.after(() => Promise.all(storages.map((s) => s.cleanup())));
    const cleanup = cleanupFor(t);
    const bad = { ...storages[0]!.env, MAWS_PORT: '-1' };
    await assert.rejects(spawnServers(cleanup, [storages[0]!.env, bad, storages[1]!.env]), /server did not start[\s\S]*MAWS_PORT/);
    assert.deepEqual(ourServers(), []);
  });
});
