/**
 * One page of a filtered list and the number of rows the filter selects, from a single reading of
 * the matching rows (SQLite).
 *
 * A name filter on SQLite finds its matches in the trigram index, and then reads each match's row
 * by seq: about 1 µs a match, most of a request for a common word (2,000 matches in 100k rows).
 * COUNT(*) and ORDER BY … LIMIT as two statements paid for the index and the lookups twice, and
 * ORDER BY … LIMIT also passes every match through a b-tree sorter, which costs about as much
 * again. Here one statement collects the sort key and the name of every match into JSON arrays (an
 * aggregate: a fraction of the sorter's cost per row); the page is picked in JavaScript, in SQLite's
 * order, and the caller reads the page's rows by name. PostgreSQL sorts well itself and does not
 * use this (see materialized-first.ts instead).
 */
import { sql } from 'kysely';

interface MatchesPage {
  /** how many rows the query selects */
  total: number;
  /** the names of the rows of the page, in order */
  names: string[];
}

/**
 * The columns that collect, over all matches, the sort key and the name, for pickPage. sortKey and name are column references, neither nullable; name must be unique among
 * the matches, and is the tie-break of sortKey in the same direction, as ListWorkspace orders.
 */
export function matchKeys(sortKey: string, name: string) {
  const keys = sortKey === name ? [name] : [sortKey, name];
  return keys.map((key, i) => sql<string>`json_group_array(${sql.ref(key)})`.as(`k${i}`));
}

/** The total and the page's names from the one row of matchKeys (none: nothing matched). */
export function pickPage(row: Readonly<Record<string, unknown>> | undefined, page: { order: 'asc' | 'desc'; skip: number; limit: number }): MatchesPage {
  const columns: Array<Array<string | number>> = [];
  const orders: Order[] = [];
  for (let i = 0; row?.[`k${i}`] !== undefined; i++) {
    const text = row[`k${i}`] as string;
    const values = JSON.parse(text) as Array<string | number>;
    columns.push(values);
    // One scan of the JSON text: a unit of D800 or above in it is one in some value (JSON escapes only control characters).
    orders.push(orderOf(values, HIGH_UNIT.test(text)));
  }
  if (columns.length === 0) return { total: 0, names: [] };
  const names = columns[columns.length - 1] as string[];
  const end = Math.min(names.length, page.skip + page.limit);
  if (page.skip >= end) return { total: names.length, names: [] };
  const sign = page.order === 'asc' ? 1 : -1;
  const compare = (a: number, b: number): number => {
    for (let c = 0; c < columns.length; c++) {
      const d = orders[c]!(columns[c]![a]!, columns[c]![b]!);
      if (d !== 0) return sign * d;
    }
    return 0;
  };
  const first = firstInOrder(names.length, end, compare, page.order === 'desc');
  return { total: names.length, names: first.slice(page.skip).map((i) => names[i]!) };
}

/**
 * The first k of 0 … n-1 in compare's order: a page near the start is kept in a short sorted list.
 * The matches come in seq order, that is mostly in the order they were created, and names often
 * grow with it (numbered names): reading from the end that comes first in the page's order lets
 * most of them fail the first comparison instead of each being inserted at the front.
 */
function firstInOrder(n: number, k: number, compare: (a: number, b: number) => number, fromEnd: boolean): number[] {
  if (k > 100) return Array.from({ length: n }, (_, i) => i).sort(compare).slice(0, k);
  const top: number[] = [];
  for (let step = 0; step < n; step++) {
    const i = fromEnd ? n - 1 - step : step;
    if (top.length === k && compare(i, top[k - 1]!) >= 0) continue;
    let low = 0;
    let high = top.length === k ? k - 1 : top.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compare(i, top[mid]!) < 0) high = mid;
      else low = mid + 1;
    }
    if (top.length === k) top.pop();
    top.splice(low, 0, i);
  }
  return top;
}

type Order = (a: string | number, b: string | number) => number;

/** How SQLite orders a column's values. JavaScript's < is BINARY's order unless a text holds a unit of D800 or above (see compareText). */
const HIGH_UNIT = /[\ud800-\uffff]/;

/** needsCodePoints: some text among the values holds a unit of D800 or above. */
function orderOf(values: ReadonlyArray<string | number>, needsCodePoints: boolean): Order {
  if (needsCodePoints || values.some((v) => typeof v !== typeof values[0])) return compareValues;
  return (a, b) => (a < b ? -1 : a > b ? 1 : 0);
}

/** SQLite's order: integers by value, texts by BINARY (their UTF-8 bytes), integers first. */
function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  return typeof b === 'number' ? 1 : compareText(a, b);
}

/**
 * Texts in the order of their UTF-8 bytes, which is code point order. JavaScript's < compares
 * UTF-16 units instead, which puts the surrogates of code points above U+FFFF (D800–DFFF) before
 * U+E000–U+FFFF.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit <= 0xdfff ? unit + 0x2000 : unit - 0x800;
}
