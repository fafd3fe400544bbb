/** The workspace list's view, as it is written in the page's URL (bookmarkable) and sent to the API. */
export interface ListView {
  name: string;
  sortBy: 'name' | 'update_time' | 'status';
  order: 'asc' | 'desc';
  pageSize: number;
  /** 1-based, as shown; the API's offset is this minus one (a page index, not a row count) */
  page: number;
  accessibleOnly: boolean;
  enterpriseProjectId: string;
}

export const PAGE_SIZES = [10, 20, 50, 100] as const;
const DEFAULTS: ListView = { name: '', sortBy: 'name', order: 'asc', pageSize: 10, page: 1, accessibleOnly: false, enterpriseProjectId: '' };

function positive(text: string | null): number | null {
  const n = Number(text);
  return text !== null && Number.isInteger(n) && n >= 1 ? n : null;
}

export function viewFromQuery(query: URLSearchParams): ListView {
  const sortBy = query.get('sort_by');
  const order = query.get('order');
  const size = positive(query.get('limit'));
  return {
    name: query.get('name') ?? DEFAULTS.name,
    sortBy: sortBy === 'name' || sortBy === 'update_time' || sortBy === 'status' ? sortBy : DEFAULTS.sortBy,
    order: order === 'asc' || order === 'desc' ? order : DEFAULTS.order,
    pageSize: size !== null && size <= 1000 ? size : DEFAULTS.pageSize,
    page: positive(query.get('page')) ?? DEFAULTS.page,
    accessibleOnly: query.get('filter_accessible') === 'true',
    enterpriseProjectId: query.get('enterprise_project_id') ?? DEFAULTS.enterpriseProjectId,
  };
}

/** Only what differs from the defaults, so that a plain visit has a plain URL. */
export function queryOfView(view: ListView): Record<string, string> {
  const query: Record<string, string> = {};
  if (view.name !== '') query.name = view.name;
  if (view.sortBy !== DEFAULTS.sortBy) query.sort_by = view.sortBy;
  if (view.order !== DEFAULTS.order) query.order = view.order;
  if (view.pageSize !== DEFAULTS.pageSize) query.limit = String(view.pageSize);
  if (view.page !== DEFAULTS.page) query.page = String(view.page);
  if (view.accessibleOnly) query.filter_accessible = 'true';
  if (view.enterpriseProjectId !== '') query.enterprise_project_id = view.enterpriseProjectId;
  return query;
}

export function apiQueryOfView(view: ListView): Record<string, string | number | boolean | undefined> {
  return {
    name: view.name === '' ? undefined : view.name,
    sort_by: view.sortBy,
    order: view.order,
    limit: view.pageSize,
    offset: view.page - 1,
    filter_accessible: view.accessibleOnly ? true : undefined,
    enterprise_project_id: view.enterpriseProjectId === '' ? undefined : view.enterpriseProjectId,
  };
}

/** What the API accepts as a name search (its pattern for names, 1–64 characters). */
export function isSearchable(text: string): boolean {
  return /^[\u4e00-\u9fa5A-Za-z0-9_-]{1,64}$/.test(text);
}

export function isFiltered(view: ListView): boolean {
  return view.name !== '' || view.accessibleOnly || view.enterpriseProjectId !== '';
}
