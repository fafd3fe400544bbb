import type { ColumnType, Kysely, Transaction } from 'kysely';

/** Dialect-neutral table shapes: times are epoch milliseconds, booleans are 0/1. */
export interface DomainTable {
  id: string;
  name: string;
  /** 1, or 0 when the operator disabled the account: none of its credentials work */
  enabled: number;
  /** the operator's words about the account ('' for the first start's) */
  description: ColumnType<string, string | undefined, string>;
  created_at: number;
}

export interface ProjectTable {
  id: string;
  domain_id: string;
  name: string;
  /** null for a region's project; a sub-project's region project */
  parent_id: string | null;
  /** given when a sub-project is created; '' for region projects (the column's default) */
  description: ColumnType<string, string | undefined, string>;
  /**
   * With the project's rows in workspace_count_parts, how many workspaces it has; not the count
   * on its own (read it with workspaceCountOf, see workspace-count.ts). Changed in the
   * transactions of the changes it counts.
   */
  workspace_count: number;
  created_at: number;
}

export interface UserTable {
  id: string;
  domain_id: string;
  name: string;
  password_hash: string | null;
  description: string;
  is_root: number;
  enabled: number;
  created_at: number;
}

export interface AccessKeyTable {
  access_key: string;
  secret_key: string;
  user_id: string;
  description: string;
  status: string;
  created_at: number;
}

export interface TokenTable {
  token_hash: string;
  user_id: string;
  domain_id: string;
  project_id: string | null;
  issued_at: number;
  expires_at: number;
}

export interface EnterpriseProjectTable {
  id: string;
  domain_id: string;
  name: string;
  description: string;
  /** 1 enabled, 2 disabled, as in the EPS API */
  status: number;
  created_at: number;
  updated_at: number;
}

export interface WorkspaceTable {
  project_id: string;
  id: string;
  name: string;
  description: string;
  owner_id: string;
  owner_name: string;
  enterprise_project_id: string;
  auth_type: string;
  status: string;
  status_info: string;
  create_time: number;
  update_time: number;
}

/** SQLite only: what a name search reads of each hit, by seq (see sort-keys.ts). */
interface WorkspaceSortKeyTable {
  seq: number;
  project_id: string;
  name: string;
  update_time: number;
  status: string;
}

/** Parts of a project's workspace count, added to by creates (see workspace-count.ts). */
export interface WorkspaceCountPartTable {
  project_id: string;
  slot: number;
  n: number;
}

export interface WorkspaceGrantTable {
  project_id: string;
  workspace_id: string;
  position: number;
  user_id: string;
  user_name: string;
  user_type: string;
}

interface WorkspaceQuotaTable {
  project_id: string;
  workspace_id: string;
  resource: string;
  quota: number;
  update_time: number;
}

export interface JobTable {
  id: string;
  type: string;
  payload: string;
  status: string;
  attempts: number;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** The operator API's credential (name 'operator'): a SHA-256 of the token, never the token. */
export interface OperatorCredentialTable {
  name: string;
  secret_hash: string;
  updated_at: number;
}

/**
 * A test control (MAWS_TEST_CONTROLS). kind: deletion_failure, deletion_hold or fault;
 * operations: a JSON array of operationIds (faults); parameters: the kind's settings as JSON;
 * remaining: how many more times it applies, null for every time until it expires.
 */
export interface TestControlTable {
  id: string;
  kind: string;
  project_id: string | null;
  workspace_id: string | null;
  operations: string;
  parameters: string;
  remaining: number | null;
  expires_at: number;
  created_at: number;
}

/** One CTS trace: who did what to which resource, and how it ended. */
export interface TraceTable {
  trace_id: string;
  domain_id: string;
  project_id: string | null;
  time: number;
  record_time: number;
  trace_name: string;
  trace_rating: string;
  trace_type: string;
  service_type: string;
  resource_type: string;
  resource_id: string;
  resource_name: string;
  code: string;
  request: string;
  response: string;
  user_id: string | null;
  user_name: string | null;
  domain_name: string;
  source_ip: string | null;
  request_id: string;
  api_version: string;
  message: string;
}

/**
 * A user's failed password sign-ins (IAM's account lockout). failures: those since
 * window_started_at; locked_until: when set and later than now, password sign-in is refused.
 */
export interface LoginFailureTable {
  user_id: string;
  failures: number;
  window_started_at: number;
  locked_until: number | null;
}

export interface DB {
  domains: DomainTable;
  projects: ProjectTable;
  users: UserTable;
  access_keys: AccessKeyTable;
  tokens: TokenTable;
  enterprise_projects: EnterpriseProjectTable;
  workspaces: WorkspaceTable;
  workspace_count_parts: WorkspaceCountPartTable;
  workspace_sort_keys: WorkspaceSortKeyTable;
  workspace_grants: WorkspaceGrantTable;
  workspace_quotas: WorkspaceQuotaTable;
  jobs: JobTable;
  operator_credentials: OperatorCredentialTable;
  test_controls: TestControlTable;
  traces: TraceTable;
  login_failures: LoginFailureTable;
}

export type Db = Kysely<DB>;
/** Either the root handle or an open transaction: repositories accept both. */
export type Executor = Kysely<DB> | Transaction<DB>;
