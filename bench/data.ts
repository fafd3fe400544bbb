/** Deterministic, realistic workspace rows for the seeded database. */
import { createHash } from 'node:crypto';
import type { EnterpriseProjectTable, UserTable, WorkspaceGrantTable, WorkspaceTable } from '../src/db/types.js';

/** Bump when the generated data changes: it is part of the cache key. */
export const DATA_VERSION = 1;

/** 50 words, as in perf-baseline, so that name searches have realistic hit counts (~2% each). */
export const WORDS = [
  'sales', 'marketing', 'finance', 'research', 'analytics', 'vision', 'speech', 'language', 'recsys', 'fraud',
  'risk', 'ops', 'platform', 'data', 'training', 'inference', 'edge', 'mobile', 'search', 'ads',
  'growth', 'supply', 'logistics', 'retail', 'health', 'genomics', 'imaging', 'robotics', 'autonomous', 'security',
  'audit', 'compliance', 'billing', 'payments', 'crm', 'support', 'chatbot', 'translation', 'ocr', 'forecast',
  'pricing', 'energy', 'iot', 'manufacturing', 'quality', 'people', 'legal', 'media', 'gaming', 'weather',
] as const;

const PURPOSES = ['experiments', 'production models', 'notebooks', 'training jobs', 'the pilot', 'shared datasets'];

/** 32 lower-case hex characters, unique per label: the id shape of the API. */
function hexId(label: string): string {
  return createHash('md5').update(label).digest('hex');
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

const IAM_USER_COUNT = 4;
const ENTERPRISE_PROJECT_COUNT = 3;

export function benchUsers(domainId: string, now: number): UserTable[] {
  return Array.from({ length: IAM_USER_COUNT }, (_, k) => ({
    id: hexId(`bench-user-${k}`),
    domain_id: domainId,
    name: `bench-user-${k + 1}`,
    password_hash: null,
    description: 'seeded by npm run bench',
    is_root: 0,
    enabled: 1,
    created_at: now,
  }));
}

export function benchEnterpriseProjects(domainId: string, now: number): EnterpriseProjectTable[] {
  return Array.from({ length: ENTERPRISE_PROJECT_COUNT }, (_, k) => ({
    id: hexId(`bench-ep-${k}`),
    domain_id: domainId,
    name: `bench-ep-${k + 1}`,
    description: '',
    status: 1,
    created_at: now,
    updated_at: now,
  }));
}

interface Owner {
  id: string;
  name: string;
}

/**
 * Workspace number i (1-based) of the project: named `<word>-workspace-000123`, 50% owned by
 * root, 70% public / 20% private / 10% internal (with one or two IAM grants), 20% in a
 * non-default enterprise project, created over the last year.
 */
export function* workspaceRows(
  projectId: string,
  count: number,
  root: Owner,
  users: readonly Owner[],
  enterpriseProjectIds: readonly string[],
  now: number,
): Generator<{ row: WorkspaceTable; grants: WorkspaceGrantTable[] }> {
  const rand = prng(20261122);
  const year = 365 * 24 * 3600 * 1000;
  const width = Math.max(6, String(count).length);
  for (let i = 1; i <= count; i++) {
    const word = pick(rand, WORDS);
    const owner = rand() < 0.5 ? root : pick(rand, users);
    const r = rand();
    const authType = r < 0.7 ? 'public' : r < 0.9 ? 'private' : 'internal';
    const ep = rand() < 0.8 ? '0' : pick(rand, enterpriseProjectIds);
    const created = Math.floor(now - rand() * year);
    const updated = Math.min(now, created + Math.floor(rand() * 30 * 24 * 3600 * 1000));
    const id = hexId(`${projectId}/workspace-${i}`);
    const grants: WorkspaceGrantTable[] = [];
    if (authType === 'internal') {
      const n = Math.min(users.length, 1 + Math.floor(rand() * 2));
      const first = Math.floor(rand() * users.length);
      for (let position = 0; position < n; position++) {
        const user = users[(first + position) % users.length]!;
        grants.push({ project_id: projectId, workspace_id: id, position, user_id: user.id, user_name: user.name, user_type: 'IAM' });
      }
    }
    yield {
      row: {
        project_id: projectId,
        id,
        name: `${word}-workspace-${String(i).padStart(width, '0')}`,
        description: rand() < 0.5 ? '' : `${word} team workspace for ${pick(rand, PURPOSES)}`,
        owner_id: owner.id,
        owner_name: owner.name,
        enterprise_project_id: ep,
        auth_type: authType,
        status: 'NORMAL',
        status_info: '',
        create_time: created,
        update_time: updated,
      },
      grants,
    };
  }
}
