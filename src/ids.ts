import { randomBytes, randomUUID } from 'node:crypto';

/** 32 lower-case hex characters: the id shape ModelArts and IAM use. */
export function newId(): string {
  return randomUUID().replaceAll('-', '');
}

const REQUEST_ID_PREFIX = randomBytes(8).toString('hex');
let requestCounter = 0;

/**
 * 32 hex characters, unique across processes (a random prefix per process) without drawing
 * random bytes per request; request ids only need to tell requests apart, not be secret.
 */
export function newRequestId(): string {
  requestCounter = (requestCounter + 1) % 0x1_0000_0000_0000;
  return REQUEST_ID_PREFIX + requestCounter.toString(16).padStart(16, '0');
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomString(length: number, alphabet = ALNUM): string {
  // 256 % 62 != 0, so reject bytes past the last full cycle to keep every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

export function newAccessKey(): string {
  return randomString(20, UPPER_ALNUM);
}

export function newSecretKey(): string {
  return randomString(40);
}
