import { type Static, Type } from 'typebox';

const NAME_CHARS = '\\u4e00-\\u9fa5A-Za-z0-9_-';
const Name = Type.String({
  pattern: `^[${NAME_CHARS}]{1,64}$`,
  description: '1–64 characters: Chinese characters, letters, digits, "_" and "-"; "default" (any case) is reserved',
});
const Description = Type.String({ maxLength: 512 });
const Status = Type.Integer({ minimum: 1, maximum: 2, description: '1 enabled, 2 disabled' });

export const CreateEnterpriseProjectBody = Type.Object({
  name: Name,
  description: Type.Optional(Description),
});
export type CreateEnterpriseProjectBody = Static<typeof CreateEnterpriseProjectBody>;

export const UpdateEnterpriseProjectBody = Type.Object({
  name: Name,
  description: Type.Optional(Description),
});
export type UpdateEnterpriseProjectBody = Static<typeof UpdateEnterpriseProjectBody>;

export const EnterpriseProjectActionBody = Type.Object({
  action: Type.Union([Type.Literal('enable'), Type.Literal('disable')]),
});
export type EnterpriseProjectActionBody = Static<typeof EnterpriseProjectActionBody>;

export const EnterpriseProjectParams = Type.Object({
  enterprise_project_id: Type.String({
    pattern: '^[A-Za-z0-9-]{1,64}$',
    description: '"0" (the default enterprise project) or an enterprise project id',
  }),
});

export const ListEnterpriseProjectsQuery = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'substring of the name, any case' })),
  status: Type.Optional(Status),
  offset: Type.Integer({ minimum: 0, maximum: 2147483647, default: 0, description: 'rows to skip' }),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 1000 }),
});
export type ListEnterpriseProjectsQuery = Static<typeof ListEnterpriseProjectsQuery>;

export const EnterpriseProjectView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  status: Type.Integer({ description: '1 enabled, 2 disabled' }),
  created_at: Type.String({ description: 'ISO 8601' }),
  updated_at: Type.String({ description: 'ISO 8601' }),
});
export type EnterpriseProjectView = Static<typeof EnterpriseProjectView>;

export const EnterpriseProjectResult = Type.Object({ enterprise_project: EnterpriseProjectView });
export type EnterpriseProjectResult = Static<typeof EnterpriseProjectResult>;

export const EnterpriseProjectList = Type.Object({
  enterprise_projects: Type.Array(EnterpriseProjectView),
  total_count: Type.Integer(),
});
export type EnterpriseProjectList = Static<typeof EnterpriseProjectList>;
