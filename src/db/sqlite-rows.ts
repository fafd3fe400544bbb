import type SQLite from 'better-sqlite3';
import type { SqliteStatement } from 'kysely';

type RowBuilder = (row: unknown[]) => Record<string, unknown>;

const builders = new Map<string, RowBuilder>();

/**
 * An object literal with the statement's columns, compiled once per column list. better-sqlite3
 * builds each row object property by property through V8's slow paths, which costs more than
 * the query itself for our short rows; a literal is allocated from one template.
 */
function rowBuilder(names: readonly string[]): RowBuilder {
  const key = names.join('\0');
  let build = builders.get(key);
  if (build === undefined) {
    // A plain "__proto__" key would set the prototype; the computed form defines a column.
    const fields = names
      .map((name, i) => `${name === '__proto__' ? '["__proto__"]' : JSON.stringify(name)}: row[${i}]`)
      .join(', ');
    build = new Function('row', `return { ${fields} };`) as RowBuilder;
    builders.set(key, build);
  }
  return build;
}

/** The statement as Kysely uses it, with rows read as arrays and turned into objects by rowBuilder. */
export function withCompiledRows(statement: SQLite.Statement): SqliteStatement {
  if (!statement.reader) return statement;
  const build = rowBuilder(statement.columns().map((c) => c.name));
  const raw = statement.raw(true);
  return {
    reader: true,
    all: (parameters) => raw.all(parameters as unknown[]).map((row) => build(row as unknown[])),
    run: (parameters) => raw.run(parameters as unknown[]),
    *iterate(parameters) {
      for (const row of raw.iterate(parameters as unknown[])) yield build(row as unknown[]);
    },
  };
}
