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
 * The pattern ('/workspaces/:id') that path matches, with the values of its :names; a pattern
 * without any (an exact path) wins over one with them.
 */
export function matchRoute(patterns: readonly string[], path: string): { pattern: string; params: Record<string, string> } | null {
  if (patterns.includes(path)) return { pattern: path, params: {} };
  const parts = path.split('/');
  for (const pattern of patterns) {
    const wanted = pattern.split('/');
    if (!pattern.includes('/:') || wanted.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const matches = wanted.every((part, i) => {
      const actual = parts[i]!;
      if (!part.startsWith(':')) return part === actual;
      if (actual === '') return false;
      try {
        params[part.slice(1)] = decodeURIComponent(actual);
        return true;
      } catch {
        return false; // a malformed escape: no page has that id
      }
    });
    if (matches) return { pattern, params };
  }
  return null;
}
