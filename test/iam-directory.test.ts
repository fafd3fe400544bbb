// What the IAM module answers other domains: domain values (flags are booleans, not 0/1), and
// grants resolved with one user look-up however many users they name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordingDb } from './helpers/recording-db.js';
import { createIdentityRepository } from '../src/iam/identity.repository.js';
import { resolveGrants } from '../src/workspaces/grants.js';
import { startTestServer } from './helpers/server.js';

describe('IAM look-ups for other domains', () => {
  it('return user flags as booleans', async (t) => {
    const srv = await startTestServer();
    t.after(() => srv.close());
    const iam = srv.server.modules.iam.service;
    const root = await iam.findUserById(srv.root.id);
    assert.equal(root?.is_root, true);
    assert.equal(root?.enabled, true);
    const user = await srv.newUser();
    const found = await iam.findUserByName(root!.domain_id, user.name);
    assert.equal(found?.is_root, false);
    assert.equal(found?.enabled, true);
    const owner = await iam.findAccessKeyOwner(user.accessKey);
    assert.deepEqual([owner?.is_root, owner?.enabled], [false, true]);
  });

  it('resolve the grants of many users with one look-up', async (t) => {
    const srv = await startTestServer();
    t.after(() => srv.close());
    const iam = srv.server.modules.iam.service;
    const users = [await srv.newUser(), await srv.newUser(), await srv.newUser()];
    const domainId = (await iam.findUserById(srv.root.id))!.domain_id;
    let lookups = 0;
    const counting = { findUsers: (...args: Parameters<typeof iam.findUsers>) => (lookups++, iam.findUsers(...args)) };
    const grants = await resolveGrants(counting, domainId, [
      { user_id: users[0]!.id },
      { user_name: users[1]!.name },
      { user_id: users[2]!.id, user_name: 'ignored' },
      { user_name: 'fed-user', user_type: 'federate' },
    ]);
    assert.equal(lookups, 1);
    assert.deepEqual(
      grants.map((g) => [g.user_id, g.user_name, g.user_type]),
      [
        [users[0]!.id, users[0]!.name, 'IAM'],
        [users[1]!.id, users[1]!.name, 'IAM'],
        [users[2]!.id, users[2]!.name, 'IAM'],
        ['', 'fed-user', 'FEDERATE'],
      ],
    );
  });

  it('finds users by ids and names in one statement', async () => {
    const { db, take } = recordingDb('sqlite');
    await createIdentityRepository().findUsers(db, 'd1', ['u1', 'u2'], ['bob']);
    assert.equal(take().length, 1);
  });
});

describe('grant resolution errors', () => {
  it('name the first bad grant, whatever is wrong with it', async (t) => {
    const srv = await startTestServer();
    t.after(() => srv.close());
    const iam = srv.server.modules.iam.service;
    const domainId = (await iam.findUserById(srv.root.id))!.domain_id;
    await assert.rejects(resolveGrants(iam, domainId, [{ user_name: 'ghost' }, {}]), /^AppError: grants\[0\]: IAM user ghost does not exist$/);
    await assert.rejects(resolveGrants(iam, domainId, [{}, { user_name: 'ghost' }]), /^AppError: grants\[0\]: user_id or user_name is required$/);
  });
});
