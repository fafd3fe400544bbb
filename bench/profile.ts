/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): top functions by self time, time by
 * package / source file, and inclusive time of the server's own functions (dist/ → src/).
 * Standalone: `node --import tsx bench/profile.ts <file.cpuprofile> [top] [skip-ms]`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  where: string;
  ms: number;
  pct: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** total minus (idle) */
  busyMs: number;
  selfTop: ProfileEntry[];
  byPackage: ProfileEntry[];
  /** inclusive time of functions in the server's own code (dist/*.js) */
  ownInclusiveTop: ProfileEntry[];
}

function shortUrl(url: string): string {
  if (url === '') return '';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('/node_modules/');
  if (nm >= 0) return clean.slice(nm + '/node_modules/'.length);
  const dist = clean.lastIndexOf('/dist/');
  if (dist >= 0) return clean.slice(dist + 1);
  return clean;
}

/** "fastify", "kysely", "dist/http/auth-hook.js", "node:internal", "(garbage collector)" … */
function packageOf(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native / V8 builtins)';
  if (url.startsWith('node:')) return 'node: (core modules)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url;
}

/** `skipMs`: leave out the first milliseconds of the profile (the server's start-up before the load). */
export function summarizeProfile(file: string, top = 25, skipMs = 0): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const selfUs = new Map<number, number>();
  let elapsedUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs < skipMs * 1000) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, dt));
  }
  let totalUs = 0;
  let idleUs = 0;
  const selfByFn = new Map<string, { name: string; where: string; us: number }>();
  const byPackage = new Map<string, number>();
  const inclusiveOwn = new Map<string, { name: string; where: string; us: number }>();
  const keyOf = (f: CallFrame) => `${f.functionName}|${f.url}|${f.lineNumber}`;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const f = node.callFrame;
    totalUs += us;
    if (f.functionName === '(idle)') idleUs += us;
    const key = keyOf(f);
    const entry = selfByFn.get(key) ?? {
      name: f.functionName || '(anonymous)',
      where: f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : '',
      us: 0,
    };
    entry.us += us;
    selfByFn.set(key, entry);
    const pkg = packageOf(f);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    // inclusive time for the server's own functions: each function once per stack
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)!.callFrame;
      if (!cf.url.includes('/dist/') || cf.url.includes('/node_modules/')) continue;
      const k = keyOf(cf);
      if (seen.has(k)) continue;
      seen.add(k);
      const e = inclusiveOwn.get(k) ?? { name: cf.functionName || '(anonymous)', where: `${shortUrl(cf.url)}:${cf.lineNumber + 1}`, us: 0 };
      e.us += us;
      inclusiveOwn.set(k, e);
    }
  }
  const busyUs = totalUs - idleUs;
  const entry = (name: string, where: string, us: number): ProfileEntry => ({
    name,
    where,
    ms: us / 1000,
    pct: busyUs > 0 ? (us / busyUs) * 100 : 0,
  });
  return {
    file,
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    selfTop: [...selfByFn.values()]
      .filter((e) => e.name !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => entry(e.name, e.where, e.us)),
    byPackage: [...byPackage.entries()]
      .filter(([k]) => k !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => entry(k, '', us)),
    ownInclusiveTop: [...inclusiveOwn.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => entry(e.name, e.where, e.us)),
  };
}

export function formatProfile(s: ProfileSummary): string {
  const lines = [`CPU profile ${s.file}: ${(s.busyMs / 1000).toFixed(2)} s busy of ${(s.totalMs / 1000).toFixed(2)} s sampled`];
  const table = (title: string, rows: ProfileEntry[]) => {
    lines.push(`  ${title}`);
    for (const r of rows) lines.push(`    ${r.pct.toFixed(1).padStart(5)} %  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}${r.where ? `  ${r.where}` : ''}`);
  };
  table('top self time (% of busy time):', s.selfTop);
  table('self time by package / file:', s.byPackage);
  table("inclusive time of the server's own functions (dist/):", s.ownInclusiveTop);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node --import tsx bench/profile.ts <file.cpuprofile> [top] [skip-ms]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfile(summarizeProfile(file, Number(process.argv[3] ?? 25), Number(process.argv[4] ?? 0)))}\n`);
}
