/**
 * Every table of the schema, for export, import and migration: either exported (its columns, the
 * primary key that orders its rows, and how a row belongs to an account) or excluded with the
 * reason. test/table-registry.test.ts fails when the database has a table or column that is
 * neither, so a migration that adds one must say here whether it is data.
 */
import type { DB } from './types.js';

type ColumnType = 'text' | 'integer';

export interface ColumnSpec {
  name: string;
  /** integer holds every number and 0/1 boolean; both databases store them as integers */
  type: ColumnType;
  nullable?: boolean;
}

/** How a row belongs to an account (an IAM domain), for per-account exports. */
export type AccountLink =
  /** the column holds the domain's id */
  | { kind: 'domain'; column: string }
  /** the column holds the id of one of the domain's users */
  | { kind: 'user'; column: string }
  /** the column holds the id of one of the domain's projects */
  | { kind: 'project'; column: string }
  /** the column is a JSON object whose project_id is one of the domain's projects */
  | { kind: 'payload-project'; column: string }
  /** the service's own state: only in whole-service exports */
  | { kind: 'service' };

export interface TableSpec {
  name: keyof DB & string;
  columns: readonly ColumnSpec[];
  /** unique, so that rows read in this order page by it (keyset paging) and hash the same everywhere */
  primaryKey: readonly string[];
  account: AccountLink;
}

const text = (name: string): ColumnSpec => ({ name, type: 'text' });
const nullableText = (name: string): ColumnSpec => ({ name, type: 'text', nullable: true });
const integer = (name: string): ColumnSpec => ({ name, type: 'integer' });
const nullableInteger = (name: string): ColumnSpec => ({ name, type: 'integer', nullable: true });

/** In an order that inserts every referenced row before the rows that reference it. */
export const EXPORTED_TABLES: readonly TableSpec[] = [
  {
    name: 'domains',
    columns: [text('id'), text('name'), text('description'), integer('enabled'), integer('created_at')],
    primaryKey: ['id'],
    account: { kind: 'domain', column: 'id' },
  },
  {
    name: 'projects',
    columns: [
      text('id'),
      text('domain_id'),
      text('name'),
      nullableText('parent_id'),
      text('description'),
      integer('workspace_count'),
      integer('created_at'),
    ],
    primaryKey: ['id'],
    account: { kind: 'domain', column: 'domain_id' },
  },
  {
    name: 'users',
    columns: [
      text('id'),
      text('domain_id'),
      text('name'),
      nullableText('password_hash'),
      text('description'),
      integer('is_root'),
      integer('enabled'),
      integer('created_at'),
    ],
    primaryKey: ['id'],
    account: { kind: 'domain', column: 'domain_id' },
  },
  {
    name: 'access_keys',
    columns: [text('access_key'), text('secret_key'), text('user_id'), text('description'), text('status'), integer('created_at')],
    primaryKey: ['access_key'],
    account: { kind: 'user', column: 'user_id' },
  },
  {
    name: 'tokens',
    columns: [text('token_hash'), text('user_id'), text('domain_id'), nullableText('project_id'), integer('issued_at'), integer('expires_at')],
    primaryKey: ['token_hash'],
    account: { kind: 'user', column: 'user_id' },
  },
  {
    name: 'enterprise_projects',
    columns: [
      text('id'),
      text('domain_id'),
      text('name'),
      text('description'),
      integer('status'),
      integer('created_at'),
      integer('updated_at'),
    ],
    primaryKey: ['id'],
    account: { kind: 'domain', column: 'domain_id' },
  },
  {
    name: 'workspaces',
    columns: [
      text('project_id'),
      text('id'),
      text('name'),
      text('description'),
      text('owner_id'),
      text('owner_name'),
      text('enterprise_project_id'),
      text('auth_type'),
      text('status'),
      text('status_info'),
      integer('create_time'),
      integer('update_time'),
    ],
    primaryKey: ['project_id', 'id'],
    account: { kind: 'project', column: 'project_id' },
  },
  {
    name: 'workspace_count_parts',
    columns: [text('project_id'), integer('slot'), integer('n')],
    primaryKey: ['project_id', 'slot'],
    account: { kind: 'project', column: 'project_id' },
  },
  {
    name: 'workspace_grants',
    columns: [text('project_id'), text('workspace_id'), integer('position'), text('user_id'), text('user_name'), text('user_type')],
    primaryKey: ['project_id', 'workspace_id', 'position'],
    account: { kind: 'project', column: 'project_id' },
  },
  {
    name: 'workspace_quotas',
    columns: [text('project_id'), text('workspace_id'), text('resource'), integer('quota'), integer('update_time')],
    primaryKey: ['project_id', 'workspace_id', 'resource'],
    account: { kind: 'project', column: 'project_id' },
  },
  {
    name: 'jobs',
    columns: [
      text('id'),
      text('type'),
      text('payload'),
      text('status'),
      integer('attempts'),
      integer('run_at'),
      nullableText('locked_by'),
      nullableInteger('locked_until'),
      nullableText('last_error'),
      integer('created_at'),
      integer('updated_at'),
    ],
    primaryKey: ['id'],
    account: { kind: 'payload-project', column: 'payload' },
  },
  {
    name: 'traces',
    columns: [
      text('trace_id'),
      text('domain_id'),
      nullableText('project_id'),
      integer('time'),
      integer('record_time'),
      text('trace_name'),
      text('trace_rating'),
      text('trace_type'),
      text('service_type'),
      text('resource_type'),
      text('resource_id'),
      text('resource_name'),
      text('code'),
      text('request'),
      text('response'),
      nullableText('user_id'),
      nullableText('user_name'),
      text('domain_name'),
      nullableText('source_ip'),
      text('request_id'),
      text('api_version'),
      text('message'),
    ],
    primaryKey: ['trace_id'],
    account: { kind: 'domain', column: 'domain_id' },
  },
  {
    name: 'operator_credentials',
    columns: [text('name'), text('secret_hash'), integer('updated_at')],
    primaryKey: ['name'],
    account: { kind: 'service' },
  },
];

/** Tables that are not data: what each is, and so why an export leaves it out. */
export const EXCLUDED_TABLES: Readonly<Record<string, string>> = {
  maws_migrations: 'the migrations applied; the target database is migrated by the import itself',
  maws_migrations_lock: 'the migrator\'s lock',
  // SQLite's name index (FTS5, see name-index.ts) and its shadow tables: the triggers fill it on import.
  workspaces_name_fts: 'SQLite\'s workspace name index, filled by triggers as workspaces are inserted',
  workspaces_name_fts_data: 'shadow table of workspaces_name_fts',
  workspaces_name_fts_idx: 'shadow table of workspaces_name_fts',
  workspaces_name_fts_docsize: 'shadow table of workspaces_name_fts',
  workspaces_name_fts_config: 'shadow table of workspaces_name_fts',
  workspace_seq_order: 'SQLite\'s note of whether every workspace seq is in name order (name-order.ts), set again on import',
  workspace_sort_keys: 'SQLite\'s narrow copy of workspaces for name searches (sort-keys.ts), filled by triggers as workspaces are inserted',
  test_controls: 'injected faults for tests (MAWS_TEST_CONTROLS): state of a test run, not of the service',
  login_failures: 'failed sign-ins and lockouts of the last minutes: a guard against password guessing, not data; an imported user starts unlocked',
};

/** Columns of exported tables that are not data. */
export const EXCLUDED_COLUMNS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  workspaces: {
    seq: 'SQLite only: the label in name order the name index is keyed by (name-order.ts), assigned again on import',
    summary: 'SQLite only: the list summary as JSON (stored-summary.ts), written again by triggers on insert',
  },
};

/** What the database holds that the registry does not know: `table` or `table.column`. */
export function unknownToRegistry(catalog: ReadonlyMap<string, readonly string[]>): string[] {
  const unknown: string[] = [];
  for (const [table, columns] of catalog) {
    if (table in EXCLUDED_TABLES) continue;
    const spec = EXPORTED_TABLES.find((t) => t.name === table);
    if (!spec) {
      unknown.push(table);
      continue;
    }
    const excluded = EXCLUDED_COLUMNS[table] ?? {};
    for (const column of columns) {
      if (!(column in excluded) && !spec.columns.some((c) => c.name === column)) unknown.push(`${table}.${column}`);
    }
  }
  return unknown;
}
