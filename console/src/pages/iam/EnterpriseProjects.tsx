import { useState } from 'preact/hooks';
import { call } from '../../api';
import { Dialog } from '../../components/Dialog';
import { LoadedTable } from '../../components/LoadedTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatTime, language, useT } from '../../i18n';
import { useStore } from '../../store';
import type { EnterpriseProjectList, EnterpriseProjectView } from '../../types';
import { EP_ENABLED, useGet } from '../loaders';
import { RootOnly } from '../RootOnly';

const BASE = '/v1.0/enterprise-projects';
/** the server's rule (src/eps/enterprise-project.schemas.ts) */
const NAME = /^[\u4e00-\u9fa5A-Za-z0-9_-]{1,64}$/;
const nameOk = (name: string) => NAME.test(name) && name.toLowerCase() !== 'default';

type Pending = { kind: 'rename' | 'toggle'; ep: EnterpriseProjectView } | null;

export function EnterpriseProjectsPage() {
  return (
    <RootOnly>
      <EnterpriseProjects />
    </RootOnly>
  );
}

function EnterpriseProjects() {
  const t = useT();
  const lang = useStore(language);
  const [list, reload] = useGet<EnterpriseProjectList>(BASE, { limit: 1000 });
  const [pending, setPending] = useState<Pending>(null);
  const [newName, setNewName] = useState('');
  const epPath = (ep: EnterpriseProjectView) => `${BASE}/${encodeURIComponent(ep.id)}`;

  return (
    <section class="page" aria-labelledby="eps-title">
      <div class="page-head">
        <h1 id="eps-title">{t('eps.title')}</h1>
      </div>
      <CreateProject onCreated={reload} />
      <LoadedTable
        loaded={list}
        onRetry={reload}
        headings={[t('eps.name'), t('users.status'), t('users.description'), t('ws.col.updated'), t('ws.col.actions')]}
        rows={(v) =>
          v.enterprise_projects.map((ep) => {
            const enabled = ep.status === EP_ENABLED;
            return (
              <tr key={ep.id} data-enterprise-project={ep.name}>
                <th scope="row">{ep.name}</th>
                <td>
                  <span class={`badge ${enabled ? 'badge-normal' : 'badge-delete-failed'}`}>{enabled ? t('users.enabled') : t('users.disabled')}</span>
                </td>
                <td class="cell-wrap">{ep.description}</td>
                <td><time dateTime={ep.updated_at}>{formatTime(lang, Date.parse(ep.updated_at))}</time></td>
                <td class="row-actions">
                  {ep.id !== '0' && (
                    <>
                      <button type="button" class="button-small" onClick={() => { setNewName(ep.name); setPending({ kind: 'rename', ep }); }} aria-label={`${t('eps.rename')}: ${ep.name}`}>
                        {t('eps.rename')}
                      </button>
                      <button type="button" class="button-small" onClick={() => setPending({ kind: 'toggle', ep })} aria-label={`${enabled ? t('users.disable') : t('users.enable')}: ${ep.name}`}>
                        {enabled ? t('users.disable') : t('users.enable')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            );
          })
        }
      />
      {pending?.kind === 'rename' && (
        <Dialog
          title={t('eps.renameTitle', { name: pending.ep.name })}
          confirmLabel={t('eps.rename')}
          ready={nameOk(newName) && newName !== pending.ep.name}
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await call('PUT', epPath(pending.ep), { body: { name: newName, description: pending.ep.description } });
            reload();
          }}
        >
          <div class="field">
            <label>
              <span>{t('eps.newName')}</span>
              <input name="new_name" value={newName} maxLength={64} autoComplete="off" aria-invalid={!nameOk(newName)} aria-describedby="ep-rename-help" onInput={(e) => setNewName((e.target as HTMLInputElement).value)} />
            </label>
            <small id="ep-rename-help" class={nameOk(newName) ? 'field-help' : 'field-error'}>{t('eps.nameRule')}</small>
          </div>
        </Dialog>
      )}
      {pending?.kind === 'toggle' && (
        <Dialog
          title={pending.ep.status === EP_ENABLED ? t('eps.disableTitle', { name: pending.ep.name }) : t('eps.enableTitle', { name: pending.ep.name })}
          confirmLabel={pending.ep.status === EP_ENABLED ? t('users.disable') : t('users.enable')}
          danger={pending.ep.status === EP_ENABLED}
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await call('POST', `${epPath(pending.ep)}/action`, { body: { action: pending.ep.status === EP_ENABLED ? 'disable' : 'enable' } });
            reload();
          }}
        >
          <p>{pending.ep.status === EP_ENABLED ? t('eps.disableBody') : t('eps.enableBody')}</p>
        </Dialog>
      )}
    </section>
  );
}

function CreateProject({ onCreated }: { onCreated: () => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const bad = !nameOk(name);
  const submit = async (event: Event) => {
    event.preventDefault();
    setTried(true);
    if (bad) return;
    setBusy(true);
    setError(null);
    try {
      await call('POST', BASE, { body: { name, description } });
      setName('');
      setDescription('');
      setTried(false);
      onCreated();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel form form-row" onSubmit={submit} noValidate aria-labelledby="create-ep-title">
      <h2 id="create-ep-title">{t('eps.create')}</h2>
      <div class="form-fields">
        <div class="field">
          <label>
            <span>{t('eps.name')}</span>
            <input name="ep_name" value={name} maxLength={64} autoComplete="off" aria-invalid={tried && bad} aria-describedby="ep-name-help" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <small id="ep-name-help" class={tried && bad ? 'field-error' : 'field-help'}>{t('eps.nameRule')}</small>
        </div>
        <label class="field">
          <span>{t('users.description')}</span>
          <input name="ep_description" value={description} maxLength={512} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      {error !== null && <ErrorNotice error={error} />}
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled={busy}>{busy ? t('common.working') : t('eps.createSubmit')}</button>
      </div>
    </form>
  );
}
