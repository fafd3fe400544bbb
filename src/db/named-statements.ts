/**
 * SQL texts that PostgreSQL parses and plans once per connection: a named statement, whose
 * Parse is sent only on a connection's first run of it. Only for lookups by key (equality or
 * `= any`), whose plan does not depend on the values bound: PostgreSQL may go over to a generic
 * plan after a few runs, which a search by pattern would pay for.
 */
const statementNames = new Map<string, string>();

export function planOncePerConnection(sqlText: string): void {
  if (!statementNames.has(sqlText)) statementNames.set(sqlText, `maws_${statementNames.size + 1}`);
}

/** What pg's client.query takes for this SQL text: the text itself, or a named statement of it. */
export function statementFor(sqlText: string, values: ReadonlyArray<unknown>): string | { name: string; text: string; values: unknown[] } {
  const name = statementNames.get(sqlText);
  return name === undefined ? sqlText : { name, text: sqlText, values: values as unknown[] };
}
