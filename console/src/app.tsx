import { useEffect } from 'preact/hooks';
import { expireSession } from './api';
import { Shell } from './components/Shell';
import { language, translate } from './i18n';
import { NotFoundPage } from './pages/NotFound';
import { MORE_PAGES } from './pages/more-pages';
import { SignInPage } from './pages/SignIn';
import { WorkspacesPage } from './pages/Workspaces';
import { matchRoute, navigate, useLocation } from './router';
import { isExpired, session } from './session';
import { useStore } from './store';

/** The pages a signed-in user reaches, by path below /console (':id' takes a part of the path). */
const PAGES: Record<string, (params: Record<string, string>) => preact.JSX.Element> = {
  '/workspaces': WorkspacesPage,
  ...MORE_PAGES,
};

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

  if (signingIn) {
    return (
      <Shell session={null}>
        <SignInPage />
      </Shell>
    );
  }
  if (current === null || location.path === '/') return <Shell session={null}>{null}</Shell>;
  const route = matchRoute(Object.keys(PAGES), location.path);
  const Page = route ? PAGES[route.pattern]! : NotFoundPage;
  return (
    <Shell session={current}>
      <Page key={location.path} {...route?.params} />
    </Shell>
  );
}
