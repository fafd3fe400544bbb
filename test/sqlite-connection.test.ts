import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { connectDb } from '../src/db/connect.js';

describe('SQLite connection settings', () => {
  test('WAL, synchronous FULL, foreign keys, and the configured memory map', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maws-sqlite-'));
    const db = connectDb({ kind: 'sqlite', file: path.join(dir, 'maws.db'), mmapBytes: 8 * 1024 * 1024 });
    try {
      const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('synchronous'), 2);
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('mmap_size'), 8 * 1024 * 1024);
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('mmapBytes 0 (MAWS_SQLITE_MMAP_MB=0) turns the memory map off', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maws-sqlite-'));
    const db = connectDb({ kind: 'sqlite', file: path.join(dir, 'maws.db'), mmapBytes: 0 });
    try {
      const rows = (await sql.raw('pragma mmap_size').execute(db)).rows;
      assert.deepEqual(rows, [{ mmap_size: 0 }]);
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
