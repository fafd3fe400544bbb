// The source tree's layering: no import cycles between files, and no folder of src/ that imports
// a folder importing it back (files directly in src/ count as folders of their own).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** file → the files of src/ it imports */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((m) =>
      path.resolve(path.dirname(file), (m[1] ?? m[2]!).replace(/\.js$/, '.ts')),
    );
    graph.set(file, targets.filter((t) => t.startsWith(SRC)));
  }
  return graph;
}

/** The unit of layering: the first folder below src/, or the file itself when it lies in src/. */
function folderOf(file: string): string {
  const [first, ...rest] = path.relative(SRC, file).split(path.sep);
  return rest.length === 0 ? first! : `${first}/`;
}

function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  function visit(node: string): string[] | null {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  }
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('source layering', () => {
  const graph = importGraph();

  it('reads the whole tree, with its imports', () => {
    assert.ok(graph.size > 50, `${graph.size} files`);
    assert.ok([...graph.values()].flat().length > 100);
  });

  it('has no import cycle between files', () => {
    const cycle = findCycle(graph);
    assert.equal(cycle, null, `cycle: ${cycle?.map((f) => path.relative(SRC, f)).join(' → ')}`);
  });

  it('has no folder that imports a folder importing it back', () => {
    const folders = new Map<string, string[]>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      const edges = folders.get(from) ?? [];
      for (const t of targets) if (folderOf(t) !== from && !edges.includes(folderOf(t))) edges.push(folderOf(t));
      folders.set(from, edges);
    }
    const cycle = findCycle(folders);
    assert.equal(cycle, null, `folder cycle: ${cycle?.join(' → ')}`);
  });
});
