import { useState } from 'preact/hooks';
import { call } from '../../api';
import { Dialog } from '../../components/Dialog';
import { LoadedTable } from '../../components/LoadedTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatTime, language, useT } from '../../i18n';
import { useStore } from '../../store';
import type { UserList, UserView } from '../../types-pages';
import { useGet } from '../loaders';
import { RootOnly } from '../RootOnly';

/** IAM's password rule (src/iam/password.ts): 8–32 characters of at least two kinds. */
function passwordProblem(password: string): boolean {
  if (password.length < 8 || password.length > 32) return true;
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((kind) => kind.test(password)).length;
  return kinds < 2;
}

type Pending = { kind: 'toggle' | 'password' | 'delete'; user: UserView } | null;

export function UsersPage() {
  return (
    <RootOnly>
      <Users />
    </RootOnly>
  );
}

function Users() {
  const t = useT();
  const lang = useStore(language);
  const [loaded, reload] = useGet<UserList>('/v3/users');
  const [pending, setPending] = useState<Pending>(null);
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const userPath = (u: UserView) => `/v3/users/${encodeURIComponent(u.id)}`;

  return (
    <section class="page" aria-labelledby="users-title">
      <div class="page-head">
        <h1 id="users-title">{t('users.title')}</h1>
      </div>
      <CreateUser onCreated={(name) => { setCreated(name); reload(); }} />
      {created && <p class="notice notice-info" role="status">{t('users.created', { name: created })}</p>}
      <LoadedTable
        loaded={loaded}
        onRetry={reload}
        headings={[t('users.name'), t('users.status'), t('users.description'), t('ws.col.created'), t('ws.col.actions')]}
        rows={(v) =>
          v.users.map((u) => (
            <tr key={u.id} data-user={u.name}>
              <th scope="row">
                {u.name} {u.is_root && <span class="badge">{t('users.root')}</span>}
              </th>
              <td>
                <span class={`badge ${u.enabled ? 'badge-normal' : 'badge-delete-failed'}`}>{u.enabled ? t('users.enabled') : t('users.disabled')}</span>
              </td>
              <td class="cell-wrap">{u.description}</td>
              <td><time dateTime={u.created_at}>{formatTime(lang, Date.parse(u.created_at))}</time></td>
              <td class="row-actions">
                {!u.is_root && (
                  <button type="button" class="button-small" onClick={() => setPending({ kind: 'toggle', user: u })} aria-label={`${u.enabled ? t('users.disable') : t('users.enable')}: ${u.name}`}>
                    {u.enabled ? t('users.disable') : t('users.enable')}
                  </button>
                )}
                <button type="button" class="button-small" onClick={() => { setPassword(''); setPending({ kind: 'password', user: u }); }} aria-label={`${t('users.resetPassword')}: ${u.name}`}>
                  {t('users.resetPassword')}
                </button>
                {!u.is_root && (
                  <button type="button" class="button-small button-danger" onClick={() => setPending({ kind: 'delete', user: u })} aria-label={`${t('users.delete')}: ${u.name}`}>
                    {t('users.delete')}
                  </button>
                )}
              </td>
            </tr>
          ))
        }
      />

      {pending?.kind === 'toggle' && (
        <Dialog
          title={pending.user.enabled ? t('users.disableTitle', { name: pending.user.name }) : t('users.enableTitle', { name: pending.user.name })}
          confirmLabel={pending.user.enabled ? t('users.disable') : t('users.enable')}
          danger={pending.user.enabled}
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await call('PATCH', userPath(pending.user), { body: { user: { enabled: !pending.user.enabled } } });
            reload();
          }}
        >
          <p>{pending.user.enabled ? t('users.disableBody') : t('users.enableBody')}</p>
        </Dialog>
      )}
      {pending?.kind === 'password' && (
        <Dialog
          title={t('users.resetTitle', { name: pending.user.name })}
          confirmLabel={t('users.resetPassword')}
          ready={!passwordProblem(password)}
          onClose={() => setPending(null)}
          onConfirm={() => call('PATCH', userPath(pending.user), { body: { user: { password } } }).then(() => undefined)}
        >
          <div class="field">
            <label>
              <span>{t('users.newPassword')}</span>
              <input type="password" name="new_password" autoComplete="new-password" value={password} aria-describedby="reset-help" onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
            </label>
            <small id="reset-help" class="field-help">{t('users.passwordRule')}</small>
          </div>
          <p class="muted">{t('users.resetBody')}</p>
        </Dialog>
      )}
      {pending?.kind === 'delete' && (
        <Dialog
          title={t('users.deleteTitle', { name: pending.user.name })}
          confirmLabel={t('users.delete')}
          danger
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await call('DELETE', userPath(pending.user));
            reload();
          }}
        >
          <p>{t('users.deleteBody')}</p>
        </Dialog>
      )}
    </section>
  );
}

const USER_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

function CreateUser({ onCreated }: { onCreated: (name: string) => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [description, setDescription] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const nameBad = !USER_NAME.test(name);
  const passwordBad = passwordProblem(password);
  const submit = async (event: Event) => {
    event.preventDefault();
    setTried(true);
    if (nameBad || passwordBad) return;
    setBusy(true);
    setError(null);
    try {
      await call('POST', '/v3/users', { body: { user: { name, password, description } } });
      setName('');
      setPassword('');
      setDescription('');
      setTried(false);
      onCreated(name);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel form form-row" onSubmit={submit} noValidate aria-labelledby="create-user-title">
      <h2 id="create-user-title">{t('users.create')}</h2>
      <div class="form-fields">
        <div class="field">
          <label>
            <span>{t('users.name')}</span>
            <input name="user_name" value={name} maxLength={64} autoComplete="off" aria-invalid={tried && nameBad} aria-describedby="new-user-name-help" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <small id="new-user-name-help" class={tried && nameBad ? 'field-error' : 'field-help'}>{t('users.nameRule')}</small>
        </div>
        <div class="field">
          <label>
            <span>{t('users.password')}</span>
            <input type="password" name="user_password" value={password} autoComplete="new-password" aria-invalid={tried && passwordBad} aria-describedby="new-user-password-help" onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </label>
          <small id="new-user-password-help" class={tried && passwordBad ? 'field-error' : 'field-help'}>{t('users.passwordRule')}</small>
        </div>
        <label class="field">
          <span>{t('users.description')}</span>
          <input name="user_description" value={description} maxLength={255} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      {error !== null && <ErrorNotice error={error} />}
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled={busy}>{busy ? t('common.working') : t('users.createSubmit')}</button>
      </div>
    </form>
  );
}
