import { CopyButton } from '../components/CopyButton';
import { type Lang, language, type MessageKey, useT } from '../i18n';
import { useStore } from '../store';
import type { TraceView } from '../types-pages';
import { prettyJson } from './trace-query';

/** To the second: traces of one request often fall in the same minute. */
function formatInstant(lang: Lang, ms: number): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(ms));
}

function Instant({ ms }: { ms: number }) {
  const lang = useStore(language);
  return <time dateTime={new Date(ms).toISOString()}>{formatInstant(lang, ms)}</time>;
}

const KNOWN_TYPES = new Set(['ApiCall', 'ConsoleAction', 'SystemAction']);
const KNOWN_RATINGS = new Set(['normal', 'warning', 'incident']);

/** One trace, and below it, when open, its details: ids, message, request and response. */
export function TraceRow({ trace, columns, open, onToggle }: { trace: TraceView; columns: number; open: boolean; onToggle: () => void }) {
  const t = useT();
  const detailId = `trace-${trace.trace_id}`;
  const rating = KNOWN_RATINGS.has(trace.trace_rating) ? t(`traces.rating.${trace.trace_rating}` as MessageKey) : trace.trace_rating;
  return (
    <>
      <tr data-trace-id={trace.trace_id} data-trace-type={trace.trace_type}>
        <td>
          <Instant ms={trace.time} />
        </td>
        <th scope="row">
          <button type="button" class="disclosure" aria-expanded={open} aria-controls={open ? detailId : undefined} aria-label={t('traces.details', { name: trace.trace_name })} onClick={onToggle}>
            <span aria-hidden="true" class="disclosure-mark">
              {open ? '▾' : '▸'}
            </span>
            {trace.trace_name}
          </button>
        </th>
        <td>{trace.service_type}</td>
        <td class="cell-resource">
          <span class="muted">{trace.resource_type}</span> {trace.resource_name}
          {trace.resource_id !== '' && trace.resource_id !== trace.resource_name && <code class="resource-id">{trace.resource_id}</code>}
        </td>
        <td>{trace.user?.name ?? <span class="muted">{t('traces.system')}</span>}</td>
        <td>
          <span class={`badge badge-rating-${trace.trace_rating}`}>{rating}</span>
        </td>
        <td>
          <code>{trace.code}</code>
        </td>
        <td>{trace.source_ip ?? ''}</td>
      </tr>
      {open && (
        <tr id={detailId} class="trace-detail">
          <td colSpan={columns}>
            <div class="trace-detail-body">
              <dl class="facts">
                <Fact label={t('traces.detail.traceId')} value={trace.trace_id} copy />
                <Fact label={t('traces.detail.requestId')} value={trace.request_id} copy />
                <Fact label={t('traces.detail.type')} value={KNOWN_TYPES.has(trace.trace_type) ? t(`traces.type.${trace.trace_type}` as MessageKey) : trace.trace_type} />
                <Fact label={t('traces.detail.apiVersion')} value={trace.api_version} />
                <Fact label={t('traces.detail.message')} value={trace.message} />
                <div class="fact">
                  <dt>{t('traces.detail.recorded')}</dt>
                  <dd>
                    <Instant ms={trace.record_time} />
                  </dd>
                </div>
              </dl>
              <Json title={t('traces.detail.request')} text={trace.request} none={t('traces.detail.none')} />
              <Json title={t('traces.detail.response')} text={trace.response} none={t('traces.detail.none')} />
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

function Fact({ label, value, copy }: { label: string; value: string; copy?: boolean }) {
  const t = useT();
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>
        {value === '' ? <span class="muted">{t('traces.detail.none')}</span> : <code>{value}</code>}
        {copy && value !== '' && (
          <>
            {' '}
            <CopyButton text={value} label={`${t('error.copy')}: ${label}`} />
          </>
        )}
      </dd>
    </div>
  );
}

function Json({ title, text, none }: { title: string; text: string; none: string }) {
  return (
    <figure class="trace-json">
      <figcaption>{title}</figcaption>
      {text === '' ? <p class="muted">{none}</p> : <pre tabIndex={0}>{prettyJson(text)}</pre>}
    </figure>
  );
}
