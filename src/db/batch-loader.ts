/**
 * Coalesces the lookups that requests make within one turn of the event loop into one query per
 * group (the DataLoader pattern). Requests that arrive together are parsed in the same poll
 * phase; their lookups are collected and fetched in the check phase right after it, so no
 * request waits for a later one; while a group's fetch is in flight, its new lookups gather for
 * the next. A statement's fixed cost (read transaction, locks, a round trip to PostgreSQL) is then
 * paid once per batch instead of once per request. Nothing is cached: every lookup reads the
 * database after its request arrived.
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
  const pending = new Map<string, Map<string, Waiter<V>[]>>();
  /** fetches of each group not yet answered */
  const inFlight = new Map<string, number>();
  let scheduled = false;

  async function fetchChunk(group: string, chunk: ReadonlyMap<string, Waiter<V>[]>): Promise<void> {
    try {
      const found = await fetchMany(group, [...chunk.keys()]);
      for (const [key, waiters] of chunk) for (const w of waiters) w.resolve(found.get(key));
    } catch (error) {
      for (const waiters of chunk.values()) for (const w of waiters) w.reject(error);
    }
  }

  function fetched(group: string): void {
    const left = inFlight.get(group)! - 1;
    if (left > 0) return void inFlight.set(group, left);
    inFlight.delete(group);
    // What arrived meanwhile goes out now, as one fetch.
    if (pending.has(group)) flushGroup(group);
  }

  function flushGroup(group: string): void {
    const keys = pending.get(group)!;
    pending.delete(group);
    const chunks: Array<Map<string, Waiter<V>[]>> = [new Map()];
    for (const [key, waiters] of keys) {
      if (chunks.at(-1)!.size === maxBatch) chunks.push(new Map());
      chunks.at(-1)!.set(key, waiters);
    }
    inFlight.set(group, chunks.length);
    for (const chunk of chunks) void fetchChunk(group, chunk).then(() => fetched(group));
  }

  /**
   * A group with a fetch in flight waits for it: a lookup that arrives meanwhile joins the next
   * fetch, which leaves once the first is answered. On PostgreSQL, where a fetch is a round trip,
   * the lookups of a loaded server then share a query instead of sending one each.
   */
  function flush(): void {
    scheduled = false;
    for (const group of [...pending.keys()]) if (!inFlight.has(group)) flushGroup(group);
  }

  return {
    load(group, key) {
      return new Promise((resolve, reject) => {
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
        let keys = pending.get(group);
        if (keys === undefined) pending.set(group, (keys = new Map()));
        const waiters = keys.get(key);
        if (waiters === undefined) keys.set(key, [{ resolve, reject }]);
        else waiters.push({ resolve, reject });
      });
    },
  };
}
