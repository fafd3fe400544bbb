import { Type } from 'typebox';
import { ProjectView } from './project.schemas.js';

const Links = Type.Object({ self: Type.String(), previous: Type.Null(), next: Type.Null() });

export const AuthProjectList = Type.Object({ projects: Type.Array(ProjectView), links: Links });

export const AuthDomainList = Type.Object({
  domains: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      description: Type.String(),
      enabled: Type.Boolean(),
      links: Type.Object({ self: Type.String() }),
    }),
  ),
  links: Links,
});
