/**
 * SQLite keeps each workspace's ListWorkspace summary as JSON text in the row itself (column
 * summary), written by triggers in the statement that changes what it shows: the row's own
 * columns, or its enterprise project's name (renamed, created after the row, or deleted). Writing
 * the JSON of a page of 1000 rows, and joining each row's enterprise project, at every list cost
 * SQLite more than serving the page; read stored, through an index that holds it beside the name
 * (the default order), a page is one index walk (bench/README.md). Written with the change, it
 * cannot be stale, on any replica. PostgreSQL writes the JSON when it is read (see
 * jsonObject and the workspace repository).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { dialectOf } from './dialect.js';
import { jsonObject } from './json-object.js';

/**
 * The name a workspace shows for enterprise project "0", which has no row: the EPS default's
 * name (DEFAULT_ENTERPRISE_PROJECT_NAME; test/list-json.test.ts checks that they agree).
 */
const DEFAULT_PROJECT_NAME = 'default';

/**
 * ListWorkspace's summary fields, in the schema's order, of the workspaces row named row (a table
 * alias, or new in a trigger), with its enterprise project's name given.
 */
function summaryFields(row: string, enterpriseProjectName: RawBuilder<string>): Record<string, RawBuilder<unknown>> {
  const column = (name: string) => sql.ref(`${row}.${name}`);
  return {
    id: column('id'),
    name: column('name'),
    description: column('description'),
    owner: column('owner_name'),
    create_time: column('create_time'),
    update_time: column('update_time'),
    enterprise_project_id: column('enterprise_project_id'),
    enterprise_project_name: enterpriseProjectName,
    auth_type: column('auth_type'),
    status: column('status'),
    status_info: column('status_info'),
  };
}

/** SQLite: the summary of the workspaces row named row, written now. */
function summaryOf(row: string): RawBuilder<string> {
  const projectName = sql<string>`coalesce((select ep.name from enterprise_projects ep where ep.id = ${sql.ref(`${row}.enterprise_project_id`)}), ${sql.lit(DEFAULT_PROJECT_NAME)})`;
  return jsonObject('sqlite', summaryFields(row, projectName));
}

/** The columns the summary shows: an update of any of them writes it again. */
const SOURCE_COLUMNS = sql.raw(
  'id, name, description, owner_name, create_time, update_time, enterprise_project_id, auth_type, status, status_info',
);

/**
 * Adds the column unless it exists, (re)creates the triggers that write it and the index that
 * holds it beside the name, and writes it for every row that lacks it. A migration that rebuilds
 * workspaces calls dropEnterpriseProjectTriggers before and this afterwards (dropping the table
 * drops its own triggers and indexes). Nothing on PostgreSQL.
 */
export async function createStoredSummaries(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  const { rows } = await sql<{ name: string }>`select name from pragma_table_info('workspaces')`.execute(db);
  if (!rows.some((r) => r.name === 'summary')) await sql`ALTER TABLE workspaces ADD COLUMN summary text`.execute(db);
  const rewrite = (where: RawBuilder<unknown>) => sql`UPDATE workspaces SET summary = ${summaryOf('workspaces')} WHERE ${where};`;
  await sql`CREATE TRIGGER IF NOT EXISTS workspaces_summary_insert AFTER INSERT ON workspaces BEGIN
    UPDATE workspaces SET summary = ${summaryOf('new')} WHERE seq = new.seq;
  END`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS workspaces_summary_update AFTER UPDATE OF ${SOURCE_COLUMNS} ON workspaces BEGIN
    UPDATE workspaces SET summary = ${summaryOf('new')} WHERE seq = new.seq;
  END`.execute(db);
  // An enterprise project's name shows in its workspaces' summaries (renames are rare: each
  // rewrites the summaries of the project's workspaces).
  await sql`CREATE TRIGGER IF NOT EXISTS enterprise_projects_summary_insert AFTER INSERT ON enterprise_projects BEGIN
    ${rewrite(sql`enterprise_project_id = new.id`)}
  END`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS enterprise_projects_summary_update AFTER UPDATE OF id, name ON enterprise_projects BEGIN
    ${rewrite(sql`enterprise_project_id IN (old.id, new.id)`)}
  END`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS enterprise_projects_summary_delete AFTER DELETE ON enterprise_projects BEGIN
    ${rewrite(sql`enterprise_project_id = old.id`)}
  END`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS workspaces_project_name_summary ON workspaces (project_id, name, summary)`.execute(db);
  await sql`UPDATE workspaces SET summary = ${summaryOf('workspaces')} WHERE summary IS NULL`.execute(db);
}

/**
 * Drops the triggers on enterprise_projects that write workspaces' summaries: SQLite refuses to
 * rename a table into workspaces while a trigger on another table names a workspaces that is gone.
 */
export async function dropEnterpriseProjectTriggers(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  for (const event of ['insert', 'update', 'delete']) {
    await sql`DROP TRIGGER IF EXISTS ${sql.id(`enterprise_projects_summary_${event}`)}`.execute(db);
  }
}

/** SQLite: the summary stored in the row w (or, for a row that somehow lacks it, written now). */
export function storedSummary(): RawBuilder<string> {
  return sql<string>`coalesce(w.summary, ${summaryOf('w')})`;
}

/** PostgreSQL: the summary of the row w, written now, with its enterprise project's name given. */
export function writtenSummary(enterpriseProjectName: RawBuilder<string>): RawBuilder<string> {
  return jsonObject('postgres', summaryFields('w', enterpriseProjectName));
}
