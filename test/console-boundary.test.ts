// The web console is a client of the public API: it may take the server's wire TYPES (erased at
// build time), never its code, so that no console code path can reach the database.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const CONSOLE_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../console/src');
const IMPORT = /(?:^|\n)\s*(import|export)(\s+type)?\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

interface Import {
  file: string;
  target: string;
  typeOnly: boolean;
}

function imports(): Import[] {
  return sourceFiles(CONSOLE_SRC).flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => ({
      file: path.relative(CONSOLE_SRC, file),
      target: (m[3] ?? m[4] ?? m[5])!,
      typeOnly: m[2] !== undefined,
    })),
  );
}

describe('console: a client of the API only', () => {
  it('finds the console sources and their imports', () => {
    assert.ok(imports().some((i) => i.target === 'preact/hooks'));
  });

  it('takes nothing but types from outside console/', () => {
    const outside = imports().filter((i) => i.target.startsWith('.') && !path.resolve(CONSOLE_SRC, path.dirname(i.file), i.target).startsWith(CONSOLE_SRC));
    assert.ok(outside.length > 0, 'the wire types come from the server schemas');
    assert.deepEqual(outside.filter((i) => !i.typeOnly), [], 'a value import from the server would bundle server code');
  });

  it('uses only the browser and its own dependencies: no Node.js module, no database driver', () => {
    const packages = new Set(imports().filter((i) => !i.target.startsWith('.')).map((i) => i.target.split('/')[0]));
    assert.deepEqual([...packages].filter((p) => p !== 'preact'), []);
  });
});
