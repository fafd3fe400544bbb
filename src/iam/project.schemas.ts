import { type Static, Type } from 'typebox';

export const ProjectView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  domain_id: Type.String(),
  /** a region's project: the account (domain) id; a sub-project: its region's project id */
  parent_id: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  is_domain: Type.Boolean(),
  links: Type.Object({ self: Type.String() }),
});

export type ProjectView = Static<typeof ProjectView>;

export const ProjectListQuery = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

export const ProjectList = Type.Object({
  projects: Type.Array(ProjectView),
  links: Type.Object({ self: Type.String(), previous: Type.Null(), next: Type.Null() }),
});

/** As the cloud's console words it: letters, digits, "-" and "_", 64 characters at most. */
const SUB_PROJECT_NAME_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

export const CreateProjectBody = Type.Object({
  project: Type.Object({
    name: Type.String({
      pattern: SUB_PROJECT_NAME_PATTERN,
      description: '<region>_<name>: a region of the account, "_", then letters, digits, "-" or "_"; 64 characters at most',
    }),
    parent_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: "the id of the region's project (the cloud requires it; here it may be left out)" }),
    ),
    domain_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "must be the caller's account (domain) id" })),
    description: Type.Optional(Type.String({ maxLength: 255 })),
  }),
});
export type CreateProjectBody = Static<typeof CreateProjectBody>;

export const ProjectResult = Type.Object({ project: ProjectView });
