/**
 * The master key that encrypts access keys' secret keys at rest (AES-256-GCM), and the keyring a
 * server decrypts with: the key that encrypts, plus older ones that only decrypt (during and after
 * a rotation). Stored secrets name their key by fingerprint, so that a database read with another
 * key fails with both fingerprints instead of verifying signatures against garbage.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX = 'maws-sk:v1:';

export interface MasterKey {
  key: Buffer;
  /** 16 hex digits: names the key in stored secrets and in messages, reveals nothing of it */
  fingerprint: string;
}

export class MasterKeyError extends Error {}

function fingerprintOf(key: Buffer): string {
  return createHash('sha256').update('maws master key\n').update(key).digest('hex').slice(0, 16);
}

/** The text form of a key (MAWS_MASTER_KEY, the key file): standard base64 of 32 bytes. */
export function encodeKey(key: Buffer): string {
  return key.toString('base64');
}

/** undefined when the text is not the base64 of exactly 32 bytes; the text itself is never echoed. */
export function decodeKey(text: string): MasterKey | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) return undefined;
  return { key, fingerprint: fingerprintOf(key) };
}

export function generateKey(): MasterKey {
  const key = randomBytes(KEY_BYTES);
  return { key, fingerprint: fingerprintOf(key) };
}

export const KEY_FORMAT_HINT = 'the base64 of 32 random bytes (44 characters, e.g. from `openssl rand -base64 32`)';

/** A stored secret's parts, or undefined for a value stored before encryption (clear text). */
function parseSealed(stored: string): { fingerprint: string; iv: Buffer; sealed: Buffer } | undefined {
  if (!stored.startsWith(PREFIX)) return undefined;
  const [fingerprint, iv, sealed] = stored.slice(PREFIX.length).split(':');
  if (!fingerprint || iv === undefined || sealed === undefined) throw new MasterKeyError('a stored secret key is malformed');
  return { fingerprint, iv: Buffer.from(iv, 'base64url'), sealed: Buffer.from(sealed, 'base64url') };
}

/** The fingerprint a stored secret was encrypted under, or undefined for clear text. */
export function sealedUnder(stored: string): string | undefined {
  return parseSealed(stored)?.fingerprint;
}

/** Bound to its row (the access key) and key: a ciphertext copied to another row does not decrypt. */
function aadOf(fingerprint: string, accessKey: string): Buffer {
  return Buffer.from(`${PREFIX}${fingerprint}:${accessKey}`);
}

export interface Keyring {
  /** the key new secrets are encrypted under */
  primary: MasterKey;
  /** every key that decrypts, the primary included */
  keys: readonly MasterKey[];
  /** where the keys came from, for messages: "MAWS_MASTER_KEY" or the key file */
  source: string;
}

export function makeKeyring(keys: readonly MasterKey[], source: string): Keyring {
  const unique = keys.filter((k, i) => keys.findIndex((o) => o.fingerprint === k.fingerprint) === i);
  return { primary: unique[0]!, keys: unique, source };
}

export function seal(key: MasterKey, accessKey: string, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadOf(key.fingerprint, accessKey));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${key.fingerprint}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
}

export function mismatchMessage(fingerprint: string, ring: Keyring): string {
  return `secret key encrypted under master key ${fingerprint}, this server has ${ring.keys.map((k) => k.fingerprint).join(', ')} (from ${ring.source})`;
}

/** The clear secret; a value stored before encryption is returned as it is. */
export function open(ring: Keyring, accessKey: string, stored: string): string {
  const parts = parseSealed(stored);
  if (!parts) return stored;
  const key = ring.keys.find((k) => k.fingerprint === parts.fingerprint);
  if (!key) throw new MasterKeyError(`access key ${accessKey}: ${mismatchMessage(parts.fingerprint, ring)}`);
  if (parts.iv.length !== IV_BYTES || parts.sealed.length < TAG_BYTES) throw new MasterKeyError(`access key ${accessKey}: its stored secret key is malformed`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, parts.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadOf(key.fingerprint, accessKey));
    decipher.setAuthTag(parts.sealed.subarray(parts.sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(parts.sealed.subarray(0, parts.sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new MasterKeyError(`access key ${accessKey}: its stored secret key does not decrypt under master key ${key.fingerprint} (altered or moved to another row)`);
  }
}
