/** The trace list's filters, as they are written in the page's URL (bookmarkable) and sent to CTS. */
export interface TraceFilters {
  range: Range;
  service: string;
  rating: '' | 'normal' | 'warning' | 'incident';
  traceName: string;
  user: string;
  resourceType: string;
  resourceName: string;
  resourceId: string;
  pageSize: number;
}

/** A time range ending now; the URL keeps the range, not instants, so a bookmark shows what is recent. */
export const RANGES = { '1h': 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type Range = keyof typeof RANGES;
export const SERVICES = ['ModelArts', 'IAM', 'EPS'] as const;
export const RATINGS = ['normal', 'warning', 'incident'] as const;
export const PAGE_SIZES = [10, 20, 50, 100, 200] as const;
/** CTS's largest page */
const MAX_PAGE = 200;

/** The text filters: the same key in the view, the URL and the form. */
export const TEXT_FILTERS = [
  ['traceName', 'trace_name'],
  ['user', 'user'],
  ['resourceType', 'resource_type'],
  ['resourceName', 'resource_name'],
  ['resourceId', 'resource_id'],
] as const;

export const DEFAULT_FILTERS: TraceFilters = {
  range: '1h',
  service: '',
  rating: '',
  traceName: '',
  user: '',
  resourceType: '',
  resourceName: '',
  resourceId: '',
  pageSize: 20,
};

export function viewFromQuery(query: URLSearchParams): TraceFilters {
  const range = query.get('range');
  const rating = query.get('trace_rating');
  const size = Number(query.get('limit'));
  const view: TraceFilters = {
    ...DEFAULT_FILTERS,
    range: range !== null && range in RANGES ? (range as Range) : DEFAULT_FILTERS.range,
    service: (SERVICES as readonly string[]).includes(query.get('service_type') ?? '') ? query.get('service_type')! : '',
    rating: (RATINGS as readonly string[]).includes(rating ?? '') ? (rating as TraceFilters['rating']) : '',
    pageSize: Number.isInteger(size) && size >= 1 && size <= MAX_PAGE ? size : DEFAULT_FILTERS.pageSize,
  };
  for (const [key, param] of TEXT_FILTERS) view[key] = query.get(param) ?? '';
  return view;
}

/** Only what differs from the defaults, so that a plain visit has a plain URL. */
export function queryOfView(view: TraceFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (view.range !== DEFAULT_FILTERS.range) query.range = view.range;
  if (view.service !== '') query.service_type = view.service;
  if (view.rating !== '') query.trace_rating = view.rating;
  for (const [key, param] of TEXT_FILTERS) if (view[key].trim() !== '') query[param] = view[key].trim();
  if (view.pageSize !== DEFAULT_FILTERS.pageSize) query.limit = String(view.pageSize);
  return query;
}

/** ListTraces' query for the view's range ending at `to`, from the page after `next` when given. */
export function apiQueryOfView(view: TraceFilters, to: number, next?: string): Record<string, string | number | undefined> {
  return { trace_type: 'system', ...queryOfView({ ...view, range: DEFAULT_FILTERS.range, pageSize: DEFAULT_FILTERS.pageSize }), limit: view.pageSize, from: to - RANGES[view.range], to, next };
}

export function isFiltered(view: TraceFilters): boolean {
  return view.service !== '' || view.rating !== '' || TEXT_FILTERS.some(([key]) => view[key] !== '');
}

/** A trace's request or response (JSON text) indented for reading; other text as it is. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
