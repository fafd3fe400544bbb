import { type Static, Type } from 'typebox';

const QuotaFields = {
  resource: Type.String(),
  quota: Type.Integer({ description: '-1 means unlimited' }),
  min_quota: Type.Integer(),
  max_quota: Type.Integer(),
  name_en: Type.String(),
  name_cn: Type.String(),
  unit_en: Type.String(),
  unit_cn: Type.String(),
  update_time: Type.Integer({ description: 'epoch milliseconds' }),
};

export const QuotaView = Type.Object({
  ...QuotaFields,
  used_quota: Type.Union([Type.Integer(), Type.Null()], { description: 'null when the quota is unlimited' }),
});
export type QuotaView = Static<typeof QuotaView>;
export const UpdatedQuotaView = Type.Object(QuotaFields);
export type UpdatedQuotaView = Static<typeof UpdatedQuotaView>;

export const QuotaList = Type.Object({ quotas: Type.Array(QuotaView) });
export const UpdatedQuotaList = Type.Object({ quotas: Type.Array(UpdatedQuotaView) });

export const UpdateQuotasBody = Type.Object({
  quotas: Type.Array(
    Type.Object({
      resource: Type.String({ minLength: 1, maxLength: 128 }),
      quota: Type.Integer({ minimum: -1, maximum: 2147483647 }),
    }),
    { minItems: 1, maxItems: 100, description: 'only the items to change' },
  ),
});
export type UpdateQuotasBody = Static<typeof UpdateQuotasBody>;
