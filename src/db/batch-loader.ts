/**
 * Coalesces the lookups that requests make within one turn of the event loop into one query per
 * group (the DataLoader pattern). Requests that arrive together are parsed in the same poll
 * phase; their lookups are collected and fetched in the check phase right after it, so no
 * request waits for a later one; while a group's fetch is in flight, its new lookups gather for
 * the next. A statement's fixed cost (read transaction, locks, a round trip to PostgreSQL) is then
 * paid once per batch instead of once per request. Nothing is cached: every lookup reads the
 * database after its request arrived.
 */
import { performance } from 'node:perf_hooks';

type FetchMany<V> = (group: string, keys: readonly string[]) => Promise<ReadonlyMap<string, V>>;

interface Waiter<V> {
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

interface BatchLoader<V> {
  load(group: string, key: string): Promise<V | undefined>;
}

/**
 * How long a group's lookups wait for its fetch in flight before they go out beside it: far
 * beyond a round trip, so that a fetch that hangs (a lost connection) holds up no other lookup
 * of its group for longer.
 */
const WAIT_FOR_FLIGHT_MS = 50;

interface Flight {
  /** fetches of the group not yet answered */
  count: number;
  /** when the last of them left (performance.now()) */
  since: number;
  /** the timer that sends the lookups waiting for them once WAIT_FOR_FLIGHT_MS have passed */
  timer?: NodeJS.Timeout;
}

export function createBatchLoader<V>(fetchMany: FetchMany<V>, maxBatch: number): BatchLoader<V> {
  const pending = new Map<string, Map<string, Waiter<V>[]>>();
  const inFlight = new Map<string, Flight>();
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
    const flight = inFlight.get(group)!;
    if (--flight.count > 0) return;
    clearTimeout(flight.timer);
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
    const flight = inFlight.get(group);
    clearTimeout(flight?.timer);
    inFlight.set(group, { count: (flight?.count ?? 0) + chunks.length, since: performance.now() });
    for (const chunk of chunks) void fetchChunk(group, chunk).then(() => fetched(group));
  }

  /**
   * A group with a fetch in flight waits for it: a lookup that arrives meanwhile joins the next
   * fetch, which leaves once the first is answered (or WAIT_FOR_FLIGHT_MS after it left). On
   * PostgreSQL, where a fetch is a round trip, the lookups of a loaded server then share a query
   * instead of sending one each.
   */
  function flush(): void {
    scheduled = false;
    for (const group of [...pending.keys()]) {
      const flight = inFlight.get(group);
      if (flight === undefined) {
        flushGroup(group);
        continue;
      }
      const left = flight.since + WAIT_FOR_FLIGHT_MS - performance.now();
      if (left <= 0) flushGroup(group);
      else flight.timer ??= setTimeout(() => pending.has(group) && flushGroup(group), left);
    }
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
