import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { call, projectPath } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { Link } from '../components/Shell';
import { StatusBadge } from '../components/StatusBadge';
import { useDebounced } from '../components/useDebounced';
import { formatTime, language, type MessageKey, useT } from '../i18n';
import { navigate, useLocation } from '../router';
import { useStore } from '../store';
import type { EnterpriseProjectList, EnterpriseProjectView, WorkspaceList, WorkspaceSummary } from '../types';
import { apiQueryOfView, isFiltered, isSearchable, type ListView, PAGE_SIZES, queryOfView, viewFromQuery } from './workspace-query';

const SEARCH_DEBOUNCE_MS = 300;
/** how often a list showing a DELETING row asks again, until the deletion job has removed it */
const DELETING_REFRESH_MS = 1000;
/** rows shown while the first answer is awaited: the table keeps its place instead of growing from nothing */
const SKELETON_ROWS = 5;

type Load = { state: 'loading'; previous: WorkspaceList | null } | { state: 'ready'; list: WorkspaceList } | { state: 'failed'; error: unknown };

function useEnterpriseProjects(): EnterpriseProjectView[] | null {
  const [projects, setProjects] = useState<EnterpriseProjectView[] | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    // Users without the right to list them get no filter rather than an error: the list still works.
    call<EnterpriseProjectList>('GET', '/v1.0/enterprise-projects', { signal: controller.signal, query: { limit: 1000 } }).then(
      ({ body }) => setProjects(body.enterprise_projects),
      () => setProjects(null),
    );
    return () => controller.abort();
  }, []);
  return projects;
}

export function WorkspacesPage() {
  const t = useT();
  const lang = useStore(language);
  const { query } = useLocation();
  const view = useMemo(() => viewFromQuery(query), [query]);
  const change = (patch: Partial<ListView>, options: { replace?: boolean } = {}) =>
    navigate('/workspaces', queryOfView({ ...view, page: 1, ...patch }), options);

  const [search, setSearch] = useState(view.name);
  const settledSearch = useDebounced(search, SEARCH_DEBOUNCE_MS);
  // The name this box last wrote into the URL. Back and Forward (or "Clear filters") change the URL's
  // name: the box follows. Its own write must not come back into the box: a key typed between the
  // debounce and the URL's change would be overwritten by the older text.
  const writtenName = useRef(view.name);
  useEffect(() => {
    if (view.name === writtenName.current) return;
    writtenName.current = view.name;
    setSearch(view.name);
  }, [view.name]);
  const searchText = settledSearch.trim();
  // A search the API would refuse is not sent: the field says what a name may contain.
  const searchInvalid = search.trim() !== '' && !isSearchable(search.trim());
  // What the debounce last handed on (sent or refused), also for tests to wait on (data-settled).
  const [handledSearch, setHandledSearch] = useState(searchText);
  useEffect(() => {
    if (searchText !== view.name && (searchText === '' || isSearchable(searchText))) {
      writtenName.current = searchText;
      change({ name: searchText }, { replace: true });
    }
    setHandledSearch(searchText);
  }, [searchText]);

  const [load, setLoad] = useState<Load>({ state: 'loading', previous: null });
  const [reloads, setReloads] = useState(0);
  const [actionError, setActionError] = useState<unknown>(null);
  const [retrying, setRetrying] = useState<ReadonlySet<string>>(new Set());
  const apiQuery = JSON.stringify(apiQueryOfView(view));

  useEffect(() => {
    const controller = new AbortController();
    setLoad((prev) => ({ state: 'loading', previous: prev.state === 'ready' ? prev.list : prev.state === 'loading' ? prev.previous : null }));
    call<WorkspaceList>('GET', projectPath('/workspaces'), { query: JSON.parse(apiQuery), signal: controller.signal }).then(
      ({ body }) => setLoad({ state: 'ready', list: body }),
      (error: unknown) => {
        if ((error as Error).name !== 'AbortError') setLoad({ state: 'failed', error });
      },
    );
    return () => controller.abort();
  }, [apiQuery, reloads]);

  const shown = load.state === 'ready' ? load.list : load.state === 'loading' ? load.previous : null;
  const deleting = shown?.workspaces.some((w) => w.status === 'DELETING') ?? false;
  useEffect(() => {
    if (load.state !== 'ready' || !deleting) return;
    const timer = setTimeout(() => setReloads((n) => n + 1), DELETING_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [load, deleting]);

  const retryDelete = async (workspace: WorkspaceSummary) => {
    setActionError(null);
    setRetrying((s) => new Set(s).add(workspace.id));
    try {
      await call('DELETE', projectPath(`/workspaces/${encodeURIComponent(workspace.id)}`));
    } catch (error) {
      setActionError(error);
    } finally {
      setRetrying((s) => {
        const next = new Set(s);
        next.delete(workspace.id);
        return next;
      });
      setReloads((n) => n + 1);
    }
  };

  const enterpriseProjects = useEnterpriseProjects();
  const pages = shown ? Math.max(1, Math.ceil(shown.total_count / view.pageSize)) : 1;
  const sortButton = (column: ListView['sortBy'], label: MessageKey) => {
    const active = view.sortBy === column;
    const nextOrder = active ? (view.order === 'asc' ? 'desc' : 'asc') : column === 'update_time' ? 'desc' : 'asc';
    return (
      <th scope="col" aria-sort={active ? (view.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" class="sort-button" onClick={() => change({ sortBy: column, order: nextOrder })}>
          {t(label)}
          <span aria-hidden="true" class="sort-mark">
            {active ? (view.order === 'asc' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      </th>
    );
  };

  return (
    <section aria-labelledby="workspaces-title" class="page">
      <div class="page-head">
        <h1 id="workspaces-title">{t('ws.title')}</h1>
        <p class="muted" aria-live="polite">
          {shown ? (shown.total_count === 1 ? t('ws.totalOne') : t('ws.total', { count: shown.total_count })) : '\u00a0'}
        </p>
        <Link path="/workspaces/new" class="button-link button-primary page-actions">
          {t('ws.create')}
        </Link>
      </div>

      <div class="toolbar" role="search">
        <label class="field field-inline">
          <span>{t('ws.search')}</span>
          <input
            type="search"
            name="name"
            value={search}
            placeholder={t('ws.searchPlaceholder')}
            maxLength={64}
            aria-invalid={searchInvalid}
            data-settled={handledSearch}
            aria-describedby={searchInvalid ? 'search-hint' : undefined}
            onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
          />
          {searchInvalid && (
            <small id="search-hint" class="field-error">
              {t('ws.searchInvalid')}
            </small>
          )}
        </label>
        <label class="field field-inline">
          <span>{t('ws.sort')}</span>
          <select name="sort_by" value={view.sortBy} onChange={(e) => change({ sortBy: (e.target as HTMLSelectElement).value as ListView['sortBy'] })}>
            <option value="name">{t('ws.sort.name')}</option>
            <option value="update_time">{t('ws.sort.update_time')}</option>
            <option value="status">{t('ws.sort.status')}</option>
          </select>
        </label>
        <label class="field field-inline">
          <span>{t('ws.order')}</span>
          <select name="order" value={view.order} onChange={(e) => change({ order: (e.target as HTMLSelectElement).value as ListView['order'] })}>
            <option value="asc">{t('ws.order.asc')}</option>
            <option value="desc">{t('ws.order.desc')}</option>
          </select>
        </label>
        {enterpriseProjects && (
          <label class="field field-inline">
            <span>{t('ws.ep')}</span>
            <select name="enterprise_project_id" value={view.enterpriseProjectId} onChange={(e) => change({ enterpriseProjectId: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('ws.ep.all')}</option>
              {enterpriseProjects.map((ep) => (
                <option key={ep.id} value={ep.id}>
                  {ep.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="checkbox">
          <input type="checkbox" name="filter_accessible" checked={view.accessibleOnly} onChange={(e) => change({ accessibleOnly: (e.target as HTMLInputElement).checked })} />
          <span>{t('ws.accessible')}</span>
        </label>
      </div>

      {actionError !== null && <ErrorNotice error={actionError} />}
      {load.state === 'failed' ? (
        <ErrorNotice error={load.error} onRetry={() => setReloads((n) => n + 1)} />
      ) : (
        // Focusable: on a narrow screen the table scrolls sideways, also with the arrow keys.
        <div class="table-wrap" aria-busy={load.state === 'loading'} role="region" aria-label={t('ws.table')} tabIndex={0}>
          <table class="table">
            <thead>
              <tr>
                {sortButton('name', 'ws.col.name')}
                {sortButton('status', 'ws.col.status')}
                <th scope="col">{t('ws.col.authType')}</th>
                <th scope="col">{t('ws.col.owner')}</th>
                <th scope="col">{t('ws.col.ep')}</th>
                <th scope="col">{t('ws.col.created')}</th>
                {sortButton('update_time', 'ws.col.updated')}
              </tr>
            </thead>
            <tbody>
              {shown === null &&
                Array.from({ length: SKELETON_ROWS }, (_, i) => (
                  <tr key={i} class="skeleton-row" aria-hidden="true">
                    <td colSpan={7}>
                      <span class="skeleton" />
                    </td>
                  </tr>
                ))}
              {shown?.workspaces.map((w) => (
                <tr key={w.id} data-workspace-id={w.id} data-status={w.status}>
                  <th scope="row" class="cell-name">
                    <Link path={`/workspaces/${encodeURIComponent(w.id)}`}>{w.name}</Link>
                  </th>
                  <td>
                    <StatusBadge status={w.status} />
                    {w.status === 'DELETE_FAILED' && (
                      <div class="status-info">
                        {w.status_info !== '' && <span>{w.status_info}</span>}
                        <button type="button" class="button-small" disabled={retrying.has(w.id)} onClick={() => void retryDelete(w)} aria-label={`${t('ws.retryDelete')}: ${w.name}`}>
                          {retrying.has(w.id) ? t('ws.retrying') : t('ws.retryDelete')}
                        </button>
                      </div>
                    )}
                  </td>
                  <td>{t(`auth.${w.auth_type.toLowerCase()}` as MessageKey)}</td>
                  <td>{w.owner}</td>
                  <td>{w.enterprise_project_name || w.enterprise_project_id}</td>
                  <td>
                    <time dateTime={new Date(w.create_time).toISOString()}>{formatTime(lang, w.create_time)}</time>
                  </td>
                  <td>
                    <time dateTime={new Date(w.update_time).toISOString()}>{formatTime(lang, w.update_time)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown !== null && shown.workspaces.length === 0 && shown.total_count > 0 && (
            <div class="empty-state">
              <p>{t('ws.pastEnd')}</p>
              <button type="button" onClick={() => change({})}>
                {t('ws.firstPage')}
              </button>
            </div>
          )}
          {shown !== null && shown.total_count === 0 && (
            <div class="empty-state">
              <p>{isFiltered(view) ? t('ws.emptyFiltered') : t('ws.empty')}</p>
              {isFiltered(view) && (
                <button type="button" onClick={() => change({ name: '', accessibleOnly: false, enterpriseProjectId: '' })}>
                  {t('ws.clearFilters')}
                </button>
              )}
            </div>
          )}
          {load.state === 'loading' && <span class="visually-hidden" role="status">{t('ws.loading')}</span>}
        </div>
      )}

      <nav class="pager" aria-label={t('ws.pagination')}>
        <label class="field field-inline">
          <span>{t('ws.pageSize')}</span>
          <select name="limit" value={String(view.pageSize)} onChange={(e) => change({ pageSize: Number((e.target as HTMLSelectElement).value) })}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={String(size)}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={view.page <= 1} onClick={() => change({ page: view.page - 1 })}>
          {t('ws.prev')}
        </button>
        <span class="page-of">{t('ws.page', { page: view.page, pages })}</span>
        <button type="button" disabled={view.page >= pages} onClick={() => change({ page: view.page + 1 })}>
          {t('ws.next')}
        </button>
      </nav>
    </section>
  );
}
