import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { signOut } from '../auth';
import { useT } from '../i18n';
import { hrefOf, navigate, useLocation } from '../router';
import type { Session } from '../session';
import { ROOT_NAV, useIsRoot } from '../role';
import { LanguageSwitch } from './LanguageSwitch';

/** The navigation's pages; a page added to the console gets its entry here and its route in app.tsx. */
const NAV = [{ path: '/workspaces', label: 'nav.workspaces' }] as const;

/** A link the router follows without reloading the page (a modified click still opens a new tab). */
export function Link({ path, query, children, ...rest }: { path: string; query?: Record<string, string>; children: ComponentChildren; class?: string; 'aria-current'?: 'page' }) {
  return (
    <a
      {...rest}
      href={hrefOf(path, query)}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(path, query);
      }}
    >
      {children}
    </a>
  );
}

export function Shell({ session, children }: { session: Session | null; children: ComponentChildren }) {
  const t = useT();
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstPath = useRef(path);
  // A new page gets the focus, as a page load would give it: a screen reader starts reading there.
  useEffect(() => {
    if (path !== firstPath.current) main.current?.focus();
    firstPath.current = '';
  }, [path]);
  const nav = [...NAV, ...(useIsRoot() === true ? ROOT_NAV : [])];
  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header class="topbar">
        <span class="brand">{t('app.title')}</span>
        {session && (
          <nav aria-label={t('nav.main')} class="nav">
            {nav.map((item) => (
              <Link key={item.path} path={item.path} aria-current={path.startsWith(item.path) ? 'page' : undefined}>
                {t(item.label)}
              </Link>
            ))}
          </nav>
        )}
        <div class="topbar-end">
          <LanguageSwitch />
          {session && (
            <>
              <span class="whoami">{t('session.signedInAs', { user: session.userName, project: session.projectName })}</span>
              <button type="button" class="button-quiet" onClick={() => void signOut()}>
                {t('session.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        {children}
      </main>
    </>
  );
}
