// Self-contained (no imports): the Node tests check these rules directly, outside the browser.
type NameProblem = 'wsf.name.length' | 'wsf.name.chars' | 'wsf.name.reserved';
type QuotaProblem = 'quota.notInteger' | 'quota.noUnlimited' | 'quota.range' | 'quota.rangeOrUnlimited';

// The server's rules (src/workspaces/workspace.schemas.ts and the service), checked before sending
// so that the form says what is wrong while it is being filled in.
const NAME = /^[\u4e00-\u9fa5A-Za-z0-9_-]+$/;
export const NAME_MAX = 64;
export const DESCRIPTION_MAX = 256;

export function nameProblem(name: string): NameProblem | null {
  if (name.length < 4 || name.length > NAME_MAX) return 'wsf.name.length';
  if (!NAME.test(name)) return 'wsf.name.chars';
  if (name === 'default') return 'wsf.name.reserved';
  return null;
}

interface QuotaLimits {
  min_quota: number;
  max_quota: number;
}

/** -1 (unlimited) only where min_quota is -1; otherwise an integer in [max(min_quota, 0), max_quota]. */
export function quotaProblem(text: string, limits: QuotaLimits): { key: QuotaProblem; vars?: Record<string, number> } | null {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return { key: 'quota.notInteger' };
  const value = Number(trimmed);
  if (value === -1) return limits.min_quota === -1 ? null : { key: 'quota.noUnlimited' };
  const low = Math.max(limits.min_quota, 0);
  if (value < low || value > limits.max_quota) {
    return { key: limits.min_quota === -1 ? 'quota.rangeOrUnlimited' : 'quota.range', vars: { min: low, max: limits.max_quota } };
  }
  return null;
}
