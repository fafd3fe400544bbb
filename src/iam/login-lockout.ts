import type { Selectable } from 'kysely';
import type { LoginFailureTable } from '../db/types.js';

/**
 * IAM's account lockout policy: attempts failed sign-ins within windowMs of the first lock the
 * user for durationMs. attempts 0: no lockout.
 */
export interface LockoutPolicy {
  attempts: number;
  windowMs: number;
  durationMs: number;
}

export type LoginFailureRow = Selectable<LoginFailureTable>;

/** What a refused sign-in did: was counted, locked the user, or found it locked (by another request meanwhile). */
export type FailureOutcome = 'counted' | 'locked_now' | 'locked';

export function isLocked(row: LoginFailureRow | undefined, now: number): boolean {
  return row?.locked_until != null && row.locked_until > now;
}

/**
 * The row after one more failure. The window is IAM's "reset the lockout counter after": it
 * starts at the first failure and counting starts over once it has passed, or a lock has ended.
 */
export function afterFailure(row: LoginFailureRow, now: number, policy: LockoutPolicy): { next: LoginFailureRow; outcome: FailureOutcome } {
  if (isLocked(row, now)) return { next: row, outcome: 'locked' };
  const inWindow = row.failures > 0 && now - row.window_started_at < policy.windowMs;
  const failures = inWindow ? row.failures + 1 : 1;
  if (failures >= policy.attempts) {
    return { next: { user_id: row.user_id, failures: 0, window_started_at: now, locked_until: now + policy.durationMs }, outcome: 'locked_now' };
  }
  return {
    next: { user_id: row.user_id, failures, window_started_at: inWindow ? row.window_started_at : now, locked_until: null },
    outcome: 'counted',
  };
}
