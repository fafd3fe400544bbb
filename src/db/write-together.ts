import { CompiledQuery } from 'kysely';
import { dialectOf } from './dialect.js';
import { planOncePerConnection } from './named-statements.js';
import type { Db } from './types.js';

/**
 * Writes that commit together, sent at once: inserts and upserts whose results nobody reads.
 * Either all commit or none does.
 *
 * On PostgreSQL they go as one statement, each write a data-modifying WITH clause of it, outside
 * any transaction: the statement commits on its own. That is one round trip where BEGIN, each
 * write and COMMIT took one each, and one parse and plan per connection (a named statement). The
 * clauses run in no set order and none sees another's rows: writes that depend on each other's
 * effects do not belong here. Constraints are checked once all of them ran (a grant's foreign key
 * finds its new workspace). On SQLite, where a statement costs no round trip, they run in order in
 * one transaction.
 */
export async function writeTogether(db: Db, writes: readonly CompiledQuery[]): Promise<void> {
  if (dialectOf(db) === 'sqlite') {
    await db.transaction().execute(async (trx) => {
      for (const write of writes) await trx.executeQuery(write);
    });
    return;
  }
  const text = combinedText(writes.map((w) => w.sql), writes.map((w) => w.parameters.length));
  await db.executeQuery(CompiledQuery.raw(text, writes.flatMap((w) => w.parameters)));
}

/**
 * The statements of several, by their texts: the same few shapes come again and again (a create
 * with or without its trace). The first COMBINED_MAX are kept, and planned once per connection;
 * rarer shapes (a create with 37 grants) are built anew each time, so that neither this map nor
 * the statements prepared on each connection grow without bound.
 */
const COMBINED_MAX = 32;
const combined = new Map<string, string>();

function combinedText(texts: readonly string[], parameterCounts: readonly number[]): string {
  const key = texts.join('\u0000');
  const known = combined.get(key);
  if (known !== undefined) return known;
  let offset = 0;
  const clauses = texts.map((sqlText, index) => {
    const clause = `w${index + 1} as (${renumbered(sqlText, parameterCounts[index]!, offset)})`;
    offset += parameterCounts[index]!;
    return clause;
  });
  const text = `with ${clauses.join(', ')} select 1`;
  if (combined.size < COMBINED_MAX) {
    combined.set(key, text);
    planOncePerConnection(text);
  }
  return text;
}

/**
 * The text with its parameters $1..$count numbered from offset + 1. Quoted names are left as they
 * are; a text with literal text, a comment or a second statement is refused, since only a parser
 * could tell a parameter from a $ in those. Every one of $1..$count must be used.
 */
function renumbered(sqlText: string, count: number, offset: number): string {
  if ((sqlText.match(/"/g)?.length ?? 0) % 2 !== 0) throw new Error(`unbalanced quotes: ${sqlText}`);
  const used = new Set<number>();
  // Quoted names ("a ""b"""), kept, and what lies between them, renumbered.
  const text = sqlText.replace(/("(?:[^"]|"")*")|([^"]+)/g, (_, quoted: string | undefined, bare: string | undefined) => {
    if (quoted !== undefined) return quoted;
    if (/['`;]|--|\/\*|\$\$/.test(bare!)) {
      throw new Error(`writeTogether takes statements without literal text, comments or a second statement: ${sqlText}`);
    }
    // not the $ inside an unquoted name (t$1)
    return bare!.replace(/(?<![\w$])\$(\d+)/g, (_: string, digits: string) => {
      const n = Number(digits);
      if (n < 1 || n > count) throw new Error(`parameter $${n} of ${count}: ${sqlText}`);
      used.add(n);
      return `$${n + offset}`;
    });
  });
  if (used.size !== count) throw new Error(`statement binds ${count} parameters but uses ${used.size}: ${sqlText}`);
  return text;
}
