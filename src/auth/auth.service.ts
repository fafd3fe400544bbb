import { createHash, randomBytes } from 'node:crypto';
import type { ChangeTrace } from '../audit/change-trace.js';
import type { Principal, ProjectRef } from '../access/principal.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { type CredentialOwner, type DomainRow, type FailureOutcome, type IamService, NO_SUCH_ID, type User } from '../iam/iam.service.js';
import { isLocked } from '../iam/login-lockout.js';
import {
  type ReceivedRequest,
  precheckSignedRequest,
  signatureMatches,
  SIGNING_ALGORITHM,
} from './aksk-signature.js';
import { type IssuedToken, tokenBody } from './token-body.js';
import { createCredentialCache } from './credential-cache.js';

const BAD_CREDENTIALS = 'Incorrect IAM authentication information';

function unauthenticated(detail: string): AppError {
  return new AppError('unauthenticated', `${BAD_CREDENTIALS}: ${detail}`);
}

const WRONG_PASSWORD = 'The username or password is wrong.';


/**
 * Huawei Cloud IAM's answer to a password sign-in of a locked user: 401 with "The account is
 * locked." (IAM FAQ "Why Is My Account Locked?", support.huaweicloud.com/intl/en-us/iam_faq/iam_01_0130.html,
 * a Keystone body {"error":{"code":401,"message":"The account is locked.","title":"Unauthorized"}}).
 * Sent in this service's one error shape, with the code of the other sign-in refusals.
 * Only users who exist are ever locked, as on the cloud: a name that is guessed at gets "wrong"
 * answers for ever, so the lock tells an attacker who spends the attempts that the user exists,
 * and nothing about its password; the real user's sign-ins are what it costs.
 */
function accountLocked(): AppError {
  return new AppError('account_locked', 'The account is locked.');
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function projectMismatch(projectId: string): AppError {
  return new AppError('project_mismatch', `project id ${projectId} in the URL does not match the credential`);
}

function ownProject(principal: Principal, projectId: string, project: ProjectRef | null): ProjectRef {
  if (!project || project.domain_id !== principal.domainId) throw projectMismatch(projectId);
  return project;
}

function toPrincipal(owner: CredentialOwner, method: Principal['method'], projectId: string | null): Principal {
  return {
    userId: owner.user_id,
    userName: owner.user_name,
    domainId: owner.domain_id,
    domainName: owner.domain_name,
    isRoot: owner.is_root,
    projectId,
    method,
  };
}

interface PasswordLogin {
  userName?: string;
  userId?: string;
  password: string;
  domainName?: string;
  domainId?: string;
  scope: { projectId?: string; projectName?: string; domainId?: string; domainName?: string } | undefined;
}


export type AuthService = ReturnType<typeof createAuthService>;

/** A request before its body was read. */
type RequestHead = Omit<ReceivedRequest, 'body'>;

/** The AK/SK signature's verdict over the whole request, once its body is in. */
type BodyCheck = (request: ReceivedRequest) => Principal;

const EMPTY = Buffer.alloc(0);

const CACHE_ENTRIES = 10_000;

type TokenOwner = NonNullable<Awaited<ReturnType<IamService['findTokenOwner']>>>;
type KeyOwner = NonNullable<Awaited<ReturnType<IamService['findAccessKeyOwner']>>>;

export function createAuthService(deps: { config: Config['auth']; iam: IamService; now: () => number }) {
  const { config, iam, now } = deps;
  const { lockout } = config;
  const tokens = createCredentialCache<TokenOwner>(config.cacheMs, CACHE_ENTRIES, now);
  const keys = createCredentialCache<KeyOwner>(config.cacheMs, CACHE_ENTRIES, now);
  const projects = createCredentialCache<ProjectRef>(config.cacheMs, CACHE_ENTRIES, now);
  // Changes made through this process are seen at once; other replicas' within config.cacheMs.
  iam.events.credentialsChanged(() => forgetCredentials());

  function forgetCredentials(): void {
    tokens.clear();
    keys.clear();
  }

  /** The user signing in and its account, as far as they exist: an unknown user of a known account is still that account's event. */
  async function findLoginUser(login: PasswordLogin): Promise<{ user?: User; domain?: DomainRow }> {
    // What is not found is looked up further as an id nothing has (NO_SUCH_ID): the same statements
    // whether the user exists or not, so that their timing does not tell.
    if (login.userId !== undefined) {
      const user = await iam.findUserById(login.userId);
      const domain = await iam.findDomain(user?.domain_id ?? NO_SUCH_ID);
      return { user, domain };
    }
    const domain =
      login.domainId !== undefined ? await iam.findDomain(login.domainId) : await iam.findDomainByName(login.domainName ?? '');
    const user = await iam.findUserByName(domain?.id ?? NO_SUCH_ID, login.userName ?? '');
    return { user, domain };
  }

  async function scopeProject(domain: DomainRow, scope: PasswordLogin['scope']): Promise<ProjectRef | null> {
    if (scope?.projectId === undefined && scope?.projectName === undefined) {
      const foreignDomain =
        (scope?.domainId !== undefined && scope.domainId !== domain.id) ||
        (scope?.domainName !== undefined && scope.domainName !== domain.name);
      if (foreignDomain) throw new AppError('unauthenticated', 'The token scope does not match the user\'s domain.');
      return null;
    }
    const project =
      scope.projectId !== undefined
        ? await iam.findProject(scope.projectId)
        : await iam.findProjectByName(domain.id, scope.projectName ?? '');
    if (!project || project.domain_id !== domain.id) {
      throw new AppError('unauthenticated', 'The project in the token scope does not exist in the user\'s domain.');
    }
    return project;
  }

  return {
    /**
     * Signs in with a password. Refuses with 'unauthenticated' (wrong credentials, counted towards
     * the lockout; or a scope that is not the user's, not counted) or 'account_locked' (a locked
     * user, whatever the password).
     */
    async issueToken(login: PasswordLogin, trace: ChangeTrace): Promise<IssuedToken> {
      const candidate = await findLoginUser(login);
      const found = candidate.user && candidate.domain ? { user: candidate.user, domain: candidate.domain } : undefined;
      // Every sign-in of the account is its event, refused or not; one of an unknown account is nobody's.
      if (candidate.domain) {
        const { user, domain } = candidate;
        trace.attribute({ userId: user?.id ?? null, userName: user?.name ?? login.userName ?? login.userId ?? '', domainId: domain.id, domainName: domain.name });
      }
      // Checked whoever was found, disabled, locked or not at all: the answer's timing must not tell which users exist.
      const passwordMatches = await iam.checkPassword(found?.user, login.password);
      const failures = lockout.attempts > 0 ? await iam.findLoginFailures(found?.user.id) : undefined;
      if (isLocked(failures, now())) throw accountLocked();
      // A disabled account refuses its users as a disabled user is refused.
      if (!found || !found.user.enabled || found.domain.enabled !== 1 || !passwordMatches) {
        // Every refusal of a known user counts, and an unknown one's takes the same statements: the
        // work done must not tell whether the password was right for a disabled user, or the user exists.
        // 'locked_now' (this failure locked the user) is answered as a wrong password: it was one.
        const refusal = (outcome: FailureOutcome) => (outcome === 'locked' ? accountLocked() : new AppError('unauthenticated', WRONG_PASSWORD));
        if (lockout.attempts === 0) throw refusal('counted');
        // The count (and a lock) and the refusal's trace commit together.
        const outcome = await iam.recordLoginFailure(found?.user.id, now(), lockout, async (trx, outcome) => {
          if (outcome === 'locked_now') trace.remark(`the user is locked for ${lockout.durationMs / 60_000} minutes after ${lockout.attempts} refused sign-ins`);
          await trace.recordRefusal(trx, refusal(outcome), { resourceId: found?.user.id, resourceName: found?.user.name ?? login.userName });
        });
        throw refusal(outcome);
      }
      const project = await scopeProject(found.domain, login.scope);
      const token = `MAWS${randomBytes(48).toString('base64url')}`;
      const issuedAt = now();
      const expiresAt = issuedAt + config.tokenTtlMs;
      const issued = { token, issuedAt, expiresAt, user: found.user, domain: found.domain, project };
      const row = {
        token_hash: hashToken(token),
        user_id: found.user.id,
        domain_id: found.domain.id,
        project_id: project?.id ?? null,
        issued_at: issuedAt,
        expires_at: expiresAt,
      };
      await iam.saveToken(row, (trx) => trace.record(trx, { resourceId: found.user.id, resourceName: found.user.name, response: tokenBody(issued) }));
      if (failures) await iam.clearLoginFailures(found.user.id, issuedAt);
      return issued;
    },

    /**
     * IAM's token revocation: a user revokes its own tokens, the root user any token of its
     * account. An unknown token is not found (404), whoever asks.
     */
    async revokeToken(principal: Principal, token: string, trace: ChangeTrace): Promise<void> {
      const hash = hashToken(token);
      const found = await iam.findTokenOwner(hash);
      const mayRevoke =
        found !== undefined && (found.user_id === principal.userId || (principal.isRoot && found.domain_id === principal.domainId));
      if (!mayRevoke) throw new AppError('iam_not_found', 'The token to revoke does not exist.');
      // Named by its user: the token itself is a secret, and never in a trace.
      await iam.deleteToken(hash, (trx) => trace.record(trx, { resourceId: found.user_id, resourceName: found.user_name }));
      tokens.clear();
    },

    /** Users, keys or tokens changed behind this process's back (as another replica does): look them up afresh. */
    forgetCredentials,

    /**
     * What the credential headers prove before the body is read: the caller (a token), or, for an
     * AK/SK signature whose key exists and is active, the check that remains over the body bytes it
     * covers. Throws 401 otherwise, so that no upload is read for a caller who cannot be let in.
     */
    authenticate(req: RequestHead): Principal | BodyCheck | Promise<Principal | BodyCheck> {
      const token = req.headers['x-auth-token'];
      if (typeof token === 'string' && token !== '') return authenticateToken(token);
      const authorization = req.headers.authorization;
      if (typeof authorization === 'string' && authorization.startsWith(SIGNING_ALGORITHM)) {
        return admitSignature(req);
      }
      throw unauthenticated('x-auth-token not found');
    },

    /**
     * The project in the path must belong to the credential: a token must be scoped to it,
     * an access key's account must own it (and X-Project-Id, when sent, must name it).
     * Answered without a promise when the project is in the cache, as it is for every request but
     * the first (this runs on every request).
     */
    authorizeProject(principal: Principal, projectId: string, headerProjectId: unknown): ProjectRef | Promise<ProjectRef> {
      if (principal.method === 'token' && principal.projectId !== projectId) throw projectMismatch(projectId);
      if (typeof headerProjectId === 'string' && headerProjectId !== '' && headerProjectId !== projectId) throw projectMismatch(projectId);
      const project = projects.get(projectId);
      if (project !== undefined) return ownProject(principal, projectId, project);
      return iam.findProject(projectId).then((found) => {
        projects.set(projectId, found ?? null);
        return ownProject(principal, projectId, found ?? null);
      });
    },
  };

  /**
   * The token's caller; 401 when the token is unknown, disabled or expired. Answered without a
   * promise when the token is in the cache, as it is for every request but the first.
   */
  function authenticateToken(token: string): Principal | Promise<Principal> {
    // Keyed by the token itself: the cache lives only in this process's memory, and hashing on
    // every request costs more than the rest of the cached path.
    const found = tokens.get(token);
    if (found !== undefined) return tokenPrincipal(found);
    return iam.findTokenOwner(hashToken(token)).then((owner) => {
      tokens.set(token, owner ?? null);
      return tokenPrincipal(owner ?? null);
    });
  }

  function tokenPrincipal(found: TokenOwner | null): Principal {
    if (!found || !found.enabled) throw unauthenticated('decrypt token fail');
    if (found.expires_at <= now()) {
      throw unauthenticated(`token expires, expires_at: ${new Date(found.expires_at).toISOString()}`);
    }
    return toPrincipal(found, 'token', found.project_id);
  }

  async function admitSignature(head: RequestHead): Promise<BodyCheck> {
    const headerCheck = precheckSignedRequest({ ...head, body: EMPTY }, now(), config.signatureSkewMs);
    if (!headerCheck.ok) throw unauthenticated(headerCheck.reason);
    let key = keys.get(headerCheck.auth.accessKey);
    if (key === undefined) {
      key = (await iam.findAccessKeyOwner(headerCheck.auth.accessKey)) ?? null;
      keys.set(headerCheck.auth.accessKey, key);
    }
    if (!key || key.status !== 'active' || !key.enabled) throw unauthenticated('AK is invalid or disabled');
    const owner = key;
    return (req) => {
      // Again with the body: a declared payload hash must match the bytes received.
      const check = precheckSignedRequest(req, now(), config.signatureSkewMs);
      if (!check.ok) throw unauthenticated(check.reason);
      if (!signatureMatches(owner.secret_key, req, check.auth, check.sdkDate)) {
        throw unauthenticated('verify aksk signature fail');
      }
      return toPrincipal(owner, 'aksk', null);
    };
  }
}
