import { randomBytes } from 'node:crypto';
import type { CompiledQuery, Compilable } from 'kysely';
import { type DialectKind, textListParameter } from './dialect.js';
import { planOncePerConnection } from './named-statements.js';
import type { Executor } from './types.js';

/** A named parameter: a single text value, or a list bound as one value (see inTextList). */
type ParamKind = 'text' | 'list';
type ParamValues<K extends Record<string, ParamKind>> = { [N in keyof K]: K[N] extends 'list' ? readonly string[] : string };
type Placeholders<K extends Record<string, ParamKind>> = { [N in keyof K]: K[N] extends 'list' ? string[] : string };

/**
 * A marker that no transformation leaves alone: mixed case (toLowerCase, toUpperCase), spaces at
 * both ends (trim), LIKE wildcards and a backslash (escapeLike), and longer than any name limit
 * (slice). Each compile uses another length, so SQL whose shape follows a value's length shows too.
 */
function marker(name: string, tag: string, padding: number): string {
  return ` Param%_\\${name}:${tag}${'x'.repeat(padding)}:ParaM `;
}

interface Compiled<Row, K> {
  query: CompiledQuery<Row>;
  positions: Array<keyof K>;
}

/**
 * A query built and compiled once, then run with new values: building and compiling a Kysely
 * query costs more than SQLite takes to run our hot lookups. The query is built with a unique
 * marker for each named parameter; compiling maps every bound position back to its name. A bound
 * value that is no marker as given (a constant the query gained, or a parameter the builder
 * transformed) is refused at once, and so is SQL that changes with the values: built twice with
 * other markers, the text and the positions must come out the same. So a position can never be
 * bound to the wrong value. On PostgreSQL the text goes as a named statement, parsed and planned
 * once per connection (named-statements.ts): build only lookups by key with it there.
 */
export function preparedQuery<Row, K extends Record<string, ParamKind>>(
  dialect: DialectKind,
  kinds: K,
  build: (db: Executor, params: Placeholders<K>) => Compilable<Row>,
): (db: Executor, values: ParamValues<K>) => Promise<Row[]> {
  let compiled: Compiled<Row, K> | undefined;

  function compileWith(db: Executor, padding: number): Compiled<Row, K> {
    const tag = randomBytes(6).toString('hex');
    const placeholders = {} as Record<keyof K, string | string[]>;
    const boundForms = new Map<string, keyof K>();
    for (const name of Object.keys(kinds) as Array<keyof K>) {
      const text = marker(String(name), tag, padding);
      placeholders[name] = kinds[name] === 'list' ? [text] : text;
      // A list is bound in its dialect's form: a JSON text on SQLite, an array on PostgreSQL.
      const bound = kinds[name] === 'list' ? textListParameter(dialect, [text]) : text;
      boundForms.set(typeof bound === 'string' ? bound : JSON.stringify(bound), name);
    }
    const query = build(db, placeholders as Placeholders<K>).compile();
    const positions = query.parameters.map((value, index) => {
      const name = boundForms.get(typeof value === 'string' ? value : JSON.stringify(value));
      if (name === undefined) throw new Error(`prepared query binds a value that is no named parameter at position ${index + 1}: ${query.sql}`);
      return name;
    });
    return { query, positions };
  }

  function compile(db: Executor): Compiled<Row, K> {
    const first = compileWith(db, 60);
    const second = compileWith(db, 90);
    if (first.query.sql !== second.query.sql || first.positions.join('\0') !== second.positions.join('\0')) {
      throw new Error(`prepared query changes with its parameters' values: ${first.query.sql}`);
    }
    return first;
  }

  return async (db, values) => {
    if (compiled === undefined) {
      compiled = compile(db);
      if (dialect === 'postgres') planOncePerConnection(compiled.query.sql);
    }
    const parameters = compiled.positions.map((name) =>
      kinds[name] === 'list' ? textListParameter(dialect, values[name] as readonly string[]) : values[name],
    );
    return (await db.executeQuery<Row>({ ...compiled.query, parameters })).rows;
  };
}
