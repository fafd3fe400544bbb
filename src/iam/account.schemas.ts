import { type Static, Type } from 'typebox';
import { ACCOUNT_NAME_PATTERN } from '../config.js';

const AccountName = Type.String({
  pattern: ACCOUNT_NAME_PATTERN,
  description: '3–64 characters: starts with a letter, then letters, digits, "_", "." or "-"; also the root user\'s name',
});

export const CreateAccountBody = Type.Object({
  name: AccountName,
  password: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 128,
      description: "the root user's password (8–32 characters, two kinds at least); generated and answered once when left out",
    }),
  ),
  description: Type.Optional(Type.String({ maxLength: 255 })),
});
export type CreateAccountBody = Static<typeof CreateAccountBody>;

export const UpdateAccountBody = Type.Object({
  enabled: Type.Boolean({ description: "false: every credential of the account's users is refused (nothing is deleted)" }),
});
export type UpdateAccountBody = Static<typeof UpdateAccountBody>;

export const AccountParams = Type.Object({
  account: Type.String({ minLength: 1, maxLength: 64, description: "the account's id or name (an id is looked up first)" }),
});

export const AccountView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  created_at: Type.String({ description: 'ISO 8601' }),
  projects: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      parent_id: Type.Union([Type.String(), Type.Null()], { description: "null for a region's project" }),
    }),
    { description: 'by name: one per region, and the sub-projects' },
  ),
  user_count: Type.Integer(),
  workspace_count: Type.Integer({ description: 'in all its projects, "0" included' }),
});
export type AccountView = Static<typeof AccountView>;

export const AccountResult = Type.Object({ account: AccountView });
export const AccountList = Type.Object({ accounts: Type.Array(AccountView) });
export type AccountList = Static<typeof AccountList>;

export const CreatedAccount = Type.Object({
  account: AccountView,
  root_user: Type.Object({ id: Type.String(), name: Type.String() }),
  password: Type.Optional(Type.String({ description: "the root user's generated password: only when none was given, shown only here" })),
  access_key: Type.String({ description: "the root user's access key" }),
  secret_key: Type.String({ description: 'its secret key, shown only here' }),
});
export type CreatedAccount = Static<typeof CreatedAccount>;
