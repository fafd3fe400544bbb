import { call } from './api';
import { navigate } from './router';
import { clearSession, saveSession, session, type Session } from './session';

interface TokenBody {
  token: { expires_at: string; user: { name: string; domain: { name: string } }; project?: { id: string; name: string } };
}

interface Credentials {
  domain: string;
  user: string;
  password: string;
  project: string;
}

/** POST /v3/auth/tokens, scoped to the project: the token the SDKs would get. */
export async function signIn(credentials: Credentials): Promise<Session> {
  const { body, headers } = await call<TokenBody>('POST', '/v3/auth/tokens', {
    anonymous: true,
    body: {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: credentials.user, password: credentials.password, domain: { name: credentials.domain } } },
        },
        scope: { project: { name: credentials.project } },
      },
    },
  });
  const token = headers.get('x-subject-token');
  const project = body.token.project;
  if (token === null || project === undefined) throw new Error('the token answer has no X-Subject-Token or project');
  const value: Session = {
    token,
    expiresAt: Date.parse(body.token.expires_at),
    userName: body.token.user.name,
    domainName: body.token.user.domain.name,
    projectId: project.id,
    projectName: project.name,
  };
  saveSession(value);
  return value;
}

/** Revokes the token (DELETE /v3/auth/tokens), then forgets it even when the revocation failed. */
export async function signOut(): Promise<void> {
  const current = session.get();
  if (current !== null) {
    await call('DELETE', '/v3/auth/tokens', { session: current, headers: { 'x-subject-token': current.token } }).catch(() => undefined);
  }
  clearSession();
  navigate('/sign-in', { reason: 'signed-out' }, { replace: true });
}
