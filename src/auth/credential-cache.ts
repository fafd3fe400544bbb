/**
 * A short-lived, bounded memo of credential look-ups: the hottest query of every request.
 * Changes made through this process clear it at once; other replicas see them within ttlMs.
 */
export function createCredentialCache<T>(ttlMs: number, maxEntries: number, now: () => number) {
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
      if (ttlMs <= 0) return;
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, { value, until: now() + ttlMs });
    },
    clear(): void {
      entries.clear();
    },
  };
}
