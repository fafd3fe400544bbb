import { type Static, Type } from 'typebox';

const NameOrId = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

export const TokenRequestBody = Type.Object({
  auth: Type.Object({
    identity: Type.Object({
      methods: Type.Array(Type.Literal('password'), { minItems: 1, maxItems: 1, description: 'only "password" is supported' }),
      password: Type.Object({
        user: Type.Object({
          id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          password: Type.String({ minLength: 1, maxLength: 128 }),
          domain: Type.Optional(NameOrId),
        }),
      }),
    }),
    scope: Type.Optional(
      Type.Object({
        project: Type.Optional(NameOrId),
        domain: Type.Optional(NameOrId),
      }),
    ),
  }),
});
export type TokenRequestBody = Static<typeof TokenRequestBody>;

const Ref = Type.Object({ id: Type.String(), name: Type.String() });
export const TokenResponse = Type.Object({
  token: Type.Object({
    methods: Type.Array(Type.String()),
    issued_at: Type.String(),
    expires_at: Type.String(),
    user: Type.Object({ id: Type.String(), name: Type.String(), domain: Ref }),
    project: Type.Optional(Type.Object({ id: Type.String(), name: Type.String(), domain: Ref })),
    domain: Type.Optional(Ref),
    roles: Type.Array(Ref),
    catalog: Type.Array(Type.Object({})),
  }),
});
export type TokenResponse = Static<typeof TokenResponse>;
