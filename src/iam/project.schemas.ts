import { type Static, Type } from 'typebox';

export const ProjectView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  domain_id: Type.String(),
  parent_id: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  is_domain: Type.Boolean(),
});

export type ProjectView = Static<typeof ProjectView>;

export const ProjectListQuery = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

export const ProjectList = Type.Object({
  projects: Type.Array(ProjectView),
  links: Type.Object({ self: Type.String(), previous: Type.Null(), next: Type.Null() }),
});
