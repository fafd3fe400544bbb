import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { ok, uniq } from './helpers/fixtures.js';
import { describeRequest, type FuzzRequest, type FuzzResponse, operationsOf, requestsFor, send } from './helpers/fuzz-requests.js';
import { type TestServer, startTestServer } from './helpers/server.js';

// Replay a failure with FUZZ_SEED=<seed> (and FUZZ_RUNS for a longer hunt); the default seed keeps
// `npm test` deterministic.
const SEED = Number(process.env.FUZZ_SEED ?? 90_210);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** Stack frames and names of the parts inside; fuzzed inputs never spell these, so a hit is a leak. */
const INTERNALS =
  /\n\s+at\s|\bat .+:\d+:\d+\)|\.[cm]?[jt]s:\d+|node_modules|SQLITE_|sqlite|better-sqlite3|Kysely|fastify|FST_|\bpg\b|postgres|relation "|syntax error at|constraint failed|violates|duplicate key|(?:Type|Reference|Range|Syntax)Error|Cannot read propert|is not a function|ECONNREFUSED/i;

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(() => srv.close());

function check(req: FuzzRequest, res: FuzzResponse): void {
  const requestId = res.headers['x-request-id'];
  assert.ok(res.status < 500, `status ${res.status}: ${res.text.slice(0, 500)}`);
  assert.doesNotMatch(res.text, INTERNALS);
  if (res.status >= 200 && res.status < 300) return;
  assert.ok(typeof requestId === 'string' && requestId.length > 0, 'X-Request-Id header');
  if (req.method === 'HEAD') return;
  const body = JSON.parse(res.text);
  assert.deepEqual(Object.keys(body).sort(), ['error_code', 'error_msg', 'request_id'], res.text);
  assert.equal(typeof body.error_code, 'string');
  assert.equal(typeof body.error_msg, 'string');
  assert.equal(body.request_id, requestId);
}

test(`every documented route answers fuzzed requests without 5xx, in the error shape, leaking nothing (FUZZ_SEED=${SEED})`, async () => {
  const ops = operationsOf(ok(await srv.api('GET', '/openapi.json')));
  assert.ok(ops.length > 20, String(ops.length));
  const rootToken = await srv.rootToken();
  const workspace = ok(await srv.api('POST', `/v1/${srv.projectId}/workspaces`, { token: rootToken, body: { name: uniq() } }));
  const user = await srv.newUser();
  // Real ids sometimes, so that requests reach the handlers and the databases, not only the validators.
  const known = {
    project_id: [srv.projectId],
    workspace_id: ['0', workspace.id],
    user_id: [srv.root.id, user.id],
    access_key: [srv.root.accessKey, user.accessKey],
    enterprise_project_id: ['0'],
  };
  const requests = requestsFor(ops, known, { rootToken });
  // The last failing request is, after shrinking, the smallest one found.
  let failing: { req: FuzzRequest; res?: FuzzResponse; error: unknown } | undefined;
  try {
    await fc.assert(
      fc.asyncProperty(requests, async (req) => {
        let res: FuzzResponse | undefined;
        try {
          res = await send(srv.url, req);
          check(req, res);
        } catch (error) {
          failing = { req, res, error };
          throw error;
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  } catch (error) {
    const answer = failing?.res ? `${failing.res.status} ${failing.res.text.slice(0, 500)}` : `none (${String(failing?.error)})`;
    const seen = failing ? `\nrequest: ${describeRequest(failing.req)}\nanswer: ${answer}` : '';
    // fast-check's own report, without its counterexample dump: a deep body would fill the screen.
    const report = (error as Error).message.split('\n').filter((line) => !line.startsWith('Counterexample:'));
    throw new Error(`fuzzing failed; replay with FUZZ_SEED=${SEED}${seen}\n${report.join('\n')}`);
  }
});
