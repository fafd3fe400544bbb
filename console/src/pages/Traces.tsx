import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { call, tracesPath } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { type MessageKey, useT } from '../i18n';
import { navigate, useLocation } from '../router';
import type { TraceList, TraceView } from '../types-pages';
import { RootOnly } from './RootOnly';
import { TraceRow } from './TraceRow';
import { apiQueryOfView, DEFAULT_FILTERS, isFiltered, PAGE_SIZES, queryOfView, RANGES, RATINGS, SERVICES, TEXT_FILTERS, type TraceFilters, viewFromQuery } from './trace-query';

/** The columns of the table; a detail row spans them all. */
const COLUMNS: MessageKey[] = ['traces.col.time', 'traces.col.name', 'traces.col.service', 'traces.col.resource', 'traces.col.user', 'traces.col.rating', 'traces.col.code', 'traces.col.sourceIp'];
const TEXT_LIMITS: Record<(typeof TEXT_FILTERS)[number][0], number> = { traceName: 64, user: 64, resourceType: 64, resourceName: 256, resourceId: 256 };
const TEXT_LABELS: Record<(typeof TEXT_FILTERS)[number][0], MessageKey> = {
  traceName: 'traces.traceName',
  user: 'traces.user',
  resourceType: 'traces.resourceType',
  resourceName: 'traces.resourceName',
  resourceId: 'traces.resourceId',
};

/**
 * The pages read so far: CTS pages by marker and tells no total, so the list grows by "Load more"
 * until the marker is null. `to` is fixed at the first page: later pages continue the same range.
 */
type Trail =
  | { state: 'loading' }
  | { state: 'failed'; error: unknown }
  | { state: 'ready' | 'more'; traces: TraceView[]; marker: string | null; to: number; moreError?: unknown };

export function TracesPage() {
  return (
    <RootOnly>
      <Traces />
    </RootOnly>
  );
}

type Drafts = Record<(typeof TEXT_FILTERS)[number][0], string>;
const draftsOf = (view: TraceFilters): Drafts => Object.fromEntries(TEXT_FILTERS.map(([key]) => [key, view[key]])) as Drafts;

function Traces() {
  const t = useT();
  const { query } = useLocation();
  const view = useMemo(() => viewFromQuery(query), [query]);
  const viewKey = JSON.stringify(queryOfView(view));
  // The text fields apply on submit; Back and Forward (or Clear) bring the URL's values into them.
  // Only a change of URL does: effects run after the first paint, and resetting there would wipe
  // what was typed in that moment.
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(view));
  const [reloads, setReloads] = useState(0);
  const draftsFromKey = useRef(viewKey);
  useEffect(() => {
    if (draftsFromKey.current === viewKey) return;
    draftsFromKey.current = viewKey;
    setDrafts(draftsOf(view));
  }, [viewKey]);
  // The same filters applied again ask again: the range ends now, so newer traces come in.
  const apply = (patch: Partial<TraceFilters>) => {
    const wanted = queryOfView({ ...view, ...drafts, ...patch });
    if (JSON.stringify(wanted) === viewKey) setReloads((n) => n + 1);
    else navigate('/traces', wanted);
  };

  const [trail, setTrail] = useState<Trail>({ state: 'loading' });
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const list = useRef(0);
  useEffect(() => {
    const controller = new AbortController();
    const to = Date.now();
    list.current += 1;
    setTrail({ state: 'loading' });
    setOpen(new Set());
    call<TraceList>('GET', tracesPath(), { query: apiQueryOfView(view, to), signal: controller.signal }).then(
      ({ body }) => setTrail({ state: 'ready', traces: body.traces, marker: body.meta_data.marker, to }),
      (error: unknown) => {
        if ((error as Error).name !== 'AbortError') setTrail({ state: 'failed', error });
      },
    );
    return () => controller.abort();
  }, [viewKey, reloads]);

  const loadMore = async () => {
    if (trail.state !== 'ready' || trail.marker === null) return;
    const before = trail;
    const generation = list.current;
    setTrail({ ...before, state: 'more', moreError: undefined });
    // A filter changed while this page was on its way: its answer belongs to the old list.
    const done = (next: Trail) => list.current === generation && setTrail(next);
    try {
      const { body } = await call<TraceList>('GET', tracesPath(), { query: apiQueryOfView(view, before.to, before.marker!) });
      done({ state: 'ready', traces: [...before.traces, ...body.traces], marker: body.meta_data.marker, to: before.to });
    } catch (error) {
      done({ ...before, state: 'ready', moreError: error });
    }
  };
  // The Load more button goes away at the end of the trail: the focus goes to the text saying so.
  const end = useRef<HTMLParagraphElement>(null);
  const loadedMore = useRef(false);
  useEffect(() => {
    if (trail.state === 'more') loadedMore.current = true;
    else if (trail.state === 'ready' && trail.marker === null && loadedMore.current) end.current?.focus();
    if (trail.state !== 'more') loadedMore.current = false;
  }, [trail]);

  const toggle = (id: string) =>
    setOpen((was) => {
      const next = new Set(was);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const traces = trail.state === 'ready' || trail.state === 'more' ? trail.traces : null;
  return (
    <section aria-labelledby="traces-title" class="page">
      <div class="page-head">
        <h1 id="traces-title">{t('traces.title')}</h1>
        <p class="muted" aria-live="polite">
          {traces === null ? '\u00a0' : traces.length === 1 ? t('traces.shownOne') : t('traces.shown', { count: traces.length })}
        </p>
      </div>
      <p class="muted page-intro">{t('traces.intro')}</p>

      <form
        class="toolbar trace-filters"
        role="search"
        aria-label={t('traces.filters')}
        onSubmit={(event) => {
          event.preventDefault();
          apply({});
        }}
      >
        <Select label={t('traces.range')} name="range" value={view.range} onChange={(range) => apply({ range: range as TraceFilters['range'] })} options={Object.keys(RANGES).map((r) => [r, t(`traces.range.${r}` as MessageKey)])} />
        <Select label={t('traces.service')} name="service_type" value={view.service} onChange={(service) => apply({ service })} options={[['', t('traces.service.all')], ...SERVICES.map((s) => [s, s] as const)]} />
        <Select label={t('traces.rating')} name="trace_rating" value={view.rating} onChange={(rating) => apply({ rating: rating as TraceFilters['rating'] })} options={[['', t('traces.rating.all')], ...RATINGS.map((r) => [r, t(`traces.rating.${r}`)] as const)]} />
        {TEXT_FILTERS.map(([key, param]) => (
          <label class="field field-inline" key={key}>
            <span>{t(TEXT_LABELS[key])}</span>
            <input
              type="search"
              name={param}
              value={drafts[key]}
              maxLength={TEXT_LIMITS[key]}
              placeholder={key === 'traceName' ? t('traces.traceNameHint') : undefined}
              autoComplete="off"
              onInput={(e) => setDrafts({ ...drafts, [key]: (e.target as HTMLInputElement).value })}
            />
          </label>
        ))}
        <div class="form-actions toolbar-actions">
          <button type="submit" class="button-primary">
            {t('traces.apply')}
          </button>
          {isFiltered(view) && (
            <button type="button" onClick={() => navigate('/traces', queryOfView({ ...DEFAULT_FILTERS, range: view.range, pageSize: view.pageSize }))}>
              {t('traces.clear')}
            </button>
          )}
        </div>
      </form>

      {trail.state === 'failed' ? (
        <ErrorNotice error={trail.error} onRetry={() => setReloads((n) => n + 1)} />
      ) : (
        // Focusable: on a narrow screen the table scrolls sideways, also with the arrow keys.
        <div class="table-wrap" aria-busy={trail.state === 'loading'} role="region" aria-label={t('traces.table')} tabIndex={0}>
          <table class="table">
            <thead>
              <tr>
                {COLUMNS.map((key) => (
                  <th scope="col" key={key}>
                    {t(key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {traces === null && (
                <tr class="skeleton-row" aria-hidden="true">
                  <td colSpan={COLUMNS.length}>
                    <span class="skeleton" />
                  </td>
                </tr>
              )}
              {traces?.map((trace) => <TraceRow key={trace.trace_id} trace={trace} columns={COLUMNS.length} open={open.has(trace.trace_id)} onToggle={() => toggle(trace.trace_id)} />)}
            </tbody>
          </table>
          {traces !== null && traces.length === 0 && (
            <div class="empty-state">
              <p>{isFiltered(view) ? t('traces.emptyFiltered') : t('traces.empty')}</p>
            </div>
          )}
          {trail.state === 'loading' && (
            <span class="visually-hidden" role="status">
              {t('traces.loading')}
            </span>
          )}
        </div>
      )}

      {(trail.state === 'ready' || trail.state === 'more') && (
        <div class="pager">
          {trail.moreError !== undefined && <ErrorNotice error={trail.moreError} />}
          <Select label={t('traces.pageSize')} name="limit" value={String(view.pageSize)} onChange={(size) => apply({ pageSize: Number(size) })} options={[...new Set([...PAGE_SIZES, view.pageSize])].sort((a, b) => a - b).map((n) => [String(n), String(n)])} />
          {trail.marker !== null ? (
            <button type="button" disabled={trail.state === 'more'} onClick={() => void loadMore()}>
              {trail.state === 'more' ? t('traces.loadingMore') : t('traces.more')}
            </button>
          ) : (
            trail.traces.length > 0 && (
              <p class="muted" tabIndex={-1} ref={end}>
                {t('traces.end')}
              </p>
            )
          )}
        </div>
      )}
    </section>
  );
}

function Select({ label, name, value, options, onChange }: { label: string; name: string; value: string; options: ReadonlyArray<readonly [string, string]>; onChange: (value: string) => void }) {
  return (
    <label class="field field-inline">
      <span>{label}</span>
      <select name={name} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
