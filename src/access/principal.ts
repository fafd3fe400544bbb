/** Who is calling, as established by a token or an AK/SK signature. */
export interface Principal {
  userId: string;
  userName: string;
  domainId: string;
  domainName: string;
  /** the account's primary user: may see and manage everything in its domain */
  isRoot: boolean;
  /** project a token is scoped to; null for AK/SK (domain-wide) and domain-scoped tokens */
  projectId: string | null;
  method: 'token' | 'aksk';
}

/** What never changes about a project: enough to check who may use it. */
export interface ProjectRef {
  id: string;
  domain_id: string;
  name: string;
}
