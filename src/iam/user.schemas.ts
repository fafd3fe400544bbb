import { type Static, Type } from 'typebox';

const USER_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_.-]{0,63}$';

const UserName = Type.String({
  pattern: USER_NAME_PATTERN,
  description: '1–64 characters: starts with a letter, then letters, digits, "_", "." or "-"',
});
const Password = Type.String({
  minLength: 1,
  maxLength: 128,
  description: '8–32 characters with at least two of: lower-case, upper-case, digits, special characters',
});
const Description = Type.String({ maxLength: 255 });
const Id = Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' });

export const CreateUserBody = Type.Object({
  user: Type.Object({
    name: UserName,
    password: Password,
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean({ default: true })),
    domain_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "must be the caller's domain" })),
  }),
});
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object({
  user: Type.Object({
    name: Type.Optional(UserName),
    password: Type.Optional(Password),
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean()),
  }),
});
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const UserParams = Type.Object({ user_id: Id });

export const ListUsersQuery = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'exact user name' })),
});

export const UserView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  domain_id: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  is_root: Type.Boolean(),
  created_at: Type.String({ description: 'ISO 8601' }),
});
export type UserView = Static<typeof UserView>;

export const UserResult = Type.Object({ user: UserView });
export type UserResult = Static<typeof UserResult>;
export const UserList = Type.Object({ users: Type.Array(UserView) });
export type UserList = Static<typeof UserList>;
