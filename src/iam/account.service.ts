import { uniqueOr } from '../db/unique-violation.js';
import { AppError } from '../errors.js';
import { type AccountRepository, type AccountRow } from './account.repository.js';
import type { AccountList, AccountView, CreateAccountBody, CreatedAccount } from './account.schemas.js';
import { type AccountDeps, createAccount } from './accounts.js';
import { passwordProblem } from './password.js';

export type AccountService = ReturnType<typeof createAccountService>;

const ID = /^[0-9a-f]{32}$/;

function notFound(ref: string): AppError {
  return new AppError('operator_not_found', `account ${ref} does not exist`);
}

function nameTaken(name: string): AppError {
  return new AppError('operator_conflict', `an account named ${name} already exists`);
}

/** The operator API's accounts: create, list, show, disable or enable, delete. */
export function createAccountService(deps: AccountDeps & { accounts: AccountRepository; regions: readonly string[] }) {
  const { db, identity, accounts, events } = deps;

  /** all: the rows are every account, whose projects and users are then read without a list of ids */
  async function views(rows: readonly AccountRow[], all = false): Promise<AccountView[]> {
    const ids = all ? undefined : rows.map((r) => r.id);
    const [projects, users] = await Promise.all([accounts.listProjects(db, ids), accounts.countUsers(db, ids)]);
    const projectsOf = new Map<string, typeof projects>();
    for (const p of projects) {
      const list = projectsOf.get(p.domain_id);
      if (list) list.push(p);
      else projectsOf.set(p.domain_id, [p]);
    }
    return rows.map((row) => {
      const own = projectsOf.get(row.id) ?? [];
      return {
        id: row.id,
        name: row.name,
        description: row.description,
        enabled: row.enabled === 1,
        created_at: new Date(row.created_at).toISOString(),
        projects: own.map(({ id, name, parent_id }) => ({ id, name, parent_id })),
        user_count: users.get(row.id) ?? 0,
        workspace_count: own.reduce((sum, p) => sum + p.workspace_count, 0),
      };
    });
  }

  /** By id first, then by name: ids are 32 hexadecimal digits, which a name may also be. */
  async function find(ref: string): Promise<AccountRow> {
    const byId = ID.test(ref) ? await identity.findDomainById(db, ref) : undefined;
    const domain = byId ?? (await identity.findDomainByName(db, ref));
    const [row] = domain ? await accounts.list(db, [domain.id]) : [];
    if (!row) throw notFound(ref);
    return row;
  }

  async function view(row: AccountRow): Promise<AccountView> {
    return (await views([row]))[0]!;
  }

  return {
    async create(body: CreateAccountBody): Promise<CreatedAccount> {
      if (body.password !== undefined) {
        const problem = passwordProblem(body.password);
        if (problem) throw new AppError('operator_invalid_parameter', `password: ${problem}`);
      }
      if (await identity.findDomainByName(db, body.name)) throw nameTaken(body.name);
      // Another request may create the same name between the check and the write.
      const created = await uniqueOr(
        () => createAccount(deps, { name: body.name, password: body.password, description: body.description }, deps.regions),
        () => nameTaken(body.name),
      );
      return {
        account: await view((await accounts.list(db, [created.domain.id]))[0]!),
        root_user: { id: created.root.id, name: created.root.name },
        ...(created.generated.password !== undefined ? { password: created.generated.password } : {}),
        access_key: created.accessKey,
        secret_key: created.generated.secretKey!,
      };
    },

    async list(): Promise<AccountList> {
      return { accounts: await views(await accounts.list(db), true) };
    },

    show: async (ref: string): Promise<AccountView> => view(await find(ref)),

    /** Disabling deletes nothing: tokens issued before work again once the account is enabled. */
    async setEnabled(ref: string, enabled: boolean): Promise<AccountView> {
      const row = await find(ref);
      if (!(await accounts.setEnabled(db, row.id, enabled))) throw notFound(ref);
      events.credentialsChanged();
      return view({ ...row, enabled: enabled ? 1 : 0 });
    },

    /**
     * Deletes the account with everything it owns, in one transaction: the listeners remove the
     * workspaces (their grants and quotas by cascade) and the enterprise projects, then IAM its
     * tokens, keys, users, projects and the domain.
     */
    async remove(ref: string): Promise<AccountView> {
      const row = await find(ref);
      const before = await view(row);
      const deleted = await db.transaction().execute(async (trx) => {
        const projectIds = await accounts.lockForDeletion(trx, row.id);
        // Deleted meanwhile by another request.
        if (projectIds === undefined) return false;
        await events.accountDeleting(trx, { domainId: row.id, projectIds });
        return accounts.deleteAccount(trx, row.id);
      });
      if (!deleted) throw notFound(ref);
      events.credentialsChanged();
      return before;
    },
  };
}
