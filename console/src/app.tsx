import { useEffect } from 'preact/hooks';
import { expireSession } from './api';
import { PageErrorBoundary } from './components/PageErrorBoundary';
import { Shell } from './components/Shell';
import { language, translate } from './i18n';
import { NotFoundPage } from './pages/NotFound';
import { MORE_PAGES } from './pages/more-pages';
import { SignInPage } from './pages/SignIn';
import { WorkspacesPage } from './pages/Workspaces';
import { matchPath, navigate, useLocation } from './router';
import { isExpired, session } from './session';
import { useStore } from './store';

/** setTimeout's longest delay (about 24.8 days); a longer one would fire at once */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A page gets the values of its pattern's ':name' parts as props. */
type Page = (props: Record<string, string>) => preact.JSX.Element;

/**
 * The pages a signed-in user reaches, by path below /console; the first pattern that matches
 * wins, so '/workspaces/new' comes before '/workspaces/:id'.
 */
const PAGES: ReadonlyArray<readonly [string, Page]> = [['/workspaces', WorkspacesPage], ...Object.entries(MORE_PAGES)];

export function App() {
  const location = useLocation();
  const current = useStore(session);
  const lang = useStore(language);
  const signingIn = location.path === '/sign-in';

  useEffect(() => {
    if (location.path === '/') navigate('/workspaces', undefined, { replace: true });
    else if (!signingIn && current === null) navigate('/sign-in', { next: `${window.location.pathname}${window.location.search}` }, { replace: true });
    else if (!signingIn && current !== null && isExpired(current)) expireSession();
  }, [location.path, signingIn, current]);

  useEffect(() => {
    document.title = translate(lang, 'app.title');
  }, [lang]);

  // A page left open is sent to sign in when its token expires, not at the next click.
  useEffect(() => {
    if (current === null) return;
    const session = current;
    const timer = setTimeout(() => isExpired(session) && expireSession(), Math.min(Math.max(0, current.expiresAt - Date.now()), MAX_TIMER_MS));
    return () => clearTimeout(timer);
  }, [current]);

  if (signingIn) {
    return (
      <Shell session={null}>
        <SignInPage />
      </Shell>
    );
  }
  if (current === null || location.path === '/') return <Shell session={null}>{null}</Shell>;
  const route = matchPath(PAGES, location.path);
  const Page = route?.value ?? NotFoundPage;
  return (
    <Shell session={current}>
      <PageErrorBoundary key={location.path}>
        <Page {...route?.params} />
      </PageErrorBoundary>
    </Shell>
  );
}
