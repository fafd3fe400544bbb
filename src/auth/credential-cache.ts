/** Insertion-ordered entries that expire after ttlMs; the oldest goes when maxEntries is reached. */
function createExpiringMap<T>(ttlMs: number, maxEntries: number, now: () => number) {
  const entries = new Map<string, { value: T; until: number }>();
  return {
    get(key: string): T | undefined {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.until > now()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key: string, value: T): void {
      if (entries.size >= maxEntries && !entries.has(key)) entries.delete(entries.keys().next().value!);
      entries.set(key, { value, until: now() + ttlMs });
    },
    delete(key: string): void {
      entries.delete(key);
    },
    clear(): void {
      entries.clear();
    },
  };
}

/**
 * A short-lived, bounded memo of credential look-ups: the hottest query of every request.
 * Changes made through this process clear it at once; other replicas see them within ttlMs.
 * What was not found (null) is kept apart, in fewer entries: anyone can send any number of made-up
 * tokens or keys, and they must not push out the credentials of real callers.
 */
export function createCredentialCache<T>(ttlMs: number, maxEntries: number, now: () => number) {
  const found = createExpiringMap<T>(ttlMs, maxEntries, now);
  const missing = createExpiringMap<null>(ttlMs, Math.max(1, Math.floor(maxEntries / 10)), now);
  return {
    /** undefined: not known here, look it up */
    get(key: string): T | null | undefined {
      return found.get(key) ?? missing.get(key);
    },
    set(key: string, value: T | null): void {
      if (ttlMs <= 0) return;
      if (value === null) {
        found.delete(key);
        missing.set(key, null);
      } else {
        missing.delete(key);
        found.set(key, value);
      }
    },
    clear(): void {
      found.clear();
      missing.clear();
    },
  };
}
