/**
 * Coalesces the lookups that requests make within one turn of the event loop into one query per
 * group (the DataLoader pattern). Requests that arrive together are parsed in the same poll
 * phase; their lookups are collected and fetched in the check phase right after it, so no
 * request waits for a later one. A statement's fixed cost (read transaction, locks, a round trip
 * to PostgreSQL) is then paid once per batch instead of once per request. Nothing is cached:
 * every lookup reads the database after its request arrived.
 */
type FetchMany<V> = (group: string, keys: readonly string[]) => Promise<ReadonlyMap<string, V>>;

interface Waiter<V> {
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

interface BatchLoader<V> {
  load(group: string, key: string): Promise<V | undefined>;
}

export function createBatchLoader<V>(fetchMany: FetchMany<V>, maxBatch: number): BatchLoader<V> {
  let pending = new Map<string, Map<string, Waiter<V>[]>>();

  async function fetchChunk(group: string, chunk: ReadonlyMap<string, Waiter<V>[]>): Promise<void> {
    try {
      const found = await fetchMany(group, [...chunk.keys()]);
      for (const [key, waiters] of chunk) for (const w of waiters) w.resolve(found.get(key));
    } catch (error) {
      for (const waiters of chunk.values()) for (const w of waiters) w.reject(error);
    }
  }

  function flush(): void {
    const groups = pending;
    pending = new Map();
    for (const [group, keys] of groups) {
      let chunk = new Map<string, Waiter<V>[]>();
      for (const [key, waiters] of keys) {
        chunk.set(key, waiters);
        if (chunk.size === maxBatch) {
          void fetchChunk(group, chunk);
          chunk = new Map();
        }
      }
      if (chunk.size > 0) void fetchChunk(group, chunk);
    }
  }

  return {
    load(group, key) {
      return new Promise((resolve, reject) => {
        if (pending.size === 0) setImmediate(flush);
        let keys = pending.get(group);
        if (keys === undefined) pending.set(group, (keys = new Map()));
        const waiters = keys.get(key);
        if (waiters === undefined) keys.set(key, [{ resolve, reject }]);
        else waiters.push({ resolve, reject });
      });
    },
  };
}
