import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { signIn } from '../auth';
import { ErrorNotice } from '../components/ErrorNotice';
import { useT } from '../i18n';
import { navigate, useLocation } from '../router';

const LAST_KEY = 'maws.console.lastSignIn';
/** IAM's answer to a locked user's sign-in (README, Login protection) */
const LOCKED = 'The account is locked.';

/** Account, user and project of the last sign-in, never the password. */
function remembered(): { domain: string; user: string; project: string } {
  try {
    return { domain: '', user: '', project: '', ...JSON.parse(localStorage.getItem(LAST_KEY) ?? '{}') };
  } catch {
    return { domain: '', user: '', project: '' };
  }
}

/** Only a page of the console: never an address elsewhere that a crafted link would send the user to. */
function nextPage(next: string | null): { path: string; query: URLSearchParams } {
  if (next === null || !next.startsWith('/console/') || next.startsWith('/console/sign-in')) return { path: '/workspaces', query: new URLSearchParams() };
  const url = new URL(next, window.location.origin);
  return { path: url.pathname.slice('/console'.length), query: url.searchParams };
}

export function SignInPage() {
  const t = useT();
  const { query } = useLocation();
  const [fields, setFields] = useState(() => ({ ...remembered(), password: '' }));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ kind: 'wrong' | 'locked' | 'required' } | { kind: 'error'; error: unknown } | null>(null);
  const reason = query.get('reason');
  const form = useRef<HTMLFormElement>(null);
  // The first field still to fill gets the focus (the password, after a remembered sign-in).
  useEffect(() => {
    const inputs = [...(form.current?.querySelectorAll('input') ?? [])];
    inputs.find((input) => input.value === '')?.focus();
  }, []);

  const onInput = (name: keyof typeof fields) => (event: Event) => setFields({ ...fields, [name]: (event.target as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    if (Object.values(fields).some((v) => v.trim() === '')) return setProblem({ kind: 'required' });
    setBusy(true);
    setProblem(null);
    try {
      await signIn({ domain: fields.domain.trim(), user: fields.user.trim(), password: fields.password, project: fields.project.trim() });
      localStorage.setItem(LAST_KEY, JSON.stringify({ domain: fields.domain.trim(), user: fields.user.trim(), project: fields.project.trim() }));
      const next = nextPage(query.get('next'));
      navigate(next.path, next.query, { replace: true });
    } catch (error) {
      const wrong = error instanceof ApiError && error.status === 401;
      // The lock shares its code with a wrong password; the cloud's message tells them apart.
      const locked = wrong && error.message === LOCKED;
      setProblem(locked ? { kind: 'locked' } : wrong ? { kind: 'wrong' } : { kind: 'error', error });
      setBusy(false);
      if (wrong) {
        setFields((current) => ({ ...current, password: '' }));
        form.current?.querySelector<HTMLInputElement>('input[name="password"]')?.focus();
      }
    }
  };

  return (
    <section class="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <p class="muted">{t('signIn.intro')}</p>
      {reason === 'expired' && (
        <p class="notice notice-warning" role="status">
          {t('session.expired')}
        </p>
      )}
      {reason === 'signed-out' && (
        <p class="notice notice-info" role="status">
          {t('session.signedOut')}
        </p>
      )}
      <form onSubmit={submit} noValidate ref={form}>
        <label class="field">
          <span>{t('signIn.domain')}</span>
          <input name="domain" autoComplete="organization" value={fields.domain} onInput={onInput('domain')} required />
        </label>
        <label class="field">
          <span>{t('signIn.user')}</span>
          <input name="user" autoComplete="username" value={fields.user} onInput={onInput('user')} required />
        </label>
        <label class="field">
          <span>{t('signIn.password')}</span>
          <input name="password" type="password" autoComplete="current-password" value={fields.password} onInput={onInput('password')} required />
        </label>
        <label class="field">
          <span>{t('signIn.project')}</span>
          <input name="project" value={fields.project} onInput={onInput('project')} placeholder={t('signIn.projectHint')} required />
        </label>
        {problem?.kind === 'wrong' && (
          <p class="notice notice-error" role="alert">
            {t('signIn.failed')}
          </p>
        )}
        {problem?.kind === 'locked' && (
          <p class="notice notice-error" role="alert">
            {t('signIn.locked')}
          </p>
        )}
        {problem?.kind === 'required' && (
          <p class="notice notice-error" role="alert">
            {t('signIn.required')}
          </p>
        )}
        {problem?.kind === 'error' && <ErrorNotice error={problem.error} />}
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}
