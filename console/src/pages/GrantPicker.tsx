import { useState } from 'preact/hooks';
import { useT } from '../i18n';
import { useAccountUsers } from './loaders';

export interface GrantChoice {
  user_id?: string;
  user_name: string;
  user_type?: string;
}

/**
 * The users an internal workspace is granted to. The root user picks from the account's users;
 * anyone else cannot list them (the API refuses), so they type user names, which the server checks.
 */
export function GrantPicker({ grants, onChange }: { grants: GrantChoice[]; onChange: (grants: GrantChoice[]) => void }) {
  const t = useT();
  const users = useAccountUsers();
  const [typed, setTyped] = useState('');
  const chosen = new Set(grants.map((g) => g.user_name));

  if (users === 'loading') return <p class="muted" role="status">{t('common.loading')}</p>;
  if (Array.isArray(users)) {
    const listed = new Set(users.map((u) => u.name));
    // Grants of users the list does not show (federated users, agencies) stay as they were.
    const others = grants.filter((g) => !listed.has(g.user_name));
    const toggle = (name: string, id: string, on: boolean) =>
      onChange(on ? [...grants, { user_id: id, user_name: name }] : grants.filter((g) => g.user_name !== name));
    const candidates = users.filter((u) => !u.is_root);
    return (
      <fieldset class="field">
        <legend>{t('wsf.grants')}</legend>
        <small class="field-help">{t('wsf.grants.help')}</small>
        {candidates.length === 0 && others.length === 0 && <p class="muted">{t('wsf.grants.noUsers')}</p>}
        <div class="choices choices-grid">
          {candidates.map((u) => (
            <label key={u.id} class="checkbox">
              <input type="checkbox" name="grant" value={u.name} checked={chosen.has(u.name)} onChange={(e) => toggle(u.name, u.id, (e.target as HTMLInputElement).checked)} />
              <span>{u.name}</span>
            </label>
          ))}
          {others.map((g) => (
            <label key={g.user_name} class="checkbox">
              <input type="checkbox" name="grant" value={g.user_name} checked onChange={() => onChange(grants.filter((x) => x !== g))} />
              <span>
                {g.user_name} {g.user_type && <small class="muted">{g.user_type}</small>}
              </span>
            </label>
          ))}
        </div>
      </fieldset>
    );
  }

  const add = () => {
    const name = typed.trim();
    if (name !== '' && !chosen.has(name)) onChange([...grants, { user_name: name }]);
    setTyped('');
  };
  return (
    <fieldset class="field">
      <legend>{t('wsf.grants')}</legend>
      <small class="field-help">{t('wsf.grants.byName')}</small>
      <div class="inline-form">
        <label class="field field-inline">
          <span>{t('wsf.grants.userName')}</span>
          <input
            name="grant_user_name"
            value={typed}
            maxLength={64}
            onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
        </label>
        <button type="button" onClick={add}>
          {t('wsf.grants.add')}
        </button>
      </div>
      {grants.length > 0 && (
        <ul class="chips">
          {grants.map((g) => (
            <li key={g.user_name}>
              {g.user_name}
              <button type="button" class="button-small" aria-label={t('wsf.grants.remove', { name: g.user_name })} onClick={() => onChange(grants.filter((x) => x !== g))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
