import type { Config } from '../config.js';
import { ConfigError } from '../config.js';
import { isUniqueViolation } from '../db/dialect.js';
import type { Db } from '../db/types.js';
import { newAccessKey, newId, newSecretKey, randomString } from '../ids.js';
import { defaultWorkspaceRow } from '../workspaces/default-workspace.js';
import { credentialRepository } from './credential.repository.js';
import { identityRepository } from './identity.repository.js';
import { hashPassword, passwordProblem } from './password.js';

export interface BootstrapResult {
  domainName: string;
  userName: string;
  projectId: string;
  projectName: string;
  /** secrets that were generated because the environment did not set them: shown once */
  generated: { password?: string; accessKey?: string; secretKey?: string };
}

/**
 * On the first start of an empty database, creates the account (domain), its root user, its
 * project with the default workspace "0", and the root access key. Later starts change nothing.
 * Returns null when the account already existed.
 */
export async function bootstrapRootAccount(db: Db, config: Config, now = Date.now()): Promise<BootstrapResult | null> {
  if (await identityRepository.findRootUser(db)) return null;
  const root = config.root;
  if (root.password !== undefined) {
    const problem = passwordProblem(root.password);
    if (problem) throw new ConfigError(`invalid configuration:\n  MAWS_ROOT_PASSWORD: ${problem}`);
  }
  const generated: BootstrapResult['generated'] = {};
  const password = root.password ?? (generated.password = `Maws-${randomString(20)}`);
  const accessKey = root.accessKey ?? (generated.accessKey = newAccessKey());
  const secretKey = root.secretKey ?? (generated.secretKey = newSecretKey());
  const domainId = newId();
  const userId = newId();
  const projectId = root.projectId ?? newId();
  const passwordHash = await hashPassword(password);
  try {
    await db.transaction().execute(async (trx) => {
      await identityRepository.insertDomain(trx, { id: domainId, name: root.name, created_at: now });
      await identityRepository.insertProject(trx, {
        id: projectId,
        domain_id: domainId,
        name: root.projectName,
        workspace_count: 1,
        created_at: now,
      });
      await identityRepository.insertUser(trx, {
        id: userId,
        domain_id: domainId,
        name: root.name,
        password_hash: passwordHash,
        description: 'primary account',
        is_root: 1,
        enabled: 1,
        created_at: now,
      });
      await trx.insertInto('workspaces').values(defaultWorkspaceRow(projectId, { id: userId, name: root.name }, now)).execute();
      await credentialRepository.insertAccessKey(trx, {
        access_key: accessKey,
        secret_key: secretKey,
        user_id: userId,
        description: 'root access key',
        status: 'active',
        created_at: now,
      });
    });
  } catch (error) {
    // Another replica bootstrapped the same empty database first.
    if (isUniqueViolation(error) && (await identityRepository.findRootUser(db))) return null;
    throw error;
  }
  return { domainName: root.name, userName: root.name, projectId, projectName: root.projectName, generated };
}
