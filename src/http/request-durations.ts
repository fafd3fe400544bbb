import type { Metric, Registry } from 'prom-client';

type Labels = { method: string; route: string; status_code: string };

interface Series {
  labels: Labels;
  /** observations per bucket, not cumulative */
  counts: number[];
  sum: number;
  count: number;
}

interface ExportedValue {
  labels: Record<string, string | number>;
  sharedLabels: Labels;
  value: number;
  metricName: string;
  exemplar: null | undefined;
}

interface RequestDurations {
  observe(method: string, route: string, statusCode: number, seconds: number): void;
}

/**
 * HTTP request durations as a Prometheus histogram by method, route and status code, exported
 * as prom-client's Histogram exports them (a test compares the two texts), but cheaper to
 * observe: prom-client checks and hashes the labels of every observation, about 2 % of a
 * ShowWorkspace's CPU. Here a series is found through maps keyed by the values themselves.
 */
export function registerRequestDurations(registry: Registry, name: string, help: string, buckets: readonly number[]): RequestDurations {
  /** in the order they first occurred, as prom-client lists them */
  let all: Series[] = [];
  let byRoute = new Map<string, Map<string, Map<number, Series>>>();

  function seriesOf(method: string, route: string, statusCode: number): Series {
    let byMethod = byRoute.get(route);
    if (byMethod === undefined) byRoute.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(statusCode);
    if (series === undefined) {
      series = { labels: { method, route, status_code: String(statusCode) }, counts: buckets.map(() => 0), sum: 0, count: 0 };
      byStatus.set(statusCode, series);
      all.push(series);
    }
    return series;
  }

  function exported(): ExportedValue[] {
    const values: ExportedValue[] = [];
    for (const series of all) {
      let cumulative = 0;
      buckets.forEach((le, i) => {
        cumulative += series.counts[i]!;
        values.push({ labels: { le }, sharedLabels: series.labels, value: cumulative, metricName: `${name}_bucket`, exemplar: null });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: series.labels, value: series.count, metricName: `${name}_bucket`, exemplar: null });
      values.push({ labels: {}, sharedLabels: series.labels, value: series.sum, metricName: `${name}_sum`, exemplar: undefined });
      values.push({ labels: {}, sharedLabels: series.labels, value: series.count, metricName: `${name}_count`, exemplar: undefined });
    }
    return values;
  }

  const header = { name, help, type: 'histogram', aggregator: 'sum' };
  const metric = {
    ...header,
    getForPromString: async () => ({ ...header, values: exported() }),
    get: async () => ({
      ...header,
      values: exported().map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })),
    }),
    reset() {
      all = [];
      byRoute = new Map();
    },
  };
  registry.registerMetric(metric as unknown as Metric);

  return {
    observe(method, route, statusCode, seconds) {
      const series = seriesOf(method, route, statusCode);
      // prom-client's buckets: the first upper bound at or above the value; none above the last.
      for (let i = 0; i < buckets.length; i++) {
        if (seconds <= buckets[i]!) {
          series.counts[i]!++;
          break;
        }
      }
      series.sum += seconds;
      series.count += 1;
    },
  };
}
