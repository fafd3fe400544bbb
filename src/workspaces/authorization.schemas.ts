import { type Static, Type } from 'typebox';

export const ValidateAuthorizationBody = Type.Object({
  requests: Type.Array(
    Type.Object({
      action_id: Type.String({ minLength: 1, maxLength: 128, description: 'correlates a result with its request' }),
      action: Type.String({
        pattern: '^[A-Za-z0-9_-]+:[A-Za-z0-9_*-]+:[A-Za-z0-9_*-]+$',
        description: 'fine-grained IAM action, e.g. modelarts:notebook:create',
      }),
      resource: Type.Optional(Type.String({ maxLength: 1024 })),
      service_attributes: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
    { minItems: 1, maxItems: 100 },
  ),
});
export type ValidateAuthorizationBody = Static<typeof ValidateAuthorizationBody>;

const Condition = Type.Object({ key: Type.String(), operator: Type.String(), value: Type.Array(Type.String()) });
const Cause = Type.Object({ policy_name: Type.String(), condition: Type.Array(Condition) });
export type Cause = Static<typeof Cause>;

export const AuthorizationResult = Type.Object({
  action: Type.String(),
  verdict: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
  action_id: Type.String(),
  resource: Type.String(),
  cause: Type.Optional(Type.Array(Cause)),
});
export type AuthorizationResult = Static<typeof AuthorizationResult>;

export const ValidateAuthorizationResult = Type.Object({ results: Type.Array(AuthorizationResult) });
