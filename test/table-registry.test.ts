// The table registry of export, import and migrate knows every table and column of the migrated
// schema: each is exported or explicitly excluded, so a migration that adds one fails here until
// it is registered (and an export refuses a database with a table it does not know).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { connectDb } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { EXCLUDED_COLUMNS, EXCLUDED_TABLES, EXPORTED_TABLES, unknownToRegistry } from '../src/db/table-registry.js';
import { readCatalog } from '../src/db/table-rows.js';
import type { Db } from '../src/db/types.js';
import { TEST_DB } from './helpers/database.js';
import { type EmptyDatabase, emptyDatabase, exportText } from './helpers/transfer.js';

/** What SQLite keeps beside workspaces and PostgreSQL does without: the name index, the sort keys. */
const SQLITE_ONLY_TABLES = /^(workspaces_name_fts|workspace_sort_keys$|workspace_seq_order$)/;

describe(`table registry (${TEST_DB})`, () => {
  let storage: EmptyDatabase;
  let db: Db;
  let catalog: Map<string, string[]>;

  before(async () => {
    storage = await emptyDatabase(TEST_DB);
    db = connectDb(storage.database);
    await migrateToLatest(db);
    catalog = await readCatalog(db);
  });
  after(async () => {
    await db?.destroy();
    await storage?.cleanup();
  });

  test('every table and column of the database is exported or excluded', () => {
    assert.ok(catalog.size >= EXPORTED_TABLES.length, [...catalog.keys()].join(', '));
    assert.deepEqual(unknownToRegistry(catalog), []);
  });

  test('every registered table and column exists, in a table with its primary key among its columns', () => {
    for (const table of EXPORTED_TABLES) {
      const columns = catalog.get(table.name);
      assert.ok(columns, `table ${table.name}`);
      assert.deepEqual(
        table.columns.map((c) => c.name).filter((c) => !columns.includes(c)),
        [],
        `columns of ${table.name} missing from the database`,
      );
      for (const key of table.primaryKey) assert.ok(table.columns.some((c) => c.name === key), `${table.name}.${key}`);
    }
    for (const [table, columns] of Object.entries(EXCLUDED_COLUMNS)) {
      assert.ok(EXPORTED_TABLES.some((t) => t.name === table), table);
      // seq exists on SQLite only
      if (TEST_DB === 'sqlite') for (const column of Object.keys(columns)) assert.ok(catalog.get(table)?.includes(column), `${table}.${column}`);
    }
    // The excluded tables are real (SQLite's name index exists only there).
    for (const name of Object.keys(EXCLUDED_TABLES).filter((n) => TEST_DB === 'sqlite' || !SQLITE_ONLY_TABLES.test(n))) {
      assert.ok(catalog.has(name), name);
    }
  });

  test('a table the registry does not know makes the export refuse', async () => {
    await sql`create table surprise (id text primary key)`.execute(db);
    try {
      await assert.rejects(exportText(storage.database), /the source database has tables or columns this maws does not know: surprise$/);
    } finally {
      await sql`drop table surprise`.execute(db);
    }
  });
});
