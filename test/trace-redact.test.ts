// What a trace keeps of a body: every secret field's value replaced wherever it is, the rest as
// sent, and a body too long to keep reduced to its length.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, traceText } from '../src/audit/redact.js';

test('secret fields are replaced at any depth, in arrays too; objects under such names are searched', () => {
  const body = {
    user: { name: 'alice', password: 'Pw-1', original_password: 'Pw-0' },
    credential: { access: 'AK1', secret: 'SK1', securitytoken: 'ST1' },
    list: [{ secret_key: 'SK2', keep: 1 }, 'plain'],
    auth: { identity: { password: { user: { name: 'bob', password: 'Pw-2' } } } },
    empty: { password: null },
  };
  assert.deepEqual(JSON.parse(traceText(body)), {
    user: { name: 'alice', password: REDACTED, original_password: REDACTED },
    credential: { access: 'AK1', secret: REDACTED, securitytoken: REDACTED },
    list: [{ secret_key: REDACTED, keep: 1 }, 'plain'],
    auth: { identity: { password: { user: { name: 'bob', password: REDACTED } } } },
    empty: { password: null },
  });
});

test('a secret sent in another shape (a refused body) is replaced too: arrays whole, objects but for ids and names', () => {
  const body = {
    user: { password: ['Pw-3'], original_password: { x: 'Pw-4', list: ['Pw-5'] } },
    auth: { identity: { password: { user: { id: 'u1', domain: { name: 'd1' }, password: 'Pw-6', extra: 7 } } } },
  };
  assert.deepEqual(JSON.parse(traceText(body)), {
    user: { password: REDACTED, original_password: { x: REDACTED, list: REDACTED } },
    auth: { identity: { password: { user: { id: 'u1', domain: { name: 'd1' }, password: REDACTED, extra: REDACTED } } } },
  });
});

test('no body is an empty text; a body over 32 KiB is kept as its length', () => {
  assert.equal(traceText(undefined), '');
  const long = { description: 'x'.repeat(40_000) };
  assert.deepEqual(JSON.parse(traceText(long)), { truncated: true, length: JSON.stringify(long).length });
});

test('a body nested deeper than any the API takes keeps a note below the limit, without overflowing the stack', () => {
  let deep: unknown = { password: 'Pw-9' };
  for (let i = 0; i < 20_000; i++) deep = { a: deep };
  const text = traceText(deep);
  assert.ok(text.includes('[nested too deep]'));
  assert.ok(!text.includes('Pw-9'));
});
