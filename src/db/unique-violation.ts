/** A UNIQUE or PRIMARY KEY constraint rejected the write. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/**
 * Runs a write and turns a unique-constraint failure into the domain's own error: the check a
 * service makes before writing can lose a race, and the constraint is what settles it.
 */
export async function uniqueOr<T>(write: () => Promise<T>, duplicate: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
}

/**
 * A FOREIGN KEY constraint rejected the write: what it refers to (an account, project, user or
 * workspace) was deleted by a request that committed while this one ran.
 */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}
