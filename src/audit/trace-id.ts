import { randomBytes } from 'node:crypto';

/**
 * A trace's id: a UUID of version 7, whose first 48 bits are the time it was recorded (ms). Ids
 * that grow with time go to the end of the table's key, the same page every time, where a random
 * UUID (version 4) writes a random page of it on every insert; and the retention purge walks the
 * key from its start.
 */
export function newTraceId(time: number): string {
  const hex = Math.max(0, Math.floor(time)).toString(16).padStart(12, '0').slice(-12);
  const random = randomBytes(10);
  random[0] = (random[0]! & 0x0f) | 0x70; // version 7
  random[2] = (random[2]! & 0x3f) | 0x80; // RFC 4122 variant
  const tail = random.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-${tail.slice(0, 4)}-${tail.slice(4, 8)}-${tail.slice(8)}`;
}

/** Below every id recorded at time or later, above every id recorded before it. */
export function firstTraceIdAt(time: number): string {
  const hex = Math.max(0, Math.floor(time)).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8)}-0000-0000-000000000000`;
}
