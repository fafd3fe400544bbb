// What dist/ was built from, recorded by the build and compared before a start. Contents, not
// modification times, decide: a clone, a copy or an archive extraction changes every mtime and no
// code, while an edit within the same second as the build would hide behind an equal mtime.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** esbuild entry points: output name (dist/<name>.js) → source */
export const ENTRY_POINTS = { main: 'src/main.ts', 'cli/main': 'src/cli/main.ts' };

const STAMP = 'dist/build-stamp.json';
// The bundle inlines the dependencies, so the lock file is an input like the sources are.
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json'];
// console/: the web console, built into dist/console.
const INPUT_DIRS = ['src', 'scripts', 'console'];

function filesUnder(root, dir) {
  if (!fs.existsSync(path.join(root, dir))) return [];
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return filesUnder(root, file);
    return entry.isFile() ? [file] : [];
  });
}

/** sha256 of every build input, by path relative to root */
export function digestInputs(root) {
  const files = [...INPUT_FILES.filter((f) => fs.existsSync(path.join(root, f))), ...INPUT_DIRS.flatMap((d) => filesUnder(root, d))];
  return Object.fromEntries(
    files.sort().map((f) => [f, createHash('sha256').update(fs.readFileSync(path.join(root, f))).digest('hex')]),
  );
}

export function writeStamp(root, inputs) {
  fs.writeFileSync(path.join(root, STAMP), `${JSON.stringify({ inputs }, null, 1)}\n`);
}

/** Why dist/ does not match the sources, or null when it does. */
export function staleness(root) {
  const missing = Object.keys(ENTRY_POINTS).find((name) => !fs.existsSync(path.join(root, 'dist', `${name}.js`)));
  if (missing !== undefined) return `dist/${missing}.js is missing`;
  // A tree shipped with its build and without the sources: nothing to compare it with.
  if (!fs.existsSync(path.join(root, 'src'))) return null;
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(path.join(root, STAMP), 'utf8')).inputs;
  } catch {
    return `${STAMP} is missing or unreadable`;
  }
  const current = digestInputs(root);
  const changed = [...new Set([...Object.keys(recorded), ...Object.keys(current)])]
    .filter((f) => recorded[f] !== current[f])
    .sort();
  if (changed.length === 0) return null;
  const shown = changed.slice(0, 5).join(', ');
  return `dist/ was built from other sources (changed since: ${shown}${changed.length > 5 ? ` and ${changed.length - 5} more` : ''})`;
}
