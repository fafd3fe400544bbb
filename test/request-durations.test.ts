import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { registerRequestDurations } from '../src/http/request-durations.js';
import { seededRandom } from '../src/testing/seeded-random.js';

const NAME = 'maws_http_request_duration_seconds';
const HELP = 'HTTP request duration by method, route and status code';
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Both histograms, fed the same observations. */
function pair() {
  const ours = new Registry();
  const theirs = new Registry();
  const durations = registerRequestDurations(ours, NAME, HELP, BUCKETS);
  const histogram = new Histogram({ name: NAME, help: HELP, labelNames: ['method', 'route', 'status_code'] as const, buckets: BUCKETS, registers: [theirs] });
  return {
    ours,
    theirs,
    observe(method: string, route: string, status: number, seconds: number) {
      durations.observe(method, route, status, seconds);
      histogram.observe({ method, route, status_code: String(status) }, seconds);
    },
  };
}

test('the request durations are exported as prom-client exports a Histogram fed the same observations', async () => {
  const random = seededRandom(13);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const { ours, theirs, observe } = pair();
  assert.equal(await ours.metrics(), await theirs.metrics(), 'before any observation');
  const routes = ['/v1/:project_id/workspaces', '/v1/:project_id/workspaces/:workspace_id', 'unmatched', '/v3/auth/tokens'];
  for (let i = 0; i < 5000; i++) {
    // On the bounds, between them and beyond the last one.
    const seconds = random() < 0.2 ? pick(BUCKETS) : random() < 0.05 ? 2.5 + random() * 10 : random() * random() * 0.3;
    observe(pick(['GET', 'POST', 'PUT', 'DELETE', 'HEAD']), pick(routes), pick([200, 400, 401, 403, 404, 429, 500]), seconds);
  }
  const text = await ours.metrics();
  assert.equal(text, await theirs.metrics());
  assert.match(text, /maws_http_request_duration_seconds_bucket\{le="\+Inf",method="[A-Z]+",route="[^"]+",status_code="\d{3}"\} \d+/);
  assert.deepEqual(await ours.getMetricsAsJSON(), await theirs.getMetricsAsJSON());

  ours.resetMetrics();
  theirs.resetMetrics();
  observe('GET', routes[0]!, 200, 0.004);
  assert.equal(await ours.metrics(), await theirs.metrics(), 'after a reset');
});
