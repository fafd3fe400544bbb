import type { Config } from '../config.js';
import { ConfigError } from '../config.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import type { Db } from '../db/types.js';
import { newAccessKey, newId, newSecretKey, randomString } from '../ids.js';
import type { CredentialRepository } from './credential.repository.js';
import type { IamEvents } from './iam.events.js';
import type { IdentityRepository, User } from './identity.repository.js';
import { hashPassword, passwordProblem } from './password.js';

export interface BootstrapResult {
  domainName: string;
  userName: string;
  projectId: string;
  projectName: string;
  /** secrets that were generated because the environment did not set them: shown once */
  generated: { password?: string; accessKey?: string; secretKey?: string };
}

interface BootstrapDeps {
  db: Db;
  identity: IdentityRepository;
  credentials: CredentialRepository;
  events: IamEvents;
  now: () => number;
}

/**
 * On the first start of an empty database, creates the account (domain), its root user, its
 * project (whose listeners add the default workspace "0") and the root access key. Later starts
 * change nothing. Returns null when the account already existed.
 */
export async function bootstrapRootAccount(deps: BootstrapDeps, root: Config['root']): Promise<BootstrapResult | null> {
  const { db, identity, credentials, events } = deps;
  if (await identity.findRootUser(db)) return null;
  if (root.password !== undefined) {
    const problem = passwordProblem(root.password);
    if (problem) throw new ConfigError(`invalid configuration:\n  MAWS_ROOT_PASSWORD: ${problem}`);
  }
  const generated: BootstrapResult['generated'] = {};
  const password = root.password ?? (generated.password = `Maws-${randomString(20)}`);
  const accessKey = root.accessKey ?? (generated.accessKey = newAccessKey());
  const secretKey = root.secretKey ?? (generated.secretKey = newSecretKey());
  const now = deps.now();
  const domain = { id: newId(), name: root.name, created_at: now };
  const project = { id: root.projectId ?? newId(), domain_id: domain.id, name: root.projectName, workspace_count: 0, created_at: now };
  const user: User = {
    id: newId(),
    domain_id: domain.id,
    name: root.name,
    password_hash: await hashPassword(password),
    description: 'primary account',
    is_root: true,
    enabled: true,
    created_at: now,
  };
  try {
    await db.transaction().execute(async (trx) => {
      await identity.insertDomain(trx, domain);
      await identity.insertProject(trx, project);
      await identity.insertUser(trx, user);
      await events.projectCreated(trx, project, user);
      await credentials.insertAccessKey(trx, {
        access_key: accessKey,
        secret_key: secretKey,
        user_id: user.id,
        description: 'root access key',
        status: 'active',
        created_at: now,
      });
    });
  } catch (error) {
    // Another replica bootstrapped the same empty database first.
    if (isUniqueViolation(error) && (await identity.findRootUser(db))) return null;
    throw error;
  }
  return { domainName: root.name, userName: root.name, projectId: project.id, projectName: root.projectName, generated };
}
