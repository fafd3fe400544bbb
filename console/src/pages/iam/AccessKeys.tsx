import { useState } from 'preact/hooks';
import { call } from '../../api';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { useFocusOnMount } from '../../components/useFocusOnMount';
import { LoadedTable } from '../../components/LoadedTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatTime, language, useT } from '../../i18n';
import { useStore } from '../../store';
import type { CreatedCredentialView, CredentialList, CredentialView, UserList } from '../../types-pages';
import { useGet } from '../loaders';
import { RootOnly } from '../RootOnly';
import { credentialsCsv, downloadText } from './credentials-csv';

const BASE = '/v3.0/OS-CREDENTIAL/credentials';
type Pending = { kind: 'toggle' | 'delete'; key: CredentialView } | null;

export function AccessKeysPage() {
  return (
    <RootOnly>
      <AccessKeys />
    </RootOnly>
  );
}

function AccessKeys() {
  const t = useT();
  const lang = useStore(language);
  const [keys, reload] = useGet<CredentialList>(BASE);
  const [users] = useGet<UserList>('/v3/users');
  const [pending, setPending] = useState<Pending>(null);
  // The secret lives in this page's memory only: the API never shows it again, neither does the console.
  const [created, setCreated] = useState<{ key: CreatedCredentialView; userName: string } | null>(null);
  const userList = users.state === 'ready' ? users.value.users : [];
  const nameOf = (id: string) => userList.find((u) => u.id === id)?.name ?? id;
  const keyPath = (k: CredentialView) => `${BASE}/${encodeURIComponent(k.access)}`;

  return (
    <section class="page" aria-labelledby="keys-title">
      <div class="page-head">
        <h1 id="keys-title">{t('keys.title')}</h1>
      </div>
      {created ? (
        <NewSecret created={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateKey
          users={userList}
          onCreated={(key) => {
            setCreated({ key, userName: nameOf(key.user_id) });
            reload();
          }}
        />
      )}
      <LoadedTable
        loaded={keys}
        onRetry={reload}
        headings={[t('keys.accessKey'), t('keys.user'), t('users.status'), t('users.description'), t('ws.col.created'), t('ws.col.actions')]}
        empty={{ when: (v) => v.credentials.length === 0, text: t('keys.empty') }}
        rows={(v) =>
          v.credentials.map((k) => (
            <tr key={k.access} data-access-key={k.access}>
              <th scope="row"><code>{k.access}</code></th>
              <td>{nameOf(k.user_id)}</td>
              <td>
                <span class={`badge ${k.status === 'active' ? 'badge-normal' : 'badge-delete-failed'}`}>{k.status === 'active' ? t('keys.active') : t('keys.inactive')}</span>
              </td>
              <td class="cell-wrap">{k.description}</td>
              <td><time dateTime={k.create_time}>{formatTime(lang, Date.parse(k.create_time))}</time></td>
              <td class="row-actions">
                <button type="button" class="button-small" onClick={() => setPending({ kind: 'toggle', key: k })} aria-label={`${k.status === 'active' ? t('keys.disable') : t('keys.enable')}: ${k.access}`}>
                  {k.status === 'active' ? t('keys.disable') : t('keys.enable')}
                </button>
                <button type="button" class="button-small button-danger" onClick={() => setPending({ kind: 'delete', key: k })} aria-label={`${t('keys.delete')}: ${k.access}`}>
                  {t('keys.delete')}
                </button>
              </td>
            </tr>
          ))
        }
      />
      {pending?.kind === 'toggle' && (
        <Dialog
          title={pending.key.status === 'active' ? t('keys.disableTitle', { key: pending.key.access }) : t('keys.enableTitle', { key: pending.key.access })}
          confirmLabel={pending.key.status === 'active' ? t('keys.disable') : t('keys.enable')}
          danger={pending.key.status === 'active'}
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await call('PUT', keyPath(pending.key), { body: { credential: { status: pending.key.status === 'active' ? 'inactive' : 'active' } } });
            reload();
          }}
        >
          <p>{pending.key.status === 'active' ? t('keys.disableBody') : t('keys.enableBody')}</p>
        </Dialog>
      )}
      {pending?.kind === 'delete' && (
        <Dialog
          title={t('keys.deleteTitle', { key: pending.key.access })}
          confirmLabel={t('keys.delete')}
          danger
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await call('DELETE', keyPath(pending.key));
            reload();
          }}
        >
          <p>{t('keys.deleteBody')}</p>
        </Dialog>
      )}
    </section>
  );
}

function CreateKey({ users, onCreated }: { users: UserList['users']; onCreated: (key: CreatedCredentialView) => void }) {
  const t = useT();
  const [userId, setUserId] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const chosen = userId || users[0]?.id || '';
  const submit = async (event: Event) => {
    event.preventDefault();
    if (chosen === '') return;
    setBusy(true);
    setError(null);
    try {
      const { body } = await call<{ credential: CreatedCredentialView }>('POST', BASE, { body: { credential: { user_id: chosen, description } } });
      onCreated(body.credential);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <form class="panel form form-row" onSubmit={submit} aria-labelledby="create-key-title">
      <h2 id="create-key-title">{t('keys.create')}</h2>
      <div class="form-fields">
        <label class="field">
          <span>{t('keys.user')}</span>
          <select name="user_id" value={chosen} onChange={(e) => setUserId((e.target as HTMLSelectElement).value)}>
            {users.map((u) => (
              <option key={u.id} value={u.id}>{u.name}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('users.description')}</span>
          <input name="key_description" value={description} maxLength={255} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <small class="field-help">{t('keys.limit')}</small>
      {error !== null && <ErrorNotice error={error} />}
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled={busy || chosen === ''}>{busy ? t('common.working') : t('keys.createSubmit')}</button>
      </div>
    </form>
  );
}

function NewSecret({ created, onDone }: { created: { key: CreatedCredentialView; userName: string }; onDone: () => void }) {
  const t = useT();
  const { key, userName } = created;
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <section class="panel secret" aria-labelledby="secret-title" role="region">
      <h2 id="secret-title" tabIndex={-1} ref={heading}>{t('keys.createdTitle')}</h2>
      <p class="notice notice-warning">{t('keys.once')}</p>
      <dl class="facts">
        <div class="fact">
          <dt>{t('keys.accessKey')}</dt>
          <dd><code data-testid="new-access-key">{key.access}</code> <CopyButton text={key.access} label={t('keys.copyAccessKey')} /></dd>
        </div>
        <div class="fact">
          <dt>{t('keys.secretKey')}</dt>
          <dd><code data-testid="new-secret-key">{key.secret}</code> <CopyButton text={key.secret} label={t('keys.copySecret')} /></dd>
        </div>
      </dl>
      <div class="form-actions">
        <button type="button" class="button-primary" onClick={() => downloadText('credentials.csv', credentialsCsv(userName, key.access, key.secret))}>
          {t('keys.download')}
        </button>
        <button type="button" onClick={onDone}>{t('keys.done')}</button>
      </div>
    </section>
  );
}
