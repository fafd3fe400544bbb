/**
 * SQLite: workspaces.seq follows the order of (project_id, name). The trigram index is keyed by
 * seq (name-index.ts), so a project's name search is a range of its rowids, in name order: the
 * count is the index's own count over that range, and a page sorted by name is its first or last
 * rows. No hit needs a lookup of its row, which had been most of a search's cost.
 *
 * seq values are labels with gaps between them: a new or renamed workspace takes one between its
 * neighbours, and where two neighbours have none left, a window of rows around the place is spread
 * out again (a few rows, rarely; the window doubles until it has room). A renamed row is moved out
 * of the way first by parking it at -seq: parked rows are outside the order.
 *
 * Triggers check every insert and every change of seq or name against the row's neighbours, and
 * note in workspace_seq_order when one is out of order (a row written by other means: an old
 * client, a hand-made fix). Searches then take the slower way that needs no order, until
 * orderAllSeqs (run by the index maintenance job) has put every row in place again.
 * Nothing on PostgreSQL, which has no seq.
 */
import { CompiledQuery, type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';
import { createWorkspaceNameIndex, rebuildWorkspaceNameIndex } from './name-index.js';
import { createWorkspaceSortKeys } from './sort-keys.js';
import type { Executor } from './types.js';

/** Labels lie in (0, SEQ_END): exact as JavaScript numbers. */
const SEQ_END = 2 ** 53;
/** The gap a label keeps from its neighbour when one side is open, and at most between two rows spread out. */
const SEQ_STEP = 2 ** 32;
/** A window is spread out only if its rows get at least this gap: 16 more halvings before the next. */
const MIN_GAP = 2 ** 16;
const FIRST_WINDOW = 8;

interface Neighbours {
  /** the seq of the row before (project_id, name), 0 when there is none */
  before: number;
  /** the seq of the row after, SEQ_END when there is none */
  after: number;
}

/**
 * The SQL of the seqs of the rows beside (project, name) in name order, on one side, nearest
 * first; parked rows are left out. project, name and limit are SQL: placeholders, or new.* in a
 * trigger.
 */
function seqsBeside(side: 'before' | 'after', project: string, name: string, limit: string): string {
  return side === 'before'
    ? `select seq from workspaces where (project_id, name) < (${project}, ${name}) and seq > 0 order by project_id desc, name desc limit ${limit}`
    : `select seq from workspaces where (project_id, name) > (${project}, ${name}) and seq > 0 order by project_id, name limit ${limit}`;
}

// Constant SQL texts run as they are: compiling a query costs more than SQLite takes to run these.
const NEIGHBOURS_SQL = `select
  (select broken from workspace_seq_order) as broken,
  (${seqsBeside('before', '?', '?', '1')}) as before,
  (${seqsBeside('after', '?', '?', '1')}) as after`;
const SEQS_BESIDE_SQL = { before: seqsBeside('before', '?', '?', '?'), after: seqsBeside('after', '?', '?', '?') };

/** The neighbours of the place, or undefined while a row is out of order: then a label between them may be a row's elsewhere. */
async function neighbours(db: Executor, projectId: string, name: string): Promise<Neighbours | undefined> {
  const { rows } = await db.executeQuery<{ broken: number; before: number | null; after: number | null }>(
    CompiledQuery.raw(NEIGHBOURS_SQL, [projectId, name, projectId, name]),
  );
  const row = rows[0];
  return row?.broken === 0 ? { before: row.before ?? 0, after: row.after ?? SEQ_END } : undefined;
}

/** A label strictly between the two, or undefined when they are adjacent. */
function between({ before, after }: Neighbours): number | undefined {
  if (after - before < 2) return undefined;
  if (before === 0 && after === SEQ_END) return SEQ_END / 2;
  const half = Math.floor((after - before) / 2);
  if (after === SEQ_END) return before + Math.min(half, SEQ_STEP);
  if (before === 0) return after - Math.min(half, SEQ_STEP);
  return before + half;
}

/**
 * The seq for a workspace of this project and name, to be inserted in the same transaction.
 * Spreads out a window of rows when the place has no gap left. Null while a row is out of order:
 * the row then takes the next free seq (SQLite's choice), until orderAllSeqs.
 */
export async function seqForName(db: Executor, projectId: string, name: string): Promise<number | null> {
  const place = await neighbours(db, projectId, name);
  if (place === undefined) return null;
  return between(place) ?? spreadWindow(db, projectId, name);
}

/**
 * The seq for a workspace renamed to name, in the same transaction as the rename: the row is parked
 * (seq = -seq, outside the order) and placed anew. Undefined while a row is out of order: the row
 * keeps its seq.
 */
export async function seqForRename(db: Executor, projectId: string, id: string, name: string): Promise<number | undefined> {
  if (!(await seqsInOrder(db))) return undefined;
  await sql`update workspaces set seq = -seq where project_id = ${projectId} and id = ${id} and seq > 0`.execute(db);
  const seq = await seqForName(db, projectId, name);
  if (seq !== null) return seq;
  // Only if the order broke since the check above: the row keeps its place.
  await sql`update workspaces set seq = -seq where project_id = ${projectId} and id = ${id} and seq < 0`.execute(db);
  return undefined;
}

/**
 * Gives the rows around (projectId, name) new, evenly spread labels, leaving a free one at the
 * place of the name, and returns it. The window takes `size` rows on each side and doubles until
 * its labels leave each row a gap of MIN_GAP.
 */
async function spreadWindow(db: Executor, projectId: string, name: string): Promise<number> {
  for (let size = FIRST_WINDOW; ; size *= 2) {
    // size + 1 rows each side: the last one, if there, bounds the window and keeps its label.
    const beside = async (side: 'before' | 'after') =>
      (await db.executeQuery<{ seq: number }>(CompiledQuery.raw(SEQS_BESIDE_SQL[side], [projectId, name, size + 1]))).rows.map((r) => r.seq);
    const below = await beside('before');
    const above = await beside('after');
    const low = below.length > size ? below.pop()! : 0;
    const high = above.length > size ? above.pop()! : SEQ_END;
    const moved = [...below.reverse(), ...above];
    // moved.length rows and the new one, between low and high.
    const gap = Math.min(Math.floor((high - low) / (moved.length + 2)), SEQ_STEP);
    if (gap < MIN_GAP && (low !== 0 || high !== SEQ_END)) continue;
    if (gap < 1) throw new Error('no room left for another workspace label');
    const labels = moved.map((_, i) => low + gap * (i < below.length ? i + 1 : i + 2));
    // Rows that move down go first, lowest first, then those that move up, highest first: each
    // lands where no row is left, and the rows stay in order at every step (no row is parked).
    const down = moved.flatMap((seq, i) => (labels[i]! < seq ? [i] : []));
    const up = moved.flatMap((seq, i) => (labels[i]! > seq ? [i] : [])).reverse();
    for (const i of [...down, ...up]) await sql`update workspaces set seq = ${labels[i]} where seq = ${moved[i]}`.execute(db);
    return low + gap * (below.length + 1);
  }
}

/** Whether every row is in order (see the triggers): only then may a search read the trigram index by ranges. */
export async function seqsInOrder(db: Executor): Promise<boolean> {
  const row = (await sql<{ broken: number }>`select broken from workspace_seq_order`.execute(db)).rows[0];
  return row !== undefined && row.broken === 0;
}

/** The table of the order's state and the triggers that check it, each unless it exists. */
export async function createSeqOrderChecks(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  await sql`CREATE TABLE IF NOT EXISTS workspace_seq_order (id integer primary key check (id = 1), broken integer not null)`.execute(db);
  await sql`INSERT OR IGNORE INTO workspace_seq_order (id, broken) VALUES (1, 1)`.execute(db);
  const outOfOrder = sql.raw(`new.seq > 0 and (
      coalesce((${seqsBeside('before', 'new.project_id', 'new.name', '1')}), 0) > new.seq
      or coalesce((${seqsBeside('after', 'new.project_id', 'new.name', '1')}), ${SEQ_END}) < new.seq)`);
  await sql`CREATE TRIGGER IF NOT EXISTS workspaces_seq_order_insert AFTER INSERT ON workspaces WHEN ${outOfOrder} BEGIN
    UPDATE workspace_seq_order SET broken = 1;
  END`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS workspaces_seq_order_update AFTER UPDATE OF seq, project_id, name ON workspaces WHEN ${outOfOrder} BEGIN
    UPDATE workspace_seq_order SET broken = 1;
  END`.execute(db);
}

const ORDER_TRIGGERS = [
  'workspaces_name_fts_insert',
  'workspaces_name_fts_delete',
  'workspaces_name_fts_update',
  'workspace_sort_keys_insert',
  'workspace_sort_keys_delete',
  'workspace_sort_keys_update',
  'workspaces_seq_order_insert',
  'workspaces_seq_order_update',
];

/**
 * Gives every workspace a label in (project_id, name) order, SEQ_STEP apart (less when there are
 * very many), and notes the order as intact. Run in a transaction: the triggers are set aside, the
 * rows moved in two passes (through -seq, as labels may swap), then the trigram index rebuilt,
 * the narrow copy refilled and the triggers made again.
 */
export async function orderAllSeqs(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  for (const trigger of ORDER_TRIGGERS) await sql`DROP TRIGGER IF EXISTS ${sql.raw(trigger)}`.execute(db);
  const { n } = (await sql<{ n: number }>`select count(*) as n from workspaces`.execute(db)).rows[0]!;
  const gap = Math.min(SEQ_STEP, Math.floor(SEQ_END / (n + 1)));
  await sql`update workspaces set seq = -seq where seq > 0`.execute(db);
  await sql`DROP TABLE IF EXISTS temp.workspace_seq_moves`.execute(db);
  await sql`CREATE TEMP TABLE workspace_seq_moves (parked integer primary key, seq integer not null)`.execute(db);
  await sql`INSERT INTO temp.workspace_seq_moves (parked, seq)
    SELECT seq, ${gap} * row_number() over (order by project_id, name) FROM workspaces`.execute(db);
  await sql`UPDATE workspaces SET seq = m.seq FROM temp.workspace_seq_moves AS m WHERE m.parked = workspaces.seq`.execute(db);
  await sql`DROP TABLE temp.workspace_seq_moves`.execute(db);
  await sql`DELETE FROM workspace_sort_keys`.execute(db);
  await createWorkspaceSortKeys(db);
  await createWorkspaceNameIndex(db);
  await rebuildWorkspaceNameIndex(db);
  await createSeqOrderChecks(db);
  await sql`UPDATE workspace_seq_order SET broken = 0`.execute(db);
}

// The project's bounds are read only while every seq is in order: otherwise both are null, and
// so is the range the trigram index is asked for.
const matchesSql = (order: 'asc' | 'desc') => `with state as (select broken from workspace_seq_order),
  project as materialized (select
    (select seq from workspaces where project_id = ? and seq > 0 order by name limit 1) as low,
    (select seq from workspaces where project_id = ? and seq > 0 order by name desc limit 1) as high
    from state where broken = 0)
  select
    (select broken from state) as broken,
    (select count(*) from workspaces_name_fts where workspaces_name_fts match ?
      and rowid between (select low from project) and (select high from project)) as total,
    (select json_group_array(rowid) from (select rowid from workspaces_name_fts
      where workspaces_name_fts match ? and rowid between (select low from project) and (select high from project)
      order by rowid ${order} limit ? offset ?)) as seqs`;
const MATCHES_SQL = { asc: matchesSql('asc'), desc: matchesSql('desc') };

/**
 * The seqs of a project's workspaces whose name matches a trigram phrase, counted and paged in
 * name order from the trigram index alone: the project's rows are the seq range from its first
 * name to its last. Undefined while a row is out of order (see seqsInOrder): the range may then
 * hold rows of other projects, or miss some of this one.
 */
export async function matchesInNameOrder(
  db: Executor,
  projectId: string,
  phrase: string,
  page: { order: 'asc' | 'desc'; limit: number; skip: number },
): Promise<{ total: number; seqs: number[] } | undefined> {
  const { rows } = await db.executeQuery<{ broken: number | null; total: number; seqs: string }>(
    CompiledQuery.raw(MATCHES_SQL[page.order], [projectId, projectId, phrase, phrase, page.limit, page.skip]),
  );
  const row = rows[0];
  return row?.broken === 0 ? { total: row.total, seqs: JSON.parse(row.seqs) as number[] } : undefined;
}

/** Puts every seq in order again if a row was noted out of order (one transaction); true if it had to. */
export async function restoreSeqOrder(db: Kysely<any>): Promise<boolean> {
  if (dialectOf(db) === 'postgres' || (await seqsInOrder(db))) return false;
  await db.transaction().execute((trx) => orderAllSeqs(trx));
  return true;
}
