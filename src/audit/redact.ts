/** What a trace shows in place of a secret. */
export const REDACTED = '******';

// Field names whose values are secrets wherever they appear: passwords, secret keys, tokens.
const SECRET_FIELD = /password|secret|securitytoken|token_value|private_?key/i;

/** Deeper than any body the API takes; a body nested further keeps a note instead (and the copy stays off the stack's limit). */
const MAX_DEPTH = 32;
const TOO_DEEP = '[nested too deep]';

/**
 * Within a value held under a secret field's name, what may still be shown: Keystone's
 * identity.password names its user by id or name (and domain), beside the password itself.
 */
const NAMING_FIELD = /^(id|name)$/;

/**
 * A copy of a JSON value with every secret field's value replaced. A refused body is recorded as
 * sent, so a secret may come in any shape (a password sent as an array, an object): under a
 * secret name, an object keeps only the ids and names in it, and anything else is replaced.
 */
function withoutSecrets(value: unknown, depth = 0, inSecret = false): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return inSecret ? REDACTED : value.map((item) => withoutSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const named = SECRET_FIELD.test(key);
    const hidden = inner !== null && inner !== undefined && typeof inner !== 'object' && (named || (inSecret && !NAMING_FIELD.test(key)));
    out[key] = hidden ? REDACTED : withoutSecrets(inner, depth + 1, inSecret || named);
  }
  return out;
}

/** A trace keeps at most this much of a request or an answer. */
const MAX_TEXT = 32 * 1024;

/** The JSON text a trace keeps of a body: secrets removed, and a note of its size when it is too long to keep. */
export function traceText(value: unknown): string {
  if (value === undefined) return '';
  const text = JSON.stringify(withoutSecrets(value)) ?? '';
  return text.length <= MAX_TEXT ? text : JSON.stringify({ truncated: true, length: text.length });
}
