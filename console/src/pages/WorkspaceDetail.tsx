import { useState } from 'preact/hooks';
import { call, projectPath } from '../api';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { Link } from '../components/Shell';
import { StatusBadge } from '../components/StatusBadge';
import { formatTime, language, type MessageKey, useT } from '../i18n';
import { navigate } from '../router';
import { useStore } from '../store';
import type { WorkspaceView } from '../types-pages';
import { useGet } from './loaders';
import { QuotaTable } from './QuotaTable';

export function WorkspaceDetailPage({ id }: { id?: string }) {
  const t = useT();
  const lang = useStore(language);
  const path = projectPath(`/workspaces/${encodeURIComponent(id!)}`);
  const [loaded, reload] = useGet<WorkspaceView>(path);
  const [deleting, setDeleting] = useState(false);
  const [typed, setTyped] = useState('');

  if (loaded.state === 'loading') return <p class="muted" role="status">{t('common.loading')}</p>;
  if (loaded.state === 'failed') {
    return (
      <section class="page">
        <nav class="breadcrumbs" aria-label={t('common.breadcrumbs')}>
          <Link path="/workspaces">{t('ws.title')}</Link>
        </nav>
        <h1>{t('wsd.title')}</h1>
        <ErrorNotice error={loaded.error} onRetry={reload} />
      </section>
    );
  }
  const w = loaded.value;
  const isDefault = w.id === '0';
  // The API changes only NORMAL workspaces; one being deleted can still be deleted again (a retry).
  const normal = w.status === 'NORMAL';
  const field = (label: MessageKey, value: preact.ComponentChildren) => (
    <div class="fact">
      <dt>{t(label)}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <section class="page" aria-labelledby="wsd-title">
      <nav class="breadcrumbs" aria-label={t('common.breadcrumbs')}>
        <Link path="/workspaces">{t('ws.title')}</Link>
      </nav>
      <div class="page-head">
        <h1 id="wsd-title">{w.name}</h1>
        <StatusBadge status={w.status} />
        <div class="page-actions">
          {normal && (
            <Link path={`/workspaces/${encodeURIComponent(w.id)}/edit`} class="button-link">
              {t('wsd.edit')}
            </Link>
          )}
          {!isDefault && w.status !== 'DELETING' && (
            <button type="button" class="button-danger" onClick={() => { setTyped(''); setDeleting(true); }}>
              {t('wsd.delete')}
            </button>
          )}
        </div>
      </div>
      {w.status === 'DELETING' && <p class="notice notice-info">{t('wsd.deleting')}</p>}
      {w.status_info !== '' && <p class="notice notice-warning">{w.status_info}</p>}
      <dl class="facts panel">
        {field('wsd.id', <code>{w.id}</code>)}
        {field('wsf.description', w.description || <span class="muted">{t('wsd.noDescription')}</span>)}
        {field('ws.col.authType', t(`auth.${w.auth_type.toLowerCase()}` as MessageKey))}
        {field('ws.col.owner', w.owner)}
        {field('ws.col.ep', w.enterprise_project_name || w.enterprise_project_id)}
        {field('ws.col.created', <time dateTime={new Date(w.create_time).toISOString()}>{formatTime(lang, w.create_time)}</time>)}
        {field('ws.col.updated', <time dateTime={new Date(w.update_time).toISOString()}>{formatTime(lang, w.update_time)}</time>)}
      </dl>

      {w.auth_type.toLowerCase() === 'internal' && (
        <section aria-labelledby="grants-title">
          <h2 id="grants-title">{t('wsf.grants')}</h2>
          {w.grants.length === 0 ? (
            <p class="empty-state">{t('wsd.noGrants')}</p>
          ) : (
            <div class="table-wrap table-wrap-auto">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{t('wsd.grant.user')}</th>
                    <th scope="col">{t('wsd.grant.id')}</th>
                    <th scope="col">{t('wsd.grant.type')}</th>
                  </tr>
                </thead>
                <tbody>
                  {w.grants.map((g) => (
                    <tr key={`${g.user_type}:${g.user_id}:${g.user_name}`}>
                      <th scope="row">{g.user_name}</th>
                      <td><code>{g.user_id}</code></td>
                      <td>{g.user_type}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}

      <QuotaTable workspacePath={path} editable={normal} />

      {deleting && (
        <Dialog
          title={t('wsd.deleteTitle', { name: w.name })}
          confirmLabel={t('wsd.delete')}
          danger
          ready={typed === w.name}
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await call('DELETE', path);
            navigate('/workspaces');
          }}
        >
          <p>{t('wsd.deleteBody')}</p>
          <label class="field">
            <span>{t('wsd.deleteType', { name: w.name })}</span>
            <input name="confirm_name" value={typed} autoComplete="off" onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
          </label>
        </Dialog>
      )}
    </section>
  );
}
