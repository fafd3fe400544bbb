import type { Db, Executor } from '../db/types.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { newAccessKey, newId, newSecretKey, randomString } from '../ids.js';
import type { CredentialRepository } from './credential.repository.js';
import type { IamEvents } from './iam.events.js';
import type { DomainRow, IdentityRepository, ProjectRow, User } from './identity.repository.js';
import { hashPassword } from './password.js';

export interface AccountDeps {
  db: Db;
  identity: IdentityRepository;
  credentials: CredentialRepository;
  events: IamEvents;
  /** encrypts the root access key's secret before it is stored */
  secrets: Pick<SecretBox, 'seal'>;
  now: () => number;
}

interface NewAccount {
  /** the account's (domain's) name, which is also its root user's */
  name: string;
  description?: string;
  password?: string;
  accessKey?: string;
  secretKey?: string;
  /** the id of the project of the first region (random otherwise) */
  firstProjectId?: string;
}

interface CreatedAccount {
  domain: DomainRow;
  root: User;
  /** one per region, in the order of the regions */
  projects: ProjectRow[];
  accessKey: string;
  /** the secrets that were generated because none were given: shown once */
  generated: { password?: string; accessKey?: string; secretKey?: string };
}

function regionProject(domainId: string, region: string, now: number, id = newId()): ProjectRow {
  return { id, domain_id: domainId, name: region, parent_id: null, description: '', workspace_count: 0, created_at: now };
}

/**
 * An account as the cloud makes one: the domain, its root user (named like the account), one
 * project per region (whose listeners add workspace "0") and the root's access key, in one
 * transaction. A name that is taken fails with the database's unique violation.
 */
export async function createAccount(deps: AccountDeps, input: NewAccount, regions: readonly string[]): Promise<CreatedAccount> {
  const { db, identity, credentials, events } = deps;
  const generated: CreatedAccount['generated'] = {};
  const password = input.password ?? (generated.password = `Maws-${randomString(20)}`);
  const accessKey = input.accessKey ?? (generated.accessKey = newAccessKey());
  const secretKey = input.secretKey ?? (generated.secretKey = newSecretKey());
  const now = deps.now();
  const domain: DomainRow = { id: newId(), name: input.name, enabled: 1, created_at: now };
  const root: User = {
    id: newId(),
    domain_id: domain.id,
    name: input.name,
    password_hash: await hashPassword(password),
    description: 'primary account',
    is_root: true,
    enabled: true,
    created_at: now,
  };
  const projects = regions.map((region, i) => regionProject(domain.id, region, now, i === 0 ? input.firstProjectId : undefined));
  await db.transaction().execute(async (trx) => {
    await identity.insertDomain(trx, { ...domain, description: input.description ?? '' });
    await identity.insertUser(trx, root);
    for (const project of projects) {
      await identity.insertProject(trx, project);
      await events.projectCreated(trx, project, root);
    }
    await credentials.insertAccessKey(trx, {
      access_key: accessKey,
      secret_key: deps.secrets.seal(accessKey, secretKey),
      user_id: root.id,
      description: 'root access key',
      status: 'active',
      created_at: now,
    });
  });
  return { domain, root, projects, accessKey, generated };
}

/**
 * Gives every account a project for each configured region it lacks: a region added to
 * MAWS_REGIONS appears in every account at the next start. Each project is its own transaction,
 * and one that another replica created first is skipped.
 */
export async function addMissingRegionProjects(deps: AccountDeps, regions: readonly string[]): Promise<ProjectRow[]> {
  const { db, identity, events } = deps;
  const added: ProjectRow[] = [];
  for (const { domain, root } of await identity.listAccountsWithoutProjects(db, regions)) {
    for (const region of regions) {
      const project = regionProject(domain.id, region, deps.now());
      const inserted = await db.transaction().execute(async (trx: Executor) => {
        if (!(await identity.insertProjectUnlessNamed(trx, project))) return false;
        await events.projectCreated(trx, project, root);
        return true;
      });
      if (inserted) added.push(project);
    }
  }
  return added;
}
