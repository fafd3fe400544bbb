import type { ProjectRef } from '../access/principal.js';
import type { DomainRow, User } from '../iam/iam.service.js';
import type { TokenResponse } from './token.schemas.js';

export interface IssuedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
  user: User;
  domain: DomainRow;
  project: ProjectRef | null;
}

/** Keystone's answer to a sign-in: who the token is for, its scope and lifetime (never the token itself). */
export function tokenBody(issued: IssuedToken): TokenResponse {
  const domain = { id: issued.domain.id, name: issued.domain.name };
  return {
    token: {
      methods: ['password'],
      issued_at: new Date(issued.issuedAt).toISOString(),
      expires_at: new Date(issued.expiresAt).toISOString(),
      user: { id: issued.user.id, name: issued.user.name, domain },
      ...(issued.project
        ? { project: { id: issued.project.id, name: issued.project.name, domain } }
        : { domain }),
      roles: [issued.user.is_root ? { id: 'admin', name: 'admin' } : { id: 'member', name: 'member' }],
      catalog: [],
    },
  };
}
