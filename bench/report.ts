/** Aggregation over rounds, the target verdicts, and the printed tables. */
import type { LoadResult } from './load.js';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface ScenarioReport {
  name: string;
  label: string;
  connections: number;
  /** bytes of one response body (from the sanity request) */
  responseBytes: number | null;
  rounds: LoadResult[];
  /** medians over rounds */
  rps: number;
  p50: number;
  p99: number;
  serverCpuUsPerReq: number | null;
  /** the database's CPU per request (PostgreSQL on this machine), median over rounds */
  dbCpuUsPerReq: number | null;
  clientCpuPct: number;
  non2xx: number;
  errors: number;
  /** median over rounds of (this scenario's req/s ÷ the bare route's req/s in the same round) */
  ratioToBare: number | null;
  ratioRounds: number[];
  /** req/s one fully busy server core would give at the measured CPU cost: 1e6 ÷ µs per request */
  rpsPerCore: number | null;
  /** bare µs/req ÷ this µs/req: the same ratio from CPU cost, less sensitive to the client and to idle time */
  cpuRatioToBare: number | null;
  /** median share of the server's CPU taken by other processes during the runs (%) */
  foreignPct: number | null;
}

export function summarizeScenario(
  name: string,
  label: string,
  connections: number,
  responseBytes: number | null,
  rounds: LoadResult[],
  bareRounds: readonly (LoadResult | undefined)[] | null,
): ScenarioReport {
  const cpu = rounds.map((r) => r.serverCpuUsPerReq).filter((v): v is number => v !== null);
  const ratioRounds: number[] = [];
  if (bareRounds) {
    rounds.forEach((r, i) => {
      const bare = bareRounds[i];
      if (bare && bare.rps > 0) ratioRounds.push(r.rps / bare.rps);
    });
  }
  const serverCpuUsPerReq = cpu.length > 0 ? median(cpu) : null;
  const bareCpu = (bareRounds ?? []).map((r) => r?.serverCpuUsPerReq).filter((v): v is number => typeof v === 'number');
  const bareUs = bareCpu.length > 0 ? median(bareCpu) : null;
  return {
    name,
    label,
    connections,
    responseBytes,
    rounds,
    rpsPerCore: serverCpuUsPerReq ? 1e6 / serverCpuUsPerReq : null,
    foreignPct: rounds.some((r) => r.foreignPct !== null) ? median(rounds.map((r) => r.foreignPct ?? 0)) : null,
    cpuRatioToBare: serverCpuUsPerReq && bareUs ? bareUs / serverCpuUsPerReq : null,
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.latencyMs.p50)),
    p99: median(rounds.map((r) => r.latencyMs.p99)),
    serverCpuUsPerReq,
    dbCpuUsPerReq: rounds.length > 0 && rounds.every((r) => r.dbCpuUsPerReq !== null) ? median(rounds.map((r) => r.dbCpuUsPerReq!)) : null,
    clientCpuPct: median(rounds.map((r) => r.clientCpuPct)),
    non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    ratioToBare: ratioRounds.length > 0 ? median(ratioRounds) : null,
    ratioRounds,
  };
}

/**
 * Per round: `of(a) ÷ of(b)` of two scenarios measured in the same round (rounds where either is
 * missing are left out). The reference targets take the median of these.
 */
export function roundRatios(a: ScenarioReport, b: ScenarioReport, of: (r: LoadResult) => number | null): number[] {
  const ratios: number[] = [];
  a.rounds.forEach((r, i) => {
    const x = of(r);
    const y = b.rounds[i] ? of(b.rounds[i]!) : null;
    if (x !== null && y) ratios.push(x / y);
  });
  return ratios;
}

/** A scenario against the server with traces, and its twin against the server without (same rounds). */
export interface PairReport {
  name: string;
  untraced: string;
  /** per round: traced req/s ÷ untraced req/s in the same round */
  ratioRounds: number[];
  /** median of ratioRounds: the target's value */
  ratio: number | null;
  /** per round: traced µs/req ÷ untraced µs/req; above 1 is the CPU each request pays for its trace */
  cpuRatioRounds: number[];
  cpuRatio: number | null;
  /** per round: other processes' share of the server CPU (%) during the run with traces, and without */
  foreignRounds: Array<[number | null, number | null]>;
}

export function comparePair(traced: ScenarioReport, untraced: ScenarioReport): PairReport {
  const ratioRounds: number[] = [];
  const cpuRatioRounds: number[] = [];
  const foreignRounds: Array<[number | null, number | null]> = [];
  traced.rounds.forEach((r, i) => {
    const u = untraced.rounds[i];
    if (!u) return;
    foreignRounds.push([r.foreignPct, u.foreignPct]);
    if (u.rps > 0) ratioRounds.push(r.rps / u.rps);
    if (r.serverCpuUsPerReq !== null && u.serverCpuUsPerReq) cpuRatioRounds.push(r.serverCpuUsPerReq / u.serverCpuUsPerReq);
  });
  return {
    name: traced.name,
    untraced: untraced.name,
    ratioRounds,
    ratio: ratioRounds.length > 0 ? median(ratioRounds) : null,
    cpuRatioRounds,
    cpuRatio: cpuRatioRounds.length > 0 ? median(cpuRatioRounds) : null,
    foreignRounds,
  };
}

export interface Target {
  name: string;
  /** what was compared, e.g. "ratio 0.42" */
  measured: string;
  value: number | null;
  threshold: number;
  direction: 'min' | 'max';
  verdict: 'PASS' | 'FAIL' | 'SKIP';
  /** within 20 % of the threshold: the machine's noise (±30–50 %) can flip it */
  marginal: boolean;
}

const MARGIN = 0.2;

/** `margin`: the share of the threshold within which a verdict is marginal (ratios near 1 need a narrower band). */
export function target(
  name: string,
  value: number | null,
  threshold: number,
  direction: 'min' | 'max',
  measured: (v: number) => string,
  margin = MARGIN,
): Target {
  if (value === null || Number.isNaN(value)) {
    return { name, measured: 'not measured', value: null, threshold, direction, verdict: 'SKIP', marginal: false };
  }
  const pass = direction === 'min' ? value >= threshold : value < threshold;
  const marginal = Math.abs(value - threshold) <= threshold * margin;
  return { name, measured: measured(value), value, threshold, direction, verdict: pass ? 'PASS' : 'FAIL', marginal };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

function table(headers: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatScenarios(reports: readonly ScenarioReport[]): string {
  // PostgreSQL on this machine: its CPU per request, beside the server's
  const withDb = reports.some((r) => r.dbCpuUsPerReq !== null);
  const headers = [
    'scenario', 'conns', 'req/s', 'per round', 'p50 ms', 'p99 ms', 'x bare', 'non2xx/err',
    'srv µs/req', ...(withDb ? ['db µs/req'] : []), 'req/s @1 core', 'x bare (CPU)', 'client CPU', 'other load', 'resp B',
  ];
  const rows = reports.map((r) => [
    r.label,
    String(r.connections),
    int(r.rps),
    r.rounds.map((x) => int(x.rps)).join(' / '),
    ms(r.p50),
    ms(r.p99),
    r.ratioToBare === null ? '' : r.ratioToBare.toFixed(2),
    `${r.non2xx}/${r.errors}`,
    r.serverCpuUsPerReq === null ? '' : int(r.serverCpuUsPerReq),
    ...(withDb ? [r.dbCpuUsPerReq === null ? '' : int(r.dbCpuUsPerReq)] : []),
    r.rpsPerCore === null ? '' : int(r.rpsPerCore),
    r.cpuRatioToBare === null ? '' : r.cpuRatioToBare.toFixed(2),
    `${r.clientCpuPct.toFixed(0)} %`,
    r.foreignPct === null ? '' : `${r.foreignPct.toFixed(0)} %`,
    r.responseBytes === null ? '' : int(r.responseBytes),
  ]);
  return table(headers, rows, [false, ...headers.slice(1).map(() => true)]);
}

export function formatPairs(pairs: readonly PairReport[]): string {
  const rounds = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' / ');
  const rows = pairs.map((p) => [
    `${p.name} ÷ ${p.untraced}`,
    p.ratio === null ? '' : p.ratio.toFixed(2),
    rounds(p.ratioRounds),
    p.cpuRatio === null ? '' : p.cpuRatio.toFixed(2),
    rounds(p.cpuRatioRounds),
    p.foreignRounds.map(([on, off]) => `${on?.toFixed(0) ?? '?'}/${off?.toFixed(0) ?? '?'} %`).join(' · '),
  ]);
  return table(
    ['traces on ÷ off', 'req/s ratio', 'per round', 'µs/req ratio', 'per round', 'other load on/off per round'],
    rows,
    [false, true, true, true, true, true],
  );
}

export function formatTargets(targets: readonly Target[]): string {
  const rows = targets.map((t) => [
    t.name,
    t.measured,
    t.verdict === 'SKIP' ? 'SKIP' : `${t.verdict}${t.marginal ? ' (marginal)' : ''}`,
  ]);
  return table(['target', 'measured', 'verdict'], rows, [false, false, false]);
}

export function mb(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
