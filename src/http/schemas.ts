import { Type } from 'typebox';

/** Shared wire shapes: the error body and the path parameters every ModelArts route has. */
export const ErrorSchema = Type.Object(
  {
    error_code: Type.String({ examples: ['ModelArts.7005'] }),
    error_msg: Type.String(),
    request_id: Type.String(),
  },
  { description: 'Every failure; the same id is in the X-Request-Id header' },
);

export const ProjectParams = Type.Object({
  project_id: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: 'IAM project id' }),
});

export const WorkspaceParams = Type.Object({
  project_id: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: 'IAM project id' }),
  workspace_id: Type.String({ minLength: 1, maxLength: 128, description: 'workspace id; "0" is the default workspace' }),
});

/** A pattern matching any letter case of the given words, since ModelArts accepts enums case-insensitively. */
export function anyCase(words: readonly string[]): string {
  const one = (w: string) =>
    [...w].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join('');
  return `^(?:${words.map(one).join('|')})$`;
}

/** Route config of every /v1/{project_id}/… ModelArts route: the project must belong to the credential. */
export const MODELARTS_ROUTE = { projectScope: true } as const;
