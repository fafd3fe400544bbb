import type { InputHTMLAttributes } from 'preact';
import { useState } from 'preact/hooks';
import { call } from '../api';
import { LoadedTable } from '../components/LoadedTable';
import { ErrorNotice } from '../components/ErrorNotice';
import { language, pick, useT } from '../i18n';
import { useStore } from '../store';
import type { QuotaView } from '../types-pages';
import { useFocusOnMount } from '../components/useFocusOnMount';
import { useGet } from './loaders';
import { quotaProblem } from './workspace-rules';

type QuotaList = { quotas: QuotaView[] };

/** The workspace's quotas; each row edits in place, and a value out of its range is refused before sending. */
/** editable: false while the workspace is not NORMAL (the API refuses quota changes then). */
export function QuotaTable({ workspacePath, editable }: { workspacePath: string; editable: boolean }) {
  const t = useT();
  const lang = useStore(language);
  const [loaded, reload, replace] = useGet<QuotaList>(`${workspacePath}/quotas`);
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const limitText = (value: number) => (value === -1 ? t('quota.unlimited') : String(value));
  // The editor's Edit button is gone while it is open: closing it gives the focus back to that button.
  const close = (resource: string) => {
    setEditing(null);
    requestAnimationFrame(() => document.querySelector<HTMLButtonElement>(`tr[data-resource="${CSS.escape(resource)}"] button`)?.focus());
  };
  const start = (q: QuotaView) => {
    setEditing(q.resource);
    setDraft(String(q.quota));
    setTried(false);
    setError(null);
  };
  const save = async (q: QuotaView) => {
    setTried(true);
    if (quotaProblem(draft, q) !== null) return;
    setBusy(true);
    setError(null);
    try {
      const { body } = await call<QuotaList>('PUT', `${workspacePath}/quotas`, { body: { quotas: [{ resource: q.resource, quota: Number(draft.trim()) }] } });
      if (loaded.state === 'ready') {
        const changed = new Map(body.quotas.map((c) => [c.resource, c]));
        replace({
          quotas: loaded.value.quotas.map((old) => {
            const c = changed.get(old.resource);
            return c ? { ...old, ...c, used_quota: c.quota === -1 ? null : (old.used_quota ?? 0) } : old;
          }),
        });
      }
      close(q.resource);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="quotas-title">
      <h2 id="quotas-title">{t('quota.title')}</h2>
      <LoadedTable
        loaded={loaded}
        onRetry={reload}
        headings={[t('quota.name'), t('quota.quota'), t('quota.used'), t('quota.min'), t('quota.max'), t('quota.unit'), t('ws.col.actions')]}
        empty={{ when: (v) => v.quotas.length === 0, text: t('quota.empty') }}
        rows={(v) =>
          v.quotas.map((q) => {
            const name = pick(lang, q.name_en, q.name_cn);
            const problem = editing === q.resource && tried ? quotaProblem(draft, q) : null;
            return (
              <tr key={q.resource} data-resource={q.resource}>
                <th scope="row" class="cell-wrap">
                  {name}
                  <div class="muted small"><code>{q.resource}</code></div>
                </th>
                <td>
                  {editing === q.resource ? (
                    <form class="inline-form" onSubmit={(e) => { e.preventDefault(); void save(q); }} noValidate>
                      <label class="field">
                        <span class="visually-hidden">{t('quota.newValue', { name })}</span>
                        <QuotaInput
                          name="quota"
                          inputMode="numeric"
                          value={draft}
                          size={10}
                          aria-invalid={problem !== null}
                          aria-describedby={`quota-help-${q.resource}`}
                          onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
                          onKeyDown={(e) => e.key === 'Escape' && close(q.resource)}
                        />
                      </label>
                      <button type="submit" class="button-primary button-small" disabled={busy}>{t('quota.save')}</button>
                      <button type="button" class="button-small" onClick={() => close(q.resource)}>{t('common.cancel')}</button>
                      <small id={`quota-help-${q.resource}`} class={problem ? 'field-error' : 'field-help'} role={problem ? 'alert' : undefined}>
                        {problem ? t(problem.key, problem.vars) : q.min_quota === -1 ? t('quota.unlimitedHint') : '\u00a0'}
                      </small>
                    </form>
                  ) : (
                    limitText(q.quota)
                  )}
                </td>
                <td>{q.used_quota === null ? '—' : q.used_quota}</td>
                <td>{limitText(q.min_quota)}</td>
                <td>{limitText(q.max_quota)}</td>
                <td>{pick(lang, q.unit_en, q.unit_cn)}</td>
                <td>
                  {editable && editing !== q.resource && (
                    <button type="button" class="button-small" aria-label={t('quota.editOf', { name })} onClick={() => start(q)}>
                      {t('quota.edit')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })
        }
      />
      {error !== null && <ErrorNotice error={error} />}
    </section>
  );
}

function QuotaInput(props: InputHTMLAttributes<HTMLInputElement>) {
  const ref = useFocusOnMount<HTMLInputElement>();
  return <input {...props} ref={ref} />;
}
