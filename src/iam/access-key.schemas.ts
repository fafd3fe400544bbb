import { type Static, Type } from 'typebox';

const ACCESS_KEY_STATUSES = ['active', 'inactive'] as const;
/** IAM allows two permanent access keys per user. */
export const MAX_ACCESS_KEYS_PER_USER = 2;

const Description = Type.String({ maxLength: 255 });
const Status = Type.Union(
  ACCESS_KEY_STATUSES.map((s) => Type.Literal(s)),
  { description: 'an inactive key is refused by AK/SK authentication' },
);

export const CreateCredentialBody = Type.Object({
  credential: Type.Object({
    user_id: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: 'the IAM user who will own the key' }),
    description: Type.Optional(Description),
  }),
});
export type CreateCredentialBody = Static<typeof CreateCredentialBody>;

export const UpdateCredentialBody = Type.Object({
  credential: Type.Object({
    status: Type.Optional(Status),
    description: Type.Optional(Description),
  }),
});
export type UpdateCredentialBody = Static<typeof UpdateCredentialBody>;

export const CredentialParams = Type.Object({
  access_key: Type.String({ pattern: '^[A-Za-z0-9]{1,64}$', description: 'the access key (AK)' }),
});

export const ListCredentialsQuery = Type.Object({
  user_id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' })),
});

const CredentialFields = {
  access: Type.String(),
  user_id: Type.String(),
  status: Type.String({ description: 'active or inactive' }),
  description: Type.String(),
  create_time: Type.String({ description: 'ISO 8601' }),
};

export const CredentialView = Type.Object(CredentialFields);
export type CredentialView = Static<typeof CredentialView>;

/** Only the creation response carries the secret key. */
export const CreatedCredentialView = Type.Object({ ...CredentialFields, secret: Type.String() });
export type CreatedCredentialView = Static<typeof CreatedCredentialView>;

export const CreatedCredentialResult = Type.Object({ credential: CreatedCredentialView });
export const CredentialResult = Type.Object({ credential: CredentialView });
export const CredentialList = Type.Object({ credentials: Type.Array(CredentialView) });
export type CredentialList = Static<typeof CredentialList>;
