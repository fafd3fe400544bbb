import { AppError } from '../errors.js';
import type { Principal } from './principal.js';

/** IAM's refusal, naming the fine-grained action the caller lacks. */
export function iamForbidden(action: string): AppError {
  return new AppError('iam_forbidden', `You are not authorized to perform the (${action}) operation.`);
}

/** Managing users and enterprise projects is for the account's root user only. */
export function requireRoot(principal: Principal, action: string): void {
  if (!principal.isRoot) throw iamForbidden(action);
}

/** Root manages the credentials of every user of its account; any other user only their own. */
export function mayManageCredentialsOf(principal: Principal, userId: string): boolean {
  return principal.isRoot || principal.userId === userId;
}
