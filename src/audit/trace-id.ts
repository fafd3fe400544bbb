import { randomUUID } from 'node:crypto';

/**
 * A trace's id: a UUID of version 7, whose first 48 bits are the time it was recorded (ms). Ids
 * that grow with time go to the end of the table's key, the same page every time, where a random
 * UUID (version 4) writes a random page of it on every insert; and the retention purge walks the
 * key from its start.
 */
export function newTraceId(time: number): string {
  const hex = Math.max(0, Math.floor(time)).toString(16).padStart(12, '0').slice(-12);
  // The random bits of a version 4 UUID, which Node draws from a pooled buffer (randomBytes per
  // id was a tenth of a traced create's extra cost): its 12 bits after the version nibble, then
  // its variant and 62 bits, the same variant as version 7's.
  const v4 = randomUUID();
  return `${hex.slice(0, 8)}-${hex.slice(8)}-7${v4.slice(15, 18)}-${v4.slice(19)}`;
}

/** Below every id recorded at time or later, above every id recorded before it. */
export function firstTraceIdAt(time: number): string {
  const hex = Math.max(0, Math.floor(time)).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8)}-0000-0000-000000000000`;
}
