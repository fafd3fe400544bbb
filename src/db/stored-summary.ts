/**
 * SQLite keeps each workspace's ListWorkspace summary as JSON text in the row itself, written by
 * triggers whenever the row is inserted or its columns change. Writing the JSON of a page of 1000
 * rows at every list cost SQLite as much as reading the rows and more than serving the page; read
 * stored, the page costs about half (bench/README.md). The summary is split around
 * enterprise_project_name, which comes from the enterprise project's row, so that a rename there
 * shows at once:
 *
 *   summary_head: {"id":…,…,"enterprise_project_id":…      (no closing brace)
 *   summary_tail: "auth_type":…,"status":…,"status_info":…}  (no opening brace)
 *
 * Being written in the statement that changes the row, it cannot be stale, on any replica.
 * PostgreSQL writes the JSON when it is read (see the workspace repository).
 */
import { type Expression, type Kysely, type RawBuilder, sql } from 'kysely';
import { dialectOf } from './dialect.js';
import { jsonObject } from './json-object.js';

type Row = 'new' | 'workspaces';

function head(row: Row) {
  const column = (name: string) => sql.ref(`${row}.${name}`);
  // rtrim drops only the closing brace: the last value is a JSON string, which ends in a quote.
  return sql`rtrim(${jsonObject('sqlite', {
    id: column('id'),
    name: column('name'),
    description: column('description'),
    owner: column('owner_name'),
    create_time: column('create_time'),
    update_time: column('update_time'),
    enterprise_project_id: column('enterprise_project_id'),
  })}, '}')`;
}

function tail(row: Row) {
  const column = (name: string) => sql.ref(`${row}.${name}`);
  // ltrim drops only the opening brace: a key, a quoted string, follows it.
  return sql`ltrim(${jsonObject('sqlite', {
    auth_type: column('auth_type'),
    status: column('status'),
    status_info: column('status_info'),
  })}, '{')`;
}

/** The columns the summary is made of: an update of any of them writes it again. */
const SOURCE_COLUMNS = sql.raw(
  'id, name, description, owner_name, create_time, update_time, enterprise_project_id, auth_type, status, status_info',
);

/**
 * Adds the two columns unless they exist, (re)creates the triggers that write them, and writes
 * them for every row that lacks them. A migration that rebuilds workspaces calls it again
 * afterwards (dropping the table drops its triggers). Nothing on PostgreSQL.
 */
export async function createStoredSummaries(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  const { rows } = await sql<{ name: string }>`select name from pragma_table_info('workspaces')`.execute(db);
  for (const column of ['summary_head', 'summary_tail']) {
    if (!rows.some((r) => r.name === column)) await sql`ALTER TABLE workspaces ADD COLUMN ${sql.id(column)} text`.execute(db);
  }
  await sql`CREATE TRIGGER IF NOT EXISTS workspaces_summary_insert AFTER INSERT ON workspaces BEGIN
    UPDATE workspaces SET summary_head = ${head('new')}, summary_tail = ${tail('new')} WHERE seq = new.seq;
  END`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS workspaces_summary_update AFTER UPDATE OF ${SOURCE_COLUMNS} ON workspaces BEGIN
    UPDATE workspaces SET summary_head = ${head('new')}, summary_tail = ${tail('new')} WHERE seq = new.seq;
  END`.execute(db);
  await sql`UPDATE workspaces SET summary_head = ${head('workspaces')}, summary_tail = ${tail('workspaces')}
    WHERE summary_head IS NULL OR summary_tail IS NULL`.execute(db);
}

/**
 * The summary of the row w with its enterprise project's name: the stored JSON on SQLite (or, for
 * a row that somehow lacks it, the JSON written now), PostgreSQL's written now.
 */
export function summaryJson(dialect: 'sqlite' | 'postgres', enterpriseProjectName: Expression<string>): RawBuilder<string> {
  const fields = {
    id: sql.ref('w.id'),
    name: sql.ref('w.name'),
    description: sql.ref('w.description'),
    owner: sql.ref('w.owner_name'),
    create_time: sql.ref('w.create_time'),
    update_time: sql.ref('w.update_time'),
    enterprise_project_id: sql.ref('w.enterprise_project_id'),
    enterprise_project_name: enterpriseProjectName,
    auth_type: sql.ref('w.auth_type'),
    status: sql.ref('w.status'),
    status_info: sql.ref('w.status_info'),
  };
  if (dialect === 'postgres') return jsonObject(dialect, fields);
  const stored = sql`w.summary_head || ',"enterprise_project_name":' || json_quote(${enterpriseProjectName}) || ',' || w.summary_tail`;
  return sql<string>`coalesce(${stored}, ${jsonObject(dialect, fields)})`;
}
