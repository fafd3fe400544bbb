// Trace ids are UUIDs of version 7: they sort by the time they were recorded, and the first id of
// a time sorts below every id recorded then or later and above every earlier one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { firstTraceIdAt, newTraceId } from '../src/audit/trace-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIME = fc.integer({ min: 0, max: 2 ** 47 });

test('an id is a version 7 UUID carrying its time', () => {
  const time = Date.UTC(2026, 10, 30, 2, 30);
  const id = newTraceId(time);
  assert.match(id, UUID_V7);
  assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), time);
});

test('ids sort as their times; the first id of a time bounds them', () => {
  fc.assert(
    fc.property(TIME, TIME, (a, b) => {
      const [ida, idb] = [newTraceId(a), newTraceId(b)];
      if (a < b) assert.ok(ida < idb);
      assert.ok(firstTraceIdAt(a) <= ida, 'at or after its time');
      assert.equal(firstTraceIdAt(b) <= ida, b <= a);
    }),
  );
});
