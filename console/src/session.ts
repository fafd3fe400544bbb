import { createStore } from './store';

/** What the console keeps of a sign-in, in sessionStorage: it ends with the browser tab. */
export interface Session {
  token: string;
  /** epoch ms, from the token's expires_at */
  expiresAt: number;
  userName: string;
  domainName: string;
  projectId: string;
  projectName: string;
}

const STORAGE_KEY = 'maws.console.session';

function stored(): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    if (session === null || typeof session.token !== 'string') return null;
    return session;
  } catch {
    return null;
  }
}

export const session = createStore<Session | null>(stored());

export function saveSession(value: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  session.set(value);
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  session.set(null);
}

export function isExpired(value: Session, now = Date.now()): boolean {
  return value.expiresAt <= now;
}
