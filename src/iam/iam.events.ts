import type { Executor } from '../db/types.js';
import type { ProjectRow, User } from './identity.repository.js';

type UserDeleting = (trx: Executor, userId: string) => Promise<void>;
type ProjectCreated = (trx: Executor, project: ProjectRow, owner: User) => Promise<void>;
/** the account's projects are all of them, sub-projects included */
interface DeletedAccount {
  domainId: string;
  projectIds: readonly string[];
}
type AccountDeleting = (trx: Executor, account: DeletedAccount) => Promise<void>;

/**
 * What IAM tells the domains built on it. Listeners of the transactional events run inside
 * IAM's transaction, so their writes commit or roll back with it.
 */
export function createIamEvents() {
  const credentialsChanged: Array<() => void> = [];
  const userDeleting: UserDeleting[] = [];
  const projectCreated: ProjectCreated[] = [];
  const accountDeleting: AccountDeleting[] = [];
  return {
    subscribe: {
      /** a user was disabled, deleted or got a new password, or a key was disabled or deleted */
      credentialsChanged: (listener: () => void) => void credentialsChanged.push(listener),
      /** a user is being deleted: remove what refers to it */
      userDeleting: (listener: UserDeleting) => void userDeleting.push(listener),
      /** a project was created: add what every project has */
      projectCreated: (listener: ProjectCreated) => void projectCreated.push(listener),
      /** an account is being deleted: remove everything its projects and its domain own */
      accountDeleting: (listener: AccountDeleting) => void accountDeleting.push(listener),
    },
    credentialsChanged(): void {
      for (const listener of credentialsChanged) listener();
    },
    async userDeleting(trx: Executor, userId: string): Promise<void> {
      for (const listener of userDeleting) await listener(trx, userId);
    },
    async projectCreated(trx: Executor, project: ProjectRow, owner: User): Promise<void> {
      for (const listener of projectCreated) await listener(trx, project, owner);
    },
    async accountDeleting(trx: Executor, account: DeletedAccount): Promise<void> {
      for (const listener of accountDeleting) await listener(trx, account);
    },
  };
}

export type IamEvents = ReturnType<typeof createIamEvents>;
