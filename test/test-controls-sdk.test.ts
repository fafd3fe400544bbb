// The README's "Test controls" examples, run with the official SDK's code path: a client's retry
// logic meets DELETE_FAILED and APIG.0308 throttling provoked on purpose, and copes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientRequestException } from '@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException.js';
import { uniq } from './helpers/fixtures.js';
import { createModelArtsSdkClient } from './helpers/modelarts-sdk-client.js';
import { OPERATOR_TOKEN, startTestServer, type TestServer } from './helpers/server.js';

type Client = ReturnType<typeof createModelArtsSdkClient>;

/** The README's operator call, as a test suite's setup would make it. */
async function operator(endpoint: string, path: string, body: object): Promise<void> {
  const res = await fetch(`${endpoint}/maws/v1/test-controls/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The code under test (README): delete, follow the status, DELETE again after DELETE_FAILED. */
async function deleteWorkspaceWithRetry(client: Client, id: string, attempts = 3): Promise<number> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await client.deleteWorkspace(id);
    for (;;) {
      let status: string;
      try {
        status = (await client.showWorkspace(id)).status;
      } catch (e) {
        if (e instanceof ClientRequestException && e.errorCode === 'ModelArts.7005') return attempt; // gone
        throw e;
      }
      if (status === 'DELETE_FAILED') break; // try again
      await pause();
    }
  }
  throw new Error(`workspace ${id} could not be deleted in ${attempts} attempts`);
}

/** The code under test (README): retry a throttled call (429 APIG.0308) with a back-off. */
async function withThrottlingRetry<T>(call: () => Promise<T>, attempts = 5): Promise<{ result: T; throttled: number }> {
  for (let throttled = 0; ; throttled++) {
    try {
      return { result: await call(), throttled };
    } catch (e) {
      const isThrottled = e instanceof ClientRequestException && e.httpStatusCode === 429 && e.errorCode === 'APIG.0308';
      if (!isThrottled || throttled + 1 >= attempts) throw e;
      await pause();
    }
  }
}

describe('README: testing retry logic with test controls and the SDK', () => {
  let srv: TestServer;
  let client: Client;

  before(async () => {
    srv = await startTestServer({ MAWS_TEST_CONTROLS: 'true' });
    client = createModelArtsSdkClient({ endpoint: srv.url, projectId: srv.projectId, ak: srv.root.accessKey, sk: srv.root.secretKey });
  });
  after(() => srv.close());

  test('the client sees DELETE_FAILED, retries the DELETE, and the workspace goes', async () => {
    const { id } = await client.createWorkspace({ name: uniq('sdk') });
    await operator(srv.url, 'deletion-failures', { project_id: srv.projectId, count: 1, message: 'cleanup failed' });
    assert.equal(await deleteWorkspaceWithRetry(client, id), 2);
  });

  test('two failures in a row need a third attempt; with two attempts the client gives up', async () => {
    const { id } = await client.createWorkspace({ name: uniq('sdk') });
    await operator(srv.url, 'deletion-failures', { project_id: srv.projectId, workspace_id: id, count: 2 });
    await assert.rejects(deleteWorkspaceWithRetry(client, id, 2), /could not be deleted in 2 attempts/);
    const shown = await client.showWorkspace(id);
    assert.equal(shown.status, 'DELETE_FAILED');
    assert.equal(shown.status_info, 'resource cleanup failed (test control)');
    assert.equal(await deleteWorkspaceWithRetry(client, id), 1);
  });

  test('throttled calls (429 APIG.0308) are retried until one goes through', async () => {
    await operator(srv.url, 'faults', {
      project_id: srv.projectId,
      operations: ['ListWorkspace'],
      error: { status: 429, error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second' },
      count: 2,
    });
    const { result, throttled } = await withThrottlingRetry(() => client.listWorkspace());
    assert.equal(throttled, 2);
    assert.ok(result.total_count >= 1);
  });
});
