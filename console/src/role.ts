import { useEffect } from 'preact/hooks';
import { ApiError, call } from './api';
import type { MessageKey } from './i18n';
import { isExpired, type Session, session } from './session';
import { createStore, useStore } from './store';

/** The IAM pages and the audit trail, in the navigation of the root user only (the API refuses everyone else anyway). */
export const ROOT_NAV: ReadonlyArray<{ path: string; label: MessageKey }> = [
  { path: '/iam/users', label: 'nav.users' },
  { path: '/iam/access-keys', label: 'nav.accessKeys' },
  { path: '/iam/enterprise-projects', label: 'nav.enterpriseProjects' },
  { path: '/traces', label: 'nav.traces' },
];

/**
 * Whether the signed-in user is the account's root user, as the API answers it: listing the
 * account's users is the root user's alone (403 for anyone else). Asked once per token.
 */
const answer = createStore<{ token: string; root: boolean } | null>(null);
let asking: string | null = null;

function ask(current: Session): void {
  if (asking === current.token) return;
  asking = current.token;
  call('GET', '/v3/users', { query: { name: current.userName } }).then(
    () => answer.set({ token: current.token, root: true }),
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 403) answer.set({ token: current.token, root: false });
      // Anything else (the network) is asked again by the next page that wants to know.
      else asking = null;
    },
  );
}

/** true or false once the API has answered for this session; null until then. */
export function useIsRoot(): boolean | null {
  const current = useStore(session);
  const known = useStore(answer);
  useEffect(() => {
    if (current !== null && !isExpired(current)) ask(current);
  }, [current?.token]);
  return current !== null && known?.token === current.token ? known.root : null;
}
