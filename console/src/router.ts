import { createStore, useStore } from './store';

/** Every page lives under the base the server serves the console at. */
const BASE = '/console';

interface Location {
  /** the path below BASE, starting with '/' */
  path: string;
  query: URLSearchParams;
}

function current(): Location {
  const full = window.location.pathname;
  const below = full.startsWith(BASE) ? full.slice(BASE.length) : full;
  return { path: below === '' ? '/' : below, query: new URLSearchParams(window.location.search) };
}

const location = createStore<Location>(current());
window.addEventListener('popstate', () => location.set(current()));

export function useLocation(): Location {
  return useStore(location);
}

export function hrefOf(path: string, query?: URLSearchParams | Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return `${BASE}${path}${search === '' ? '' : `?${search}`}`;
}

/**
 * replace: the new state stands in for the current history entry (a search being typed, a
 * redirect) rather than adding one that Back would step through.
 */
export function navigate(path: string, query?: URLSearchParams | Record<string, string>, options: { replace?: boolean } = {}): void {
  const href = hrefOf(path, query);
  if (href === `${window.location.pathname}${window.location.search}`) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  location.set(current());
}

/**
 * The first pattern that matches path, with its parameters: '/workspaces/:id' matches
 * '/workspaces/abc' with { id: 'abc' }. Patterns are whole paths; a trailing slash is ignored.
 */
export function matchPath<T>(routes: ReadonlyArray<readonly [pattern: string, value: T]>, path: string): { value: T; params: Record<string, string> } | null {
  const parts = path.replace(/\/+$/, '').split('/');
  for (const [pattern, value] of routes) {
    const wanted = pattern.split('/');
    if (wanted.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const matches = wanted.every((segment, i) => {
      if (segment.startsWith(':')) {
        try {
          params[segment.slice(1)] = decodeURIComponent(parts[i]!);
        } catch {
          return false;
        }
        return parts[i] !== '';
      }
      return segment === parts[i];
    });
    if (matches) return { value, params };
  }
  return null;
}
