import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../api';
import type { EnterpriseProjectList, EnterpriseProjectView } from '../types';
import type { UserList, UserView } from '../types-pages';

export type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; error: unknown };

/** GET path once per reload, cancelled when the page goes away; reload() asks again. */
export function useGet<T>(path: string | null, query?: Record<string, string | number>): [Loaded<T>, () => void, (value: T) => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [reloads, setReloads] = useState(0);
  const queryKey = JSON.stringify(query ?? {});
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    call<T>('GET', path, { query: JSON.parse(queryKey), signal: controller.signal }).then(
      ({ body }) => setLoaded({ state: 'ready', value: body }),
      (error: unknown) => {
        if ((error as Error).name !== 'AbortError') setLoaded({ state: 'failed', error });
      },
    );
    return () => controller.abort();
  }, [path, queryKey, reloads]);
  return [loaded, () => setReloads((n) => n + 1), (value) => setLoaded({ state: 'ready', value })];
}

/** The account's IAM users, or 'forbidden' for a user who is not root (only root may list them). */
export function useAccountUsers(): UserView[] | 'forbidden' | 'loading' | 'failed' {
  const [users] = useGet<UserList>('/v3/users');
  if (users.state === 'ready') return users.value.users;
  if (users.state === 'failed') return users.error instanceof ApiError && users.error.status === 403 ? 'forbidden' : 'failed';
  return 'loading';
}

/** The enterprise projects a user may read; null until known or when the API refuses. */
export function useEnterpriseProjectList(): EnterpriseProjectView[] | null {
  const [list] = useGet<EnterpriseProjectList>('/v1.0/enterprise-projects', { limit: 1000 });
  return list.state === 'ready' ? list.value.enterprise_projects : null;
}

export const EP_ENABLED = 1;
