import { randomBytes } from 'node:crypto';
import type { CompiledQuery, Compilable } from 'kysely';
import { type DialectKind, textListParameter } from './dialect.js';
import type { Executor } from './types.js';

/** A named parameter: a single text value, or a list bound as one value (see inTextList). */
export type ParamKind = 'text' | 'list';
type ParamValues<K extends Record<string, ParamKind>> = { [N in keyof K]: K[N] extends 'list' ? readonly string[] : string };
type Placeholders<K extends Record<string, ParamKind>> = { [N in keyof K]: K[N] extends 'list' ? string[] : string };

/**
 * A query built and compiled once, then run with new values: building and compiling a Kysely
 * query costs more than SQLite takes to run our hot lookups. The query is built with a unique
 * marker for each named parameter; compiling maps every bound position back to its name, and a
 * bound value that is no declared parameter (a constant the query gained, say) is refused at
 * once, so a position can never be bound to the wrong value.
 */
export function preparedQuery<Row, K extends Record<string, ParamKind>>(
  dialect: DialectKind,
  kinds: K,
  build: (db: Executor, params: Placeholders<K>) => Compilable<Row>,
): (db: Executor, values: ParamValues<K>) => Promise<Row[]> {
  let compiled: { query: CompiledQuery<Row>; positions: Array<keyof K> } | undefined;

  function compile(db: Executor) {
    const tag = randomBytes(6).toString('hex');
    const markers = {} as Record<keyof K, string>;
    const placeholders = {} as Record<keyof K, string | string[]>;
    const boundForms = new Map<unknown, keyof K>();
    for (const name of Object.keys(kinds) as Array<keyof K>) {
      markers[name] = `\u0000param:${String(name)}:${tag}`;
      placeholders[name] = kinds[name] === 'list' ? [markers[name]] : markers[name];
      // A list is bound in its dialect's form: a JSON text on SQLite, an array on PostgreSQL.
      const bound = kinds[name] === 'list' ? textListParameter(dialect, [markers[name]]) : markers[name];
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

  return async (db, values) => {
    compiled ??= compile(db);
    const parameters = compiled.positions.map((name) =>
      kinds[name] === 'list' ? textListParameter(dialect, values[name] as readonly string[]) : values[name],
    );
    return (await db.executeQuery<Row>({ ...compiled.query, parameters })).rows;
  };
}
