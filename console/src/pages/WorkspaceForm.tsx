import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, projectPath } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { Link } from '../components/Shell';
import { type MessageKey, useT } from '../i18n';
import { navigate } from '../router';
import type { WorkspaceView } from '../types-pages';
import { GrantPicker, type GrantChoice } from './GrantPicker';
import { EP_ENABLED, useEnterpriseProjectList, useGet } from './loaders';
import { DESCRIPTION_MAX, NAME_MAX, nameProblem } from './workspace-rules';

const AUTH_TYPES = ['public', 'private', 'internal'] as const;
type AuthType = (typeof AUTH_TYPES)[number];
/** the API's answer to a name taken in the project */
const NAME_TAKEN = 'ModelArts.0103';

interface FormState {
  name: string;
  description: string;
  authType: AuthType;
  enterpriseProjectId: string;
  grants: GrantChoice[];
}

function fromWorkspace(w: WorkspaceView): FormState {
  // The API accepts any case and answers lower-case, but an upper-case INTERNAL (as some of the
  // cloud's examples show) must not turn into 'public' on saving the form.
  const authType = w.auth_type.toLowerCase();
  return {
    name: w.name,
    description: w.description,
    authType: (AUTH_TYPES as readonly string[]).includes(authType) ? (authType as AuthType) : 'public',
    enterpriseProjectId: w.enterprise_project_id,
    grants: w.grants.map((g) => ({ user_id: g.user_id, user_name: g.user_name, user_type: g.user_type })),
  };
}

export function WorkspaceCreatePage() {
  return <WorkspaceForm initial={{ name: '', description: '', authType: 'public', enterpriseProjectId: '0', grants: [] }} />;
}

export function WorkspaceEditPage({ id }: { id?: string }) {
  const t = useT();
  const [loaded, reload] = useGet<WorkspaceView>(projectPath(`/workspaces/${encodeURIComponent(id!)}`));
  if (loaded.state === 'loading') return <p class="muted" role="status">{t('common.loading')}</p>;
  if (loaded.state === 'failed') return <section class="page"><h1>{t('wsf.editTitle')}</h1><ErrorNotice error={loaded.error} onRetry={reload} /></section>;
  return <WorkspaceForm workspace={loaded.value} initial={fromWorkspace(loaded.value)} />;
}

function WorkspaceForm({ workspace, initial }: { workspace?: WorkspaceView; initial: FormState }) {
  const t = useT();
  const editing = workspace !== undefined;
  const isDefault = workspace?.id === '0';
  const [form, setForm] = useState(initial);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [takenName, setTakenName] = useState<string | null>(null);
  const enterpriseProjects = useEnterpriseProjectList();
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));

  const problem: MessageKey | null = isDefault ? null : nameProblem(form.name);
  const nameError = touched && problem ? t(problem) : takenName === form.name ? t('wsf.name.taken') : null;
  useEffect(() => {
    if (takenName !== null && takenName !== form.name) setTakenName(null);
  }, [form.name]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setTouched(true);
    if (problem) {
      document.getElementById('ws-name')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const grants = form.authType === 'internal' ? form.grants.map((g) => ({ ...(g.user_id ? { user_id: g.user_id } : {}), user_name: g.user_name, ...(g.user_type ? { user_type: g.user_type } : {}) })) : undefined;
    try {
      if (editing) {
        await call('PUT', projectPath(`/workspaces/${encodeURIComponent(workspace.id)}`), {
          body: { ...(isDefault ? {} : { name: form.name }), description: form.description, ...(isDefault ? {} : { auth_type: form.authType }), ...(grants ? { grants } : {}) },
        });
        navigate(`/workspaces/${encodeURIComponent(workspace.id)}`);
      } else {
        const { body } = await call<WorkspaceView>('POST', projectPath('/workspaces'), {
          body: { name: form.name, description: form.description, auth_type: form.authType, enterprise_project_id: form.enterpriseProjectId, ...(grants ? { grants } : {}) },
        });
        navigate(`/workspaces/${encodeURIComponent(body.id)}`);
      }
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === NAME_TAKEN) {
        setTakenName(form.name);
        document.getElementById('ws-name')?.focus();
      }
      setError(failure);
      setBusy(false);
    }
  };

  const selectableProjects = (enterpriseProjects ?? []).filter((ep) => ep.status === EP_ENABLED || ep.id === form.enterpriseProjectId);
  const title = editing ? t('wsf.editTitle') : t('wsf.createTitle');
  return (
    <section class="page" aria-labelledby="wsf-title">
      <nav class="breadcrumbs" aria-label={t('common.breadcrumbs')}>
        <Link path="/workspaces">{t('ws.title')}</Link>
        {workspace && (
          <>
            {' / '}
            <Link path={`/workspaces/${encodeURIComponent(workspace.id)}`}>{workspace.name}</Link>
          </>
        )}
      </nav>
      <h1 id="wsf-title">{title}</h1>
      <form class="form panel" onSubmit={submit} noValidate>
        <div class="field">
          <label>
            <span>{t('wsf.name')}</span>
            <input
              id="ws-name"
              name="name"
              value={form.name}
              maxLength={NAME_MAX}
              disabled={isDefault}
              autoComplete="off"
              aria-invalid={nameError !== null}
              aria-describedby="ws-name-help"
              onInput={(e) => set({ name: (e.target as HTMLInputElement).value })}
              onBlur={() => form.name !== '' && setTouched(true)}
            />
          </label>
          <small id="ws-name-help" class={nameError ? 'field-error' : 'field-help'}>
            {nameError ?? (isDefault ? t('wsf.name.default') : t('wsf.name.help'))}
          </small>
        </div>
        <label class="field">
          <span>{t('wsf.description')}</span>
          <textarea name="description" rows={3} maxLength={DESCRIPTION_MAX} value={form.description} onInput={(e) => set({ description: (e.target as HTMLTextAreaElement).value })} />
        </label>
        <fieldset class="field" disabled={isDefault}>
          <legend>{t('wsf.authType')}</legend>
          <div class="choices">
            {AUTH_TYPES.map((type) => (
              <label key={type} class="checkbox">
                <input type="radio" name="auth_type" value={type} checked={form.authType === type} onChange={() => set({ authType: type })} />
                <span>
                  {t(`auth.${type}` as MessageKey)} <small class="muted">{t(`wsf.auth.${type}` as MessageKey)}</small>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {form.authType === 'internal' && <GrantPicker grants={form.grants} onChange={(grants) => set({ grants })} />}
        <div class="field">
          <label>
            <span>{t('ws.ep')}</span>
            {editing ? (
              <input name="enterprise_project_id" value={workspace.enterprise_project_name || workspace.enterprise_project_id} disabled aria-describedby="ws-ep-help" />
            ) : (
              <select name="enterprise_project_id" value={form.enterpriseProjectId} onChange={(e) => set({ enterpriseProjectId: (e.target as HTMLSelectElement).value })}>
                {enterpriseProjects === null && <option value="0">default</option>}
                {selectableProjects.map((ep) => (
                  <option key={ep.id} value={ep.id}>
                    {ep.name}
                  </option>
                ))}
              </select>
            )}
          </label>
          {editing && <small id="ws-ep-help" class="field-help">{t('wsf.ep.fixed')}</small>}
        </div>
        {error !== null && <ErrorNotice error={error} />}
        <div class="form-actions">
          <Link path={editing ? `/workspaces/${encodeURIComponent(workspace.id)}` : '/workspaces'} class="button-link">
            {t('common.cancel')}
          </Link>
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? t('common.working') : editing ? t('wsf.save') : t('wsf.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
