import type { Config } from '../config.js';
import { ConfigError } from '../config.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { type AccountDeps, createAccount } from './accounts.js';
import { passwordProblem } from './password.js';

export interface BootstrapResult {
  domainName: string;
  userName: string;
  /** the account's projects, one per region, the first region's first */
  projects: Array<{ id: string; name: string }>;
  /** secrets that were generated because the environment did not set them: shown once */
  generated: { password?: string; accessKey?: string; secretKey?: string };
}

/**
 * On the first start of an empty database, creates the first account: its root user, one project
 * per region (whose listeners add the default workspace "0") and the root access key. Later
 * starts change nothing. Returns null when an account already existed.
 */
export async function bootstrapRootAccount(deps: AccountDeps, root: Config['root'], regions: readonly string[]): Promise<BootstrapResult | null> {
  if (await deps.identity.findRootUser(deps.db)) return null;
  if (root.password !== undefined) {
    const problem = passwordProblem(root.password);
    if (problem) throw new ConfigError(`invalid configuration:\n  MAWS_ROOT_PASSWORD: ${problem}`);
  }
  try {
    const created = await createAccount(
      deps,
      { name: root.name, password: root.password, accessKey: root.accessKey, secretKey: root.secretKey, firstProjectId: root.projectId },
      regions,
    );
    return {
      domainName: created.domain.name,
      userName: created.root.name,
      projects: created.projects.map(({ id, name }) => ({ id, name })),
      generated: created.generated,
    };
  } catch (error) {
    // Another replica bootstrapped the same empty database first.
    if (isUniqueViolation(error) && (await deps.identity.findRootUser(deps.db))) return null;
    throw error;
  }
}
